namespace SyncKit;

/// <summary>A call named a tenant that was never connected: it is refused and nothing is stored for it.</summary>
public sealed class UnknownTenantException : InvalidOperationException
{
    /// <summary>Creates the exception for a tenant id.</summary>
    /// <param name="tenantId">The tenant id the call named.</param>
    public UnknownTenantException(string tenantId)
        : base($"Tenant '{tenantId}' is unknown: no organisation with this id was connected. Connect it first (docs/connecting.md), or check the id; nothing was stored for it.")
    {
        TenantId = tenantId;
    }

    /// <summary>The tenant id the call named.</summary>
    public string TenantId { get; }
}
