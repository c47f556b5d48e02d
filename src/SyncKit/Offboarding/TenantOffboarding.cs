using SyncKit.Storage;

namespace SyncKit.Offboarding;

/// <summary>What happens to a tenant's data when it is disconnected.</summary>
public enum TenantDataRetention
{
    /// <summary>Keep the ledger, mappings, runs and pulled records; the tenant stays listed, Disconnected, until it is reconnected.</summary>
    Keep = 0,

    /// <summary>Delete the ledger, mappings, runs, pulled records, cached reference data and the tenant itself (offboarding).</summary>
    Delete = 1,
}

/// <summary>What offboarding deleted for one tenant.</summary>
public sealed record TenantErasure
{
    /// <summary>The tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>Whether the tenant itself was known and is now removed.</summary>
    public bool TenantRemoved { get; init; }

    /// <summary>Ledger entries deleted.</summary>
    public int LedgerEntries { get; init; }

    /// <summary>Mappings deleted.</summary>
    public int Mappings { get; init; }

    /// <summary>Runs deleted from the activity log.</summary>
    public int Runs { get; init; }

    /// <summary>Pulled records and pull cursors deleted.</summary>
    public int InboundRecords { get; init; }
}

/// <summary>Removes a tenant from SyncKit's stores, or marks it disconnected keeping its history.</summary>
/// <remarks>
/// The ledger connector's own disconnect (Xero: <c>XeroAuthorization.DisconnectTenantAsync</c>) calls this after removing the
/// connection at the ledger; call it directly for a tenant whose connection is already gone.
/// </remarks>
public sealed class TenantOffboarding
{
    private readonly TenantStore _tenants;
    private readonly LedgerStore _ledger;
    private readonly MappingStore _mappings;
    private readonly RunLog _runs;
    private readonly ReferenceDataCache _referenceData;
    private readonly InboundStore? _inbound;
    private readonly TimeProvider _time;

    internal TenantOffboarding(TenantStore tenants, LedgerStore ledger, MappingStore mappings, RunLog runs, ReferenceDataCache referenceData, InboundStore? inbound, TimeProvider time)
    {
        _tenants = tenants;
        _ledger = ledger;
        _mappings = mappings;
        _runs = runs;
        _referenceData = referenceData;
        _inbound = inbound;
        _time = time;
    }

    /// <summary>Marks a tenant Disconnected and forgets which connection served it, keeping all its data.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="message">Why, shown as its connection message.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>True when the tenant was known.</returns>
    public async Task<bool> KeepDisconnectedAsync(string tenantId, string message, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        var state = await _tenants.GetAsync(tenantId, cancellationToken).ConfigureAwait(false);
        if (state is null)
        {
            return false;
        }

        await _tenants.SaveAsync(
            state with { Connection = ConnectionState.Disconnected, ConnectionMessage = message, ConnectionId = null, UpdatedAt = _time.GetUtcNow() },
            cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Deletes everything SyncKit holds for a tenant: ledger, mappings, runs, pulled records, cached reference data and the tenant.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    /// <returns>What was deleted.</returns>
    /// <exception cref="InvalidOperationException">A run is syncing the tenant now: try again when it has finished.</exception>
    /// <remarks>Tokens are the connector's: they may serve other tenants of the same connection, so the connector deletes them.</remarks>
    public async Task<TenantErasure> EraseAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        var lease = await _tenants.GetLeaseAsync(tenantId, Engine.SyncEngine.SyncScope, cancellationToken).ConfigureAwait(false);
        if (lease is not null && lease.ExpiresAt > _time.GetUtcNow())
        {
            throw new InvalidOperationException($"Tenant '{tenantId}' is being synced now (run {lease.RunId}): offboard it when the run has finished.");
        }

        // The tenant goes first, so the scheduler stops picking it while the rest is deleted.
        var removed = await _tenants.DeleteAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var ledger = await _ledger.DeleteTenantAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var mappings = await _mappings.DeleteTenantAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var runs = await _runs.DeleteTenantAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var inbound = _inbound is null ? 0 : await _inbound.DeleteTenantAsync(tenantId, cancellationToken).ConfigureAwait(false);
        await _referenceData.DeleteTenantAsync(tenantId, cancellationToken).ConfigureAwait(false);
        return new TenantErasure { TenantId = tenantId, TenantRemoved = removed, LedgerEntries = ledger, Mappings = mappings, Runs = runs, InboundRecords = inbound };
    }
}
