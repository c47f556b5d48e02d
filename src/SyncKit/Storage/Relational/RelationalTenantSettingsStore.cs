using SyncKit.Settings;
using SyncKit.Storage.Internal;

namespace SyncKit.Storage.Relational;

/// <summary>Tenant settings in a relational database: one JSON document per tenant.</summary>
internal class RelationalTenantSettingsStore(RelationalDatabase database) : TenantSettingsStore
{
    private readonly RelationalSql _sql = database.Sql;
    private readonly RelationalDialect _dialect = database.Dialect;

    public override Task<TenantSettings?> GetAsync(string tenantId, CancellationToken cancellationToken = default) =>
        database.ReadOneAsync(
            _sql.TenantSettingsGet,
            c => _dialect.AddText(c, "tenant_id", tenantId),
            r => StorageJson.DeserializeSettings(r.GetString(0), r.GetString(1), _dialect.ReadTime(r, 2)),
            cancellationToken);

    public override async Task SaveAsync(TenantSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        await database.WriteAsync(
            _sql.TenantSettingsSave,
            c =>
            {
                _dialect.AddText(c, "tenant_id", settings.TenantId);
                _dialect.AddJson(c, "settings_json", StorageJson.SerializeSettings(settings));
                _dialect.AddTime(c, "updated_at", settings.UpdatedAt);
            },
            cancellationToken).ConfigureAwait(false);
    }
}
