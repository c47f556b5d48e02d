using Microsoft.Extensions.Options;
using SyncKit.Storage;

namespace SyncKit.Xero.Connections;

/// <summary>
/// Which stored connection serves a tenant: the host's <see cref="XeroOptions.ConnectionKeyForTenant"/> when set, else the key
/// recorded when the organisation was connected, else the tenant id itself (tokens a host saved under it).
/// </summary>
internal sealed class XeroConnectionKeys(IOptions<XeroOptions> options, TenantStore? tenants = null)
{
    private readonly XeroOptions _options = options.Value;

    /// <summary>The connection key of a tenant, read from the tenant store when the host maps none (one read by primary key).</summary>
    public async ValueTask<string> ForTenantAsync(string tenantId, CancellationToken cancellationToken)
    {
        if (_options.ConnectionKeyForTenant is { } map)
        {
            return map(tenantId);
        }

        var state = tenants is null ? null : await tenants.GetAsync(tenantId, cancellationToken).ConfigureAwait(false);
        return state?.ConnectionKey is { Length: > 0 } key ? key : tenantId;
    }

    /// <summary>The connection key of a tenant already read.</summary>
    public string Of(TenantState tenant) => Of(_options, tenant);

    public static string Of(XeroOptions options, TenantState tenant) =>
        options.ConnectionKeyForTenant?.Invoke(tenant.TenantId) ?? (tenant.ConnectionKey is { Length: > 0 } key ? key : tenant.TenantId);
}
