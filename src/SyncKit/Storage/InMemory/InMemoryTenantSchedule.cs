namespace SyncKit.Storage.InMemory;

/// <summary>
/// The scheduler's rota held in this process, under a lock: the default behind <see cref="TenantStore"/>'s rota methods,
/// so the in-memory store (one process by nature) and stores written before the rota existed schedule as one node.
/// </summary>
internal sealed class InMemoryTenantSchedule
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, TenantDue> _due = new(StringComparer.Ordinal);

    public IReadOnlyList<TenantDue> List()
    {
        lock (_gate)
        {
            return [.. _due.Values.OrderBy(d => d.TenantId, StringComparer.Ordinal)];
        }
    }

    public bool Add(string tenantId, DateTimeOffset dueAt)
    {
        lock (_gate)
        {
            return _due.TryAdd(tenantId, new TenantDue { TenantId = tenantId, DueAt = dueAt });
        }
    }

    public IReadOnlyList<TenantDue> Claim(string claimedBy, DateTimeOffset now, DateTimeOffset claimUntil, int limit)
    {
        lock (_gate)
        {
            var claimed = _due.Values
                .Where(d => d.DueAt <= now && (d.ClaimedUntil is not { } until || until <= now))
                .OrderBy(d => d.DueAt)
                .ThenBy(d => d.TenantId, StringComparer.Ordinal)
                .Take(limit)
                .Select(d => d with { ClaimedBy = claimedBy, ClaimedUntil = claimUntil })
                .ToList();
            foreach (var d in claimed)
            {
                _due[d.TenantId] = d;
            }

            return claimed;
        }
    }

    public bool Renew(TenantDue claim, DateTimeOffset claimUntil) => Replace(claim, d => d with { ClaimedUntil = claimUntil });

    public bool Complete(TenantDue claim, DateTimeOffset nextDueAt) =>
        Replace(claim, d => d with { DueAt = nextDueAt, ClaimedBy = null, ClaimedUntil = null });

    public bool Release(TenantDue claim) => Replace(claim, d => d with { ClaimedBy = null, ClaimedUntil = null });

    public void Remove(string tenantId)
    {
        lock (_gate)
        {
            _due.Remove(tenantId);
        }
    }

    /// <summary>Changes the tenant's row when <paramref name="claim"/> still holds it: same node, same due time.</summary>
    private bool Replace(TenantDue claim, Func<TenantDue, TenantDue> change)
    {
        lock (_gate)
        {
            if (!_due.TryGetValue(claim.TenantId, out var current)
                || !string.Equals(current.ClaimedBy, claim.ClaimedBy, StringComparison.Ordinal)
                || current.ClaimedBy is null
                || current.DueAt != claim.DueAt)
            {
                return false;
            }

            _due[claim.TenantId] = change(current);
            return true;
        }
    }
}
