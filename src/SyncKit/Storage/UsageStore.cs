namespace SyncKit.Storage;

/// <summary>
/// Keeps what each tenant has spent of its ledger's limits, so a restart forgets neither the day's call budget nor the
/// month's egress: the day's call window per tenant, and bytes received per tenant, month and endpoint.
/// </summary>
/// <remarks>
/// Registered by <c>UseInMemoryStorage</c>, <c>UseSqliteStorage</c> and <c>UsePostgreSqlStorage</c>. Callers aggregate in
/// memory and write now and then (a connector flushes about once a minute), never a row per call.
/// </remarks>
public abstract class UsageStore
{
    /// <summary>Adds bytes to the month's egress counters, creating those that do not exist yet.</summary>
    /// <param name="increments">Bytes to add per tenant, month and endpoint; several for one counter add up.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task; the increments are written together or not at all.</returns>
    public abstract Task AddEgressAsync(IReadOnlyCollection<EgressCounter> increments, CancellationToken cancellationToken = default);

    /// <summary>A tenant's egress counters for one month.</summary>
    /// <param name="tenantId">The tenant (as the connector keys it).</param>
    /// <param name="month">The month, <c>yyyy-MM</c> (UTC).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>One counter per endpoint, ordered by endpoint.</returns>
    public abstract Task<IReadOnlyList<EgressCounter>> GetEgressAsync(string tenantId, string month, CancellationToken cancellationToken = default);

    /// <summary>Saves a tenant's day window, replacing the one saved before.</summary>
    /// <param name="window">The window.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task.</returns>
    public abstract Task SaveCallWindowAsync(CallWindow window, CancellationToken cancellationToken = default);

    /// <summary>A tenant's saved day window.</summary>
    /// <param name="tenantId">The tenant (as the connector keys it).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The window, or null when none was saved.</returns>
    public abstract Task<CallWindow?> GetCallWindowAsync(string tenantId, CancellationToken cancellationToken = default);
}

/// <summary>Bytes received from the ledger for one tenant, month and endpoint (a counter, or an increment to one).</summary>
public sealed record EgressCounter
{
    /// <summary>The tenant (as the connector keys it: Xero's tenant id).</summary>
    public required string TenantId { get; init; }

    /// <summary>The month, <c>yyyy-MM</c> (UTC).</summary>
    public required string Month { get; init; }

    /// <summary>The endpoint (<c>GET Invoices</c>).</summary>
    public required string Endpoint { get; init; }

    /// <summary>The bytes.</summary>
    public required long Bytes { get; init; }
}

/// <summary>A tenant's daily call window: what is left of it and when it is expected to reset.</summary>
public sealed record CallWindow
{
    /// <summary>The tenant (as the connector keys it: Xero's tenant id).</summary>
    public required string TenantId { get; init; }

    /// <summary>When the window is expected to be whole again.</summary>
    public required DateTimeOffset ResetsAt { get; init; }

    /// <summary>Calls left in the window when it was saved.</summary>
    public required int Remaining { get; init; }

    /// <summary>When it was saved.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }
}
