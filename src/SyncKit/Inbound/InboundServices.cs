using SyncKit.Records;
using SyncKit.Storage;

namespace SyncKit.Inbound;

/// <summary>What a pull needs beside the engine's own services: the inbound store and the host's targets.</summary>
internal sealed class InboundServices
{
    private readonly Dictionary<RecordKind, SyncTarget> _targets = [];

    private readonly SyncKit.Settings.TenantSettingsProvider? _provider;

    public InboundServices(InboundStore? store, IEnumerable<SyncTarget> targets, TenantSettingsStore? settings = null, SyncKit.Settings.TenantSettingsProvider? provider = null)
    {
        Store = store;
        Settings = settings;
        _provider = provider;

        // The last target registered for a kind wins, as with sources.
        foreach (var target in targets)
        {
            _targets[target.Kind] = target;
        }
    }

    /// <summary>The store, or null when the registered storage has none (a custom store written before pulls existed).</summary>
    public InboundStore? Store { get; }

    /// <summary>The tenants' settings, or null when the registered storage keeps none (every tenant then has the defaults).</summary>
    public TenantSettingsStore? Settings { get; }

    /// <summary>A tenant's settings: as the host's provider gives them, else as saved, else the defaults.</summary>
    public async Task<SyncKit.Settings.TenantSettings> SettingsForAsync(string tenantId, CancellationToken cancellationToken)
    {
        var stored = Settings is null ? null : await Settings.GetAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var provided = _provider is null ? null : await _provider.GetAsync(tenantId, stored, cancellationToken).ConfigureAwait(false);

        // A provider answering for another tenant (a copied template) still speaks for this one.
        return provided is not null ? provided with { TenantId = tenantId } : stored ?? SyncKit.Settings.TenantSettings.Default(tenantId);
    }

    public IReadOnlyCollection<RecordKind> TargetKinds => _targets.Keys;

    public SyncTarget? TargetFor(RecordKind kind) => _targets.GetValueOrDefault(kind);
}
