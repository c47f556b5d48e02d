using Npgsql;
using SyncKit.Mapping;

namespace SyncKit.Storage.PostgreSql;

/// <summary>Mappings in PostgreSQL.</summary>
internal sealed class PostgreSqlMappingStore(PostgreSqlDatabase database) : MappingStore
{
    private readonly PostgreSqlSql _sql = database.Sql;

    public override async Task<string?> GetAsync(string tenantId, MappingKind kind, string localKey, CancellationToken cancellationToken = default)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = new NpgsqlCommand(_sql.MappingGet, connection);
            AddKey(command, tenantId, kind, localKey);
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        }
    }

    public override async Task<IReadOnlyDictionary<string, string>> GetAllAsync(string tenantId, MappingKind kind, CancellationToken cancellationToken = default)
    {
        var all = new Dictionary<string, string>(StringComparer.Ordinal);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = new NpgsqlCommand(_sql.MappingGetAll, connection);
            command.Parameters.AddWithValue("tenant_id", tenantId);
            command.Parameters.AddWithValue("kind", (int)kind);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    all[reader.GetString(0)] = reader.GetString(1);
                }
            }
        }

        return all;
    }

    public override async Task SetAsync(string tenantId, MappingKind kind, string localKey, string remoteKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(remoteKey);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = new NpgsqlCommand(_sql.MappingSet, connection);
            AddKey(command, tenantId, kind, localKey);
            command.Parameters.AddWithValue("remote_key", remoteKey);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public override async Task<bool> RemoveAsync(string tenantId, MappingKind kind, string localKey, CancellationToken cancellationToken = default)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = new NpgsqlCommand(_sql.MappingRemove, connection);
            AddKey(command, tenantId, kind, localKey);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }
    }

    private static void AddKey(NpgsqlCommand command, string tenantId, MappingKind kind, string localKey)
    {
        command.Parameters.AddWithValue("tenant_id", tenantId);
        command.Parameters.AddWithValue("kind", (int)kind);
        command.Parameters.AddWithValue("local_key", localKey);
    }
}
