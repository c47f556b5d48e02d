using SyncKit.Settings;

namespace SyncKit.Storage;

/// <summary>Stores each tenant's sync settings (direction and conflict policy per kind).</summary>
/// <remarks>Registered by <c>UseInMemoryStorage</c>, <c>UseSqliteStorage</c> and <c>UsePostgreSqlStorage</c>.</remarks>
public abstract class TenantSettingsStore
{
    /// <summary>A tenant's saved settings.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The settings, or null when none were saved (the defaults apply).</returns>
    public abstract Task<TenantSettings?> GetAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>Saves a tenant's settings, replacing any saved before.</summary>
    /// <param name="settings">The settings.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    public abstract Task SaveAsync(TenantSettings settings, CancellationToken cancellationToken = default);
}
