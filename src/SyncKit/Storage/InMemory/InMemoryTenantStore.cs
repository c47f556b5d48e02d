namespace SyncKit.Storage.InMemory;

/// <summary>Tenant state and leases held in memory; a lease is taken atomically under a lock.</summary>
internal sealed class InMemoryTenantStore : TenantStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, TenantState> _tenants = new(StringComparer.Ordinal);
    private readonly Dictionary<(string TenantId, string Scope), SyncLease> _leases = [];

    public override Task<TenantState?> GetAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_tenants.GetValueOrDefault(tenantId));
        }
    }

    public override Task SaveAsync(TenantState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _tenants[state.TenantId] = state;
        }

        return Task.CompletedTask;
    }

    public override Task<IReadOnlyList<TenantState>> ListAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyList<TenantState> all = [.. _tenants.Values.OrderBy(t => t.TenantId, StringComparer.Ordinal)];
            return Task.FromResult(all);
        }
    }

    public override Task<SyncLease> TryAcquireLeaseAsync(SyncLease lease, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var key = (lease.TenantId, lease.Scope);
            if (_leases.TryGetValue(key, out var current) && current.ExpiresAt > now && !IsSameHolder(current, lease))
            {
                return Task.FromResult(current);
            }

            _leases[key] = lease;
            return Task.FromResult(lease);
        }
    }

    public override Task<bool> RenewLeaseAsync(SyncLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var key = (lease.TenantId, lease.Scope);
            if (_leases.TryGetValue(key, out var current) && IsSameHolder(current, lease))
            {
                _leases[key] = current with { ExpiresAt = lease.ExpiresAt };
                return Task.FromResult(true);
            }

            return Task.FromResult(false);
        }
    }

    public override Task ReleaseLeaseAsync(SyncLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var key = (lease.TenantId, lease.Scope);
            if (_leases.TryGetValue(key, out var current) && IsSameHolder(current, lease))
            {
                _leases.Remove(key);
            }
        }

        return Task.CompletedTask;
    }

    public override Task<SyncLease?> GetLeaseAsync(string tenantId, string scope, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_leases.GetValueOrDefault((tenantId, scope)));
        }
    }

    private static bool IsSameHolder(SyncLease a, SyncLease b) =>
        string.Equals(a.Holder, b.Holder, StringComparison.Ordinal) && string.Equals(a.RunId, b.RunId, StringComparison.Ordinal);

    public override Task<bool> DeleteAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            foreach (var key in _leases.Keys.Where(k => string.Equals(k.TenantId, tenantId, StringComparison.Ordinal)).ToList())
            {
                _leases.Remove(key);
            }

            RemoveFromLocalSchedule(tenantId);
            return Task.FromResult(_tenants.Remove(tenantId));
        }
    }
}
