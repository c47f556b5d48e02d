namespace SyncKit.Storage.Sqlite;

/// <summary>Reference data cached in SQLite.</summary>
internal sealed class SqliteReferenceDataCache(SqliteDatabase database) : ReferenceDataCache
{
    private readonly SqliteSql _sql = database.Sql;

    public override async Task<CachedReferenceData?> GetAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = SqliteValues.Command(connection, _sql.ReferenceGet);
            command.Parameters.AddWithValue("@tenant_id", tenantId);
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            return new CachedReferenceData { TenantId = reader.GetString(0), Json = reader.GetString(1), FetchedAt = SqliteValues.ReadTime(reader, 2) };
        }
    }

    public override async Task SetAsync(CachedReferenceData data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        var write = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (write.ConfigureAwait(false))
        {
            using var command = write.CreateCommand(_sql.ReferenceSet);
            command.Parameters.AddWithValue("@tenant_id", data.TenantId);
            command.Parameters.AddWithValue("@json", data.Json);
            command.Parameters.AddWithValue("@fetched_at", SqliteValues.ToText(data.FetchedAt));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await write.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
