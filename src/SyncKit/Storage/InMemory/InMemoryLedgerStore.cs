using SyncKit.Ledger;
using SyncKit.Records;
using SyncKit.Storage.Internal;

namespace SyncKit.Storage.InMemory;

/// <summary>A ledger store held in memory: for tests and single-process demos.</summary>
internal sealed class InMemoryLedgerStore : LedgerStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<LedgerKey, LedgerEntry> _entries = [];

    public override Task<LedgerEntry?> GetAsync(LedgerKey key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_entries.GetValueOrDefault(key));
        }
    }

    public override Task<IReadOnlyDictionary<string, LedgerEntry>> GetManyAsync(string tenantId, RecordKind kind, IReadOnlyCollection<string> sourceIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sourceIds);
        cancellationToken.ThrowIfCancellationRequested();
        var found = new Dictionary<string, LedgerEntry>(StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (var id in sourceIds)
            {
                if (_entries.TryGetValue(new LedgerKey(tenantId, kind, id), out var entry))
                {
                    found[id] = entry;
                }
            }
        }

        return Task.FromResult<IReadOnlyDictionary<string, LedgerEntry>>(found);
    }

    public override Task<IReadOnlyList<LedgerKey>> SaveAsync(IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        cancellationToken.ThrowIfCancellationRequested();
        var conflicts = new List<LedgerKey>();
        lock (_gate)
        {
            foreach (var entry in entries)
            {
                var key = entry.Key;
                var storedVersion = _entries.TryGetValue(key, out var stored) ? stored.Version : 0;
                if (storedVersion != entry.Version)
                {
                    conflicts.Add(key);
                    continue;
                }

                _entries[key] = entry with { Version = entry.Version + 1 };
            }
        }

        return Task.FromResult<IReadOnlyList<LedgerKey>>(conflicts);
    }

    public override Task<LedgerPage> QueryAsync(LedgerQuery query, CancellationToken cancellationToken = default)
    {
        var after = LedgerContinuation.Validate(query);
        cancellationToken.ThrowIfCancellationRequested();
        List<LedgerEntry> matches;
        lock (_gate)
        {
            matches = [.. _entries.Values.Where(e => Matches(e, query, after))];
        }

        matches.Sort(static (a, b) =>
        {
            var byKind = ((int)a.Kind).CompareTo((int)b.Kind);
            return byKind != 0 ? byKind : string.CompareOrdinal(a.SourceId, b.SourceId);
        });

        var page = matches.Count > query.PageSize ? matches.GetRange(0, query.PageSize) : matches;
        var token = matches.Count > query.PageSize ? LedgerContinuation.Encode(page[^1].Kind, page[^1].SourceId) : null;
        return Task.FromResult(new LedgerPage { Entries = page, ContinuationToken = token });
    }

    public override Task<IReadOnlyDictionary<string, LedgerKey>> FindOwnersAsync(string tenantId, RecordKind kind, IReadOnlyCollection<string> remoteIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(remoteIds);
        cancellationToken.ThrowIfCancellationRequested();
        var wanted = remoteIds.ToHashSet(StringComparer.Ordinal);
        var owners = new Dictionary<string, LedgerKey>(StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (var entry in _entries.Values)
            {
                // When several entries hold an id, the lowest source id wins, as in the relational stores.
                if (entry.Kind == kind && entry.RemoteId is { } remoteId && wanted.Contains(remoteId) && string.Equals(entry.TenantId, tenantId, StringComparison.Ordinal)
                    && (!owners.TryGetValue(remoteId, out var owner) || string.CompareOrdinal(entry.SourceId, owner.SourceId) < 0))
                {
                    owners[remoteId] = entry.Key;
                }
            }
        }

        return Task.FromResult<IReadOnlyDictionary<string, LedgerKey>>(owners);
    }

    public override Task AcknowledgeOutcomesAsync(IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            foreach (var entry in entries)
            {
                if (_entries.TryGetValue(entry.Key, out var stored) && stored.Version == entry.Version)
                {
                    _entries[entry.Key] = stored with { OutcomePending = false };
                }
            }
        }

        return Task.CompletedTask;
    }

    public override Task<LedgerCounts> CountAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var byState = new Dictionary<LedgerState, int>();
        var byCategory = new Dictionary<string, int>(StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (var entry in _entries.Values)
            {
                if (!string.Equals(entry.TenantId, tenantId, StringComparison.Ordinal))
                {
                    continue;
                }

                byState[entry.State] = byState.GetValueOrDefault(entry.State) + 1;
                if (entry.Error is { } error)
                {
                    byCategory[error.Category] = byCategory.GetValueOrDefault(error.Category) + 1;
                }
            }
        }

        return Task.FromResult(new LedgerCounts { ByState = byState, ByCategory = byCategory });
    }

    private static bool Matches(LedgerEntry e, LedgerQuery q, (RecordKind Kind, string SourceId)? after)
    {
        if (!string.Equals(e.TenantId, q.TenantId, StringComparison.Ordinal))
        {
            return false;
        }

        if (after is { } a)
        {
            var byKind = ((int)e.Kind).CompareTo((int)a.Kind);
            if (byKind < 0 || (byKind == 0 && string.CompareOrdinal(e.SourceId, a.SourceId) <= 0))
            {
                return false;
            }
        }

        return (q.States.Count == 0 || q.States.Contains(e.State))
            && (q.Kinds.Count == 0 || q.Kinds.Contains(e.Kind))
            && (q.ErrorCategory is null || string.Equals(e.Error?.Category, q.ErrorCategory, StringComparison.Ordinal))
            && (q.MissingMapping is null || string.Equals(e.MissingMapping, q.MissingMapping, StringComparison.Ordinal))
            && (q.NotTouchedByRunId is null || !string.Equals(e.RunId, q.NotTouchedByRunId, StringComparison.Ordinal))
            && (q.TouchedByRunId is null || string.Equals(e.RunId, q.TouchedByRunId, StringComparison.Ordinal))
            && (q.OutcomePending is null || e.OutcomePending == q.OutcomePending)
            && (q.DueAt is null || e.NextAttemptAt is null || e.NextAttemptAt <= q.DueAt);
    }

    public override Task<int> DeleteTenantAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var keys = _entries.Keys.Where(k => string.Equals(k.TenantId, tenantId, StringComparison.Ordinal)).ToList();
            keys.ForEach(k => _entries.Remove(k));
            return Task.FromResult(keys.Count);
        }
    }
}
