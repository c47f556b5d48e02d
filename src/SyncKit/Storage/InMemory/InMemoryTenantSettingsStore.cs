using SyncKit.Settings;

namespace SyncKit.Storage.InMemory;

/// <summary>Tenant settings held in memory.</summary>
internal sealed class InMemoryTenantSettingsStore : TenantSettingsStore
{
    // Kept as the SQL providers keep it, one JSON document per tenant: a host mutating its dictionaries afterwards does not
    // change what is stored, and every setting round-trips the same way on every provider.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string Json, DateTimeOffset UpdatedAt)> _settings = new(StringComparer.Ordinal);

    public override Task<TenantSettings?> GetAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_settings.TryGetValue(tenantId, out var saved) ? Internal.StorageJson.DeserializeSettings(tenantId, saved.Json, saved.UpdatedAt) : null);
    }

    public override Task SaveAsync(TenantSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        cancellationToken.ThrowIfCancellationRequested();

        _settings[settings.TenantId] = (Internal.StorageJson.SerializeSettings(settings), settings.UpdatedAt);
        return Task.CompletedTask;
    }
}
