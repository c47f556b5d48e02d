using SyncKit.Storage;

namespace SyncKit.Testing.Storage;

/// <summary>One provider's stores over one isolated database, as the contract suite uses them.</summary>
public sealed class StoreSet : IAsyncDisposable
{
    /// <summary>The ledger store.</summary>
    public required LedgerStore Ledger { get; init; }

    /// <summary>The mapping store.</summary>
    public required MappingStore Mappings { get; init; }

    /// <summary>The run log.</summary>
    public required RunLog Runs { get; init; }

    /// <summary>The tenant store (state and leases).</summary>
    public required TenantStore Tenants { get; init; }

    /// <summary>The token store.</summary>
    public required TokenStore Tokens { get; init; }

    /// <summary>The reference data cache.</summary>
    public required ReferenceDataCache ReferenceData { get; init; }

    /// <summary>The inbound store (pull cursors and pulled records).</summary>
    public required InboundStore Inbound { get; init; }

    /// <summary>The webhook inbox, or null for a provider that has none.</summary>
    public WebhookInbox? Webhooks { get; init; }
    /// <summary>The tenant settings store.</summary>
    public required TenantSettingsStore Settings { get; init; }

    /// <summary>The usage store (day call windows and egress counters), or null for a provider that has none.</summary>
    public UsageStore? Usage { get; init; }

    /// <summary>The schema manager.</summary>
    public required StoreSchema Schema { get; init; }

    /// <summary>A provider-specific handle (for example the database path or schema name) for provider tests.</summary>
    public object? State { get; init; }

    /// <summary>Called on dispose: closes connections or data sources owned by this set.</summary>
    public Func<ValueTask>? OnDispose { get; init; }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => OnDispose?.Invoke() ?? ValueTask.CompletedTask;
}
