using SyncKit.Runs;

namespace SyncKit.Storage.InMemory;

/// <summary>A run log held in memory.</summary>
internal sealed class InMemoryRunLog : RunLog
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SyncRun> _runs = new(StringComparer.Ordinal);

    public override Task SaveAsync(SyncRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _runs[run.RunId] = run;
        }

        return Task.CompletedTask;
    }

    public override Task<SyncRun?> GetAsync(string runId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_runs.GetValueOrDefault(runId));
        }
    }

    public override Task<IReadOnlyList<SyncRun>> ListAsync(string tenantId, int limit, DateTimeOffset? startedBefore = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyList<SyncRun> runs = [.. _runs.Values
                .Where(r => string.Equals(r.TenantId, tenantId, StringComparison.Ordinal) && (startedBefore is null || r.StartedAt < startedBefore))
                .OrderByDescending(r => r.StartedAt.UtcTicks)
                .ThenByDescending(r => r.RunId, StringComparer.Ordinal)
                .Take(limit)];
            return Task.FromResult(runs);
        }
    }

    public override Task<int> DeleteTenantAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var ids = _runs.Values.Where(r => string.Equals(r.TenantId, tenantId, StringComparison.Ordinal)).Select(r => r.RunId).ToList();
            ids.ForEach(id => _runs.Remove(id));
            return Task.FromResult(ids.Count);
        }
    }
}
