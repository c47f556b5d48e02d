using SyncKit.Storage;

namespace SyncKit.Hosting.Tests;

/// <summary>
/// A node's way into a shared tenant store; once <see cref="Dead"/>, every call fails as the node is gone: its claims on
/// the rota and its leases stay as they were until they run out.
/// </summary>
/// <remarks>The benchmark command links this file for its killed node.</remarks>
internal sealed class DeadNodeTenantStore(TenantStore inner) : TenantStore
{
    public bool Dead { get; set; }

    public override Task<TenantState?> GetAsync(string tenantId, CancellationToken cancellationToken = default) => Live(() => inner.GetAsync(tenantId, cancellationToken));

    public override Task SaveAsync(TenantState state, CancellationToken cancellationToken = default) => Live(() => inner.SaveAsync(state, cancellationToken));

    public override Task<IReadOnlyList<TenantState>> ListAsync(CancellationToken cancellationToken = default) => Live(() => inner.ListAsync(cancellationToken));

    public override Task<SyncLease> TryAcquireLeaseAsync(SyncLease lease, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        Live(() => inner.TryAcquireLeaseAsync(lease, now, cancellationToken));

    public override Task<bool> RenewLeaseAsync(SyncLease lease, CancellationToken cancellationToken = default) => Live(() => inner.RenewLeaseAsync(lease, cancellationToken));

    public override Task ReleaseLeaseAsync(SyncLease lease, CancellationToken cancellationToken = default) => Live(() => inner.ReleaseLeaseAsync(lease, cancellationToken));

    public override Task<SyncLease?> GetLeaseAsync(string tenantId, string scope, CancellationToken cancellationToken = default) =>
        Live(() => inner.GetLeaseAsync(tenantId, scope, cancellationToken));

    public override Task<IReadOnlyList<TenantDue>> GetScheduleAsync(CancellationToken cancellationToken = default) => Live(() => inner.GetScheduleAsync(cancellationToken));

    public override Task<bool> AddToScheduleAsync(string tenantId, DateTimeOffset dueAt, CancellationToken cancellationToken = default) =>
        Live(() => inner.AddToScheduleAsync(tenantId, dueAt, cancellationToken));

    public override Task<IReadOnlyList<TenantDue>> ClaimDueAsync(string claimedBy, DateTimeOffset now, DateTimeOffset claimUntil, int limit, CancellationToken cancellationToken = default) =>
        Live(() => inner.ClaimDueAsync(claimedBy, now, claimUntil, limit, cancellationToken));

    public override Task<bool> RenewDueAsync(TenantDue claim, DateTimeOffset claimUntil, CancellationToken cancellationToken = default) =>
        Live(() => inner.RenewDueAsync(claim, claimUntil, cancellationToken));

    public override Task<bool> CompleteDueAsync(TenantDue claim, DateTimeOffset nextDueAt, CancellationToken cancellationToken = default) =>
        Live(() => inner.CompleteDueAsync(claim, nextDueAt, cancellationToken));

    public override Task<bool> ReleaseDueAsync(TenantDue claim, CancellationToken cancellationToken = default) => Live(() => inner.ReleaseDueAsync(claim, cancellationToken));

    private Task<T> Live<T>(Func<Task<T>> call) => Dead ? Task.FromException<T>(new InvalidOperationException("The node is dead.")) : call();

    private Task Live(Func<Task> call) => Dead ? Task.FromException(new InvalidOperationException("The node is dead.")) : call();
}
