using System.Data.Common;
using SyncKit.Mapping;

namespace SyncKit.Storage.Relational;

/// <summary>Mappings in a relational database.</summary>
internal class RelationalMappingStore(RelationalDatabase database) : MappingStore
{
    private readonly RelationalSql _sql = database.Sql;
    private readonly RelationalDialect _dialect = database.Dialect;

    public override async Task<string?> GetAsync(string tenantId, MappingKind kind, string localKey, CancellationToken cancellationToken = default) =>
        await database.ReadScalarAsync(_sql.MappingGet, c => AddKey(c, tenantId, kind, localKey), cancellationToken).ConfigureAwait(false) as string;

    public override async Task<IReadOnlyDictionary<string, string>> GetAllAsync(string tenantId, MappingKind kind, CancellationToken cancellationToken = default)
    {
        var all = new Dictionary<string, string>(StringComparer.Ordinal);
        await database.ReadAllAsync(
            _sql.MappingGetAll,
            c =>
            {
                _dialect.AddText(c, "tenant_id", tenantId);
                _dialect.AddInteger(c, "kind", (int)kind);
            },
            r => all[r.GetString(0)] = r.GetString(1),
            cancellationToken).ConfigureAwait(false);
        return all;
    }

    public override async Task SetAsync(string tenantId, MappingKind kind, string localKey, string remoteKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(remoteKey);
        await database.WriteAsync(
            _sql.MappingSet,
            c =>
            {
                AddKey(c, tenantId, kind, localKey);
                _dialect.AddText(c, "remote_key", remoteKey);
            },
            cancellationToken).ConfigureAwait(false);
    }

    public override async Task<bool> RemoveAsync(string tenantId, MappingKind kind, string localKey, CancellationToken cancellationToken = default) =>
        await database.WriteAsync(_sql.MappingRemove, c => AddKey(c, tenantId, kind, localKey), cancellationToken).ConfigureAwait(false) > 0;

    private void AddKey(DbCommand command, string tenantId, MappingKind kind, string localKey)
    {
        _dialect.AddText(command, "tenant_id", tenantId);
        _dialect.AddInteger(command, "kind", (int)kind);
        _dialect.AddText(command, "local_key", localKey);
    }

    public override Task<int> DeleteTenantAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        return database.WriteAsync(database.Sql.MappingDeleteTenant, c => database.Dialect.AddText(c, "tenant_id", tenantId), cancellationToken);
    }
}
