using SyncKit.Settings;

namespace SyncKit.Storage.InMemory;

/// <summary>Tenant settings held in memory.</summary>
internal sealed class InMemoryTenantSettingsStore : TenantSettingsStore
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, TenantSettings> _settings = new(StringComparer.Ordinal);

    public override Task<TenantSettings?> GetAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_settings.GetValueOrDefault(tenantId));
    }

    public override Task SaveAsync(TenantSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        cancellationToken.ThrowIfCancellationRequested();

        // Copies, so a host mutating its dictionaries afterwards does not change what is stored.
        _settings[settings.TenantId] = settings with
        {
            Directions = new Dictionary<Records.RecordKind, SyncDirection>(settings.Directions),
            ConflictPolicies = new Dictionary<Records.RecordKind, ConflictPolicy>(settings.ConflictPolicies),
        };
        return Task.CompletedTask;
    }
}
