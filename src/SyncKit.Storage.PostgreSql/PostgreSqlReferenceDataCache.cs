using Npgsql;

namespace SyncKit.Storage.PostgreSql;

/// <summary>Reference data cached in PostgreSQL.</summary>
internal sealed class PostgreSqlReferenceDataCache(PostgreSqlDatabase database) : ReferenceDataCache
{
    private readonly PostgreSqlSql _sql = database.Sql;

    public override async Task<CachedReferenceData?> GetAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = new NpgsqlCommand(_sql.ReferenceGet, connection);
            command.Parameters.AddWithValue("tenant_id", tenantId);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                return new CachedReferenceData { TenantId = reader.GetString(0), Json = reader.GetString(1), FetchedAt = PostgreSqlValues.ReadTime(reader, 2) };
            }
        }
    }

    public override async Task SetAsync(CachedReferenceData data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = new NpgsqlCommand(_sql.ReferenceSet, connection);
            command.Parameters.AddWithValue("tenant_id", data.TenantId);
            command.Parameters.AddWithValue("json", data.Json);
            command.Parameters.Add(PostgreSqlValues.Time("fetched_at", data.FetchedAt));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
