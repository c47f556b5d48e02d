using SyncKit.Mapping;

namespace SyncKit.Storage.Sqlite;

/// <summary>Mappings in SQLite.</summary>
internal sealed class SqliteMappingStore(SqliteDatabase database) : MappingStore
{
    private readonly SqliteSql _sql = database.Sql;

    public override async Task<string?> GetAsync(string tenantId, MappingKind kind, string localKey, CancellationToken cancellationToken = default)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = SqliteValues.Command(connection, _sql.MappingGet);
            command.Parameters.AddWithValue("@tenant_id", tenantId);
            command.Parameters.AddWithValue("@kind", (int)kind);
            command.Parameters.AddWithValue("@local_key", localKey);
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        }
    }

    public override async Task<IReadOnlyDictionary<string, string>> GetAllAsync(string tenantId, MappingKind kind, CancellationToken cancellationToken = default)
    {
        var all = new Dictionary<string, string>(StringComparer.Ordinal);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = SqliteValues.Command(connection, _sql.MappingGetAll);
            command.Parameters.AddWithValue("@tenant_id", tenantId);
            command.Parameters.AddWithValue("@kind", (int)kind);
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                all[reader.GetString(0)] = reader.GetString(1);
            }
        }

        return all;
    }

    public override async Task SetAsync(string tenantId, MappingKind kind, string localKey, string remoteKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(remoteKey);
        var write = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (write.ConfigureAwait(false))
        {
            using var command = write.CreateCommand(_sql.MappingSet);
            command.Parameters.AddWithValue("@tenant_id", tenantId);
            command.Parameters.AddWithValue("@kind", (int)kind);
            command.Parameters.AddWithValue("@local_key", localKey);
            command.Parameters.AddWithValue("@remote_key", remoteKey);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await write.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public override async Task<bool> RemoveAsync(string tenantId, MappingKind kind, string localKey, CancellationToken cancellationToken = default)
    {
        var write = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (write.ConfigureAwait(false))
        {
            using var command = write.CreateCommand(_sql.MappingRemove);
            command.Parameters.AddWithValue("@tenant_id", tenantId);
            command.Parameters.AddWithValue("@kind", (int)kind);
            command.Parameters.AddWithValue("@local_key", localKey);
            var removed = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
            await write.CommitAsync(cancellationToken).ConfigureAwait(false);
            return removed;
        }
    }
}
