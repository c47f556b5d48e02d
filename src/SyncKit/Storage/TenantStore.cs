using SyncKit.Storage.InMemory;

namespace SyncKit.Storage;

/// <summary>Whether SyncKit can reach a tenant's ledger.</summary>
public enum ConnectionState
{
    /// <summary>Not known yet.</summary>
    Unknown = 0,

    /// <summary>Connected ("Active").</summary>
    Connected = 1,

    /// <summary>The token was refused or the connection removed; a user must reconnect.</summary>
    Disconnected = 2,
}

/// <summary>What kind of ledger tenant an organisation is.</summary>
public enum TenantType
{
    /// <summary>Not known (registered before connections recorded it).</summary>
    Unknown = 0,

    /// <summary>An accounting organisation (Xero: ORGANISATION).</summary>
    Organisation = 1,

    /// <summary>A practice (Xero: PRACTICE or PRACTICEMANAGER).</summary>
    Practice = 2,
}

/// <summary>A tenant's standing: connection and pause.</summary>
public sealed record TenantState
{
    /// <summary>The tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>The organisation's name.</summary>
    public string? Name { get; init; }

    /// <summary>The connection state.</summary>
    public ConnectionState Connection { get; init; }

    /// <summary>Why the connection is in its state (for example the token endpoint's answer).</summary>
    public string? ConnectionMessage { get; init; }

    /// <summary>Sync is paused until this time ("Sync paused until ..."), or null.</summary>
    public DateTimeOffset? PausedUntil { get; init; }

    /// <summary>Why the tenant is paused.</summary>
    public string? PauseReason { get; init; }

    /// <summary>When the state last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The key of the stored connection (token set) that serves this tenant, or null when none was recorded.</summary>
    /// <remarks>Set when the organisation is connected; the connector reads the tenant's tokens under it.</remarks>
    public string? ConnectionKey { get; init; }

    /// <summary>The ledger's id of the connection to this tenant (Xero: the <c>id</c> of <c>GET /connections</c>, which disconnecting deletes).</summary>
    public string? ConnectionId { get; init; }

    /// <summary>Whether the tenant is an organisation or a practice.</summary>
    public TenantType Type { get; init; }

    /// <summary>When the organisation was (last) connected, or null.</summary>
    public DateTimeOffset? ConnectedAt { get; init; }
}

/// <summary>A lease that gives one run the right to sync a tenant's scope.</summary>
public sealed record SyncLease
{
    /// <summary>The tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>The scope (for example <c>sync</c>).</summary>
    public required string Scope { get; init; }

    /// <summary>Who holds it (a node and process id).</summary>
    public required string Holder { get; init; }

    /// <summary>The run holding it.</summary>
    public required string RunId { get; init; }

    /// <summary>When it lapses unless renewed.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }
}

/// <summary>
/// A tenant's place in the scheduler's rota: when its next scheduled run is due, and which node has claimed that run and
/// until when. The rota lives in the store so that nodes sharing it sync each tenant once per period between them.
/// </summary>
public sealed record TenantDue
{
    /// <summary>The tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>When its next scheduled run is due.</summary>
    public required DateTimeOffset DueAt { get; init; }

    /// <summary>The node that claimed the run (a node and process id), or null when no one has.</summary>
    public string? ClaimedBy { get; init; }

    /// <summary>When the claim runs out unless renewed; after it, another node may claim the run.</summary>
    public DateTimeOffset? ClaimedUntil { get; init; }
}

/// <summary>Persists tenant state and the leases that allow one run per tenant and scope.</summary>
public abstract class TenantStore
{
    private InMemoryTenantSchedule? _localSchedule;

    /// <summary>The rota's default home: this process (see <see cref="ClaimDueAsync"/>).</summary>
    private InMemoryTenantSchedule LocalSchedule => LazyInitializer.EnsureInitialized(ref _localSchedule);

    /// <summary>Takes a tenant off the rota kept in this process (the in-memory store's offboarding).</summary>
    private protected void RemoveFromLocalSchedule(string tenantId) => _localSchedule?.Remove(tenantId);
    /// <summary>Reads a tenant's state.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The state, or null when the tenant is unknown.</returns>
    public abstract Task<TenantState?> GetAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>Adds or replaces a tenant's state.</summary>
    /// <param name="state">The state.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task.</returns>
    public abstract Task SaveAsync(TenantState state, CancellationToken cancellationToken = default);

