namespace SyncKit.Storage.Relational;

/// <summary>Reference data cached in a relational database.</summary>
internal class RelationalReferenceDataCache(RelationalDatabase database) : ReferenceDataCache
{
    private readonly RelationalSql _sql = database.Sql;
    private readonly RelationalDialect _dialect = database.Dialect;

    public override Task<CachedReferenceData?> GetAsync(string tenantId, CancellationToken cancellationToken = default) =>
        database.ReadOneAsync(_sql.ReferenceGet, c => _dialect.AddText(c, "tenant_id", tenantId), r => RelationalRows.ReadReferenceData(_dialect, r), cancellationToken);

    public override async Task SetAsync(CachedReferenceData data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        await database.WriteAsync(
            _sql.ReferenceSet,
            c =>
            {
                _dialect.AddText(c, "tenant_id", data.TenantId);
                _dialect.AddText(c, "json", data.Json);
                _dialect.AddTime(c, "fetched_at", data.FetchedAt);
            },
            cancellationToken).ConfigureAwait(false);
    }

    public override Task<int> DeleteTenantAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        return database.WriteAsync(database.Sql.ReferenceDelete, c => database.Dialect.AddText(c, "tenant_id", tenantId), cancellationToken);
    }
}
