using System.Collections.Concurrent;

namespace SyncKit.Storage.InMemory;

/// <summary>Usage held in memory (for tests and single-process hosts that accept losing it on restart).</summary>
internal sealed class InMemoryUsageStore : UsageStore
{
    private readonly ConcurrentDictionary<(string Tenant, string Month, string Endpoint), long> _egress = new();
    private readonly ConcurrentDictionary<string, CallWindow> _windows = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public override Task AddEgressAsync(IReadOnlyCollection<EgressCounter> increments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(increments);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            foreach (var i in increments)
            {
                _egress.AddOrUpdate((i.TenantId, i.Month, i.Endpoint), i.Bytes, (_, total) => total + i.Bytes);
            }
        }

        return Task.CompletedTask;
    }

    public override Task<IReadOnlyList<EgressCounter>> GetEgressAsync(string tenantId, string month, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            IReadOnlyList<EgressCounter> counters = _egress
                .Where(e => e.Key.Tenant == tenantId && e.Key.Month == month)
                .OrderBy(e => e.Key.Endpoint, StringComparer.Ordinal)
                .Select(e => new EgressCounter { TenantId = tenantId, Month = month, Endpoint = e.Key.Endpoint, Bytes = e.Value })
                .ToArray();
            return Task.FromResult(counters);
        }
    }

    public override Task SaveCallWindowAsync(CallWindow window, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(window);
        cancellationToken.ThrowIfCancellationRequested();
        _windows[window.TenantId] = window;
        return Task.CompletedTask;
    }

    public override Task<CallWindow?> GetCallWindowAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_windows.GetValueOrDefault(tenantId));
    }
}