    /// <summary>Lists every known tenant.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The tenants, ordered by id.</returns>
    public abstract Task<IReadOnlyList<TenantState>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Takes the lease for a tenant's scope if it is free or expired.</summary>
    /// <param name="lease">The lease wanted.</param>
    /// <param name="now">The current time, to judge expiry.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The lease now in force: the one asked for when taken, else the current holder's.</returns>
    public abstract Task<SyncLease> TryAcquireLeaseAsync(SyncLease lease, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Extends a lease its holder still holds.</summary>
    /// <param name="lease">The lease with its new expiry.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>False when the lease was lost (expired and taken by another).</returns>
    public abstract Task<bool> RenewLeaseAsync(SyncLease lease, CancellationToken cancellationToken = default);

    /// <summary>Gives a lease back.</summary>
    /// <param name="lease">The lease.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task.</returns>
    public abstract Task ReleaseLeaseAsync(SyncLease lease, CancellationToken cancellationToken = default);

    /// <summary>Deletes a tenant's state and its leases (offboarding).</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>True when the tenant was known.</returns>
    /// <remarks>Added after the first release: a store written before it refuses with <see cref="NotSupportedException"/>.</remarks>
    public virtual Task<bool> DeleteAsync(string tenantId, CancellationToken cancellationToken = default) =>
        throw StoreErasure.NotSupported(GetType());

    /// <summary>Reads the lease on a tenant's scope, expired or not.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="scope">The scope.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The lease, or null.</returns>
    public abstract Task<SyncLease?> GetLeaseAsync(string tenantId, string scope, CancellationToken cancellationToken = default);

    /// <summary>Reads the scheduler's rota: every tenant's next due time and claim.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The rota, ordered by tenant id.</returns>
    /// <remarks>
    /// Added after the first release. The rota methods' default keeps the rota in this process, which is enough for one
    /// node; a store shared by several nodes overrides all of them so that claims are atomic in the store (the SQLite and
    /// PostgreSQL stores do).
    /// </remarks>
    public virtual Task<IReadOnlyList<TenantDue>> GetScheduleAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(LocalSchedule.List());

    /// <summary>Puts a tenant on the rota, due at <paramref name="dueAt"/>, unless it is on it already (then nothing changes).</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="dueAt">When its first scheduled run is due.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>True when it was added.</returns>
    public virtual Task<bool> AddToScheduleAsync(string tenantId, DateTimeOffset dueAt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        return Task.FromResult(LocalSchedule.Add(tenantId, dueAt));
    }

    /// <summary>
    /// Claims up to <paramref name="limit"/> tenants due at or before <paramref name="now"/> that no one holds (never
    /// claimed, or whose claim ran out), earliest due first: each for one caller only, until <paramref name="claimUntil"/>.
    /// </summary>
    /// <param name="claimedBy">The claiming node (a node and process id).</param>
    /// <param name="now">The time now: claims that ran out by it are free.</param>
    /// <param name="claimUntil">When this claim runs out unless renewed.</param>
    /// <param name="limit">The most tenants.</param>
    /// <param name="cancellationToken">Cancels the claim.</param>
    /// <returns>The tenants claimed, as now stored.</returns>
    public virtual Task<IReadOnlyList<TenantDue>> ClaimDueAsync(string claimedBy, DateTimeOffset now, DateTimeOffset claimUntil, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(claimedBy);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return Task.FromResult(LocalSchedule.Claim(claimedBy, now, claimUntil, limit));
    }

    /// <summary>Extends a claim its node still holds (same tenant, node and due time).</summary>
    /// <param name="claim">The claim, as <see cref="ClaimDueAsync"/> returned it.</param>
    /// <param name="claimUntil">The new end of the claim.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>False when the claim was lost (it ran out and another node took it, or the tenant was removed).</returns>
    public virtual Task<bool> RenewDueAsync(TenantDue claim, DateTimeOffset claimUntil, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return Task.FromResult(LocalSchedule.Renew(claim, claimUntil));
    }

    /// <summary>The claimed run happened: moves the tenant to its next due time and frees it, when the claim is still held.</summary>
    /// <param name="claim">The claim, as <see cref="ClaimDueAsync"/> returned it.</param>
    /// <param name="nextDueAt">When the next scheduled run is due.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>False when the claim was lost.</returns>
    public virtual Task<bool> CompleteDueAsync(TenantDue claim, DateTimeOffset nextDueAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return Task.FromResult(LocalSchedule.Complete(claim, nextDueAt));
    }

    /// <summary>Gives a claim back unrun (the node is stopping), so the next claim by any node takes the tenant at once.</summary>
    /// <param name="claim">The claim, as <see cref="ClaimDueAsync"/> returned it.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>False when the claim was lost.</returns>
    public virtual Task<bool> ReleaseDueAsync(TenantDue claim, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return Task.FromResult(LocalSchedule.Release(claim));
    }
}
