namespace SyncKit.Settings;

/// <summary>
/// The host's own source of a tenant's settings — its settings screen, its database — read at the start of every run,
/// preview, pull and single-record sync. Register one with <c>UseTenantSettingsProvider&lt;T&gt;()</c>.
/// </summary>
/// <remarks>
/// Without a provider, a tenant's settings are those saved in SyncKit's store (<see cref="ISyncEngine.SaveTenantSettingsAsync"/>),
/// else the defaults. A provider is given those stored settings, so it can answer from its own data, adjust the stored
/// ones (<c>stored with { … }</c>) or return null to keep them.
/// </remarks>
public abstract class TenantSettingsProvider
{
    /// <summary>A tenant's settings as the host keeps them.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="stored">The settings saved in SyncKit's store for the tenant, or null when none were saved.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The tenant's settings, or null to use <paramref name="stored"/> (else the defaults).</returns>
    public abstract ValueTask<TenantSettings?> GetAsync(string tenantId, TenantSettings? stored, CancellationToken cancellationToken = default);
}
