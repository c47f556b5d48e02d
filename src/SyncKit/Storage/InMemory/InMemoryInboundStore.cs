using SyncKit.Records;

namespace SyncKit.Storage.InMemory;

/// <summary>Pull cursors and pulled records held in memory.</summary>
internal sealed class InMemoryInboundStore : InboundStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string TenantId, RecordKind Kind), PullCursor> _cursors = [];
    private readonly SortedDictionary<(string TenantId, RecordKind Kind, string RemoteId), InboundRecord> _records = new(KeyComparer.Instance);

    public override Task<PullCursor?> GetCursorAsync(string tenantId, RecordKind kind, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_cursors.GetValueOrDefault((tenantId, kind)));
        }
    }

    public override Task SaveCursorAsync(PullCursor cursor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _cursors[(cursor.TenantId, cursor.Kind)] = cursor;
        }

        return Task.CompletedTask;
    }

    public override Task<IReadOnlyDictionary<string, InboundRecord>> GetRecordsAsync(string tenantId, RecordKind kind, IReadOnlyCollection<string> remoteIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(remoteIds);
        cancellationToken.ThrowIfCancellationRequested();
        var found = new Dictionary<string, InboundRecord>(StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (var id in remoteIds)
            {
                if (_records.TryGetValue((tenantId, kind, id), out var record))
                {
                    found[id] = record;
                }
            }
        }

        return Task.FromResult<IReadOnlyDictionary<string, InboundRecord>>(found);
    }

    public override Task SaveRecordAsync(InboundRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            // As the relational stores do: a replaced record keeps the time it was first pulled.
            var key = (record.TenantId, record.Kind, record.RemoteId);
            _records[key] = _records.TryGetValue(key, out var existing) ? record with { CreatedAt = existing.CreatedAt } : record;
        }

        return Task.CompletedTask;
    }

    public override Task<IReadOnlyList<InboundRecord>> ListRecordsAsync(string tenantId, IReadOnlyCollection<InboundState> states, int limit, (RecordKind Kind, string RemoteId)? after = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(states);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyList<InboundRecord> page = _records
                .Where(r => string.Equals(r.Key.TenantId, tenantId, StringComparison.Ordinal)
                    && (states.Count == 0 || states.Contains(r.Value.State))
                    && (after is not { } a || r.Key.Kind > a.Kind || (r.Key.Kind == a.Kind && string.CompareOrdinal(r.Key.RemoteId, a.RemoteId) > 0)))
                .Take(limit)
                .Select(r => r.Value)
                .ToList();
            return Task.FromResult(page);
        }
    }

    private sealed class KeyComparer : IComparer<(string TenantId, RecordKind Kind, string RemoteId)>
    {
        public static readonly KeyComparer Instance = new();

        public int Compare((string TenantId, RecordKind Kind, string RemoteId) x, (string TenantId, RecordKind Kind, string RemoteId) y)
        {
            var byTenant = string.CompareOrdinal(x.TenantId, y.TenantId);
            if (byTenant != 0)
            {
                return byTenant;
            }

            var byKind = x.Kind.CompareTo(y.Kind);
            return byKind != 0 ? byKind : string.CompareOrdinal(x.RemoteId, y.RemoteId);
        }
    }

    public override Task<int> DeleteTenantAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var cursors = _cursors.Keys.Where(k => string.Equals(k.TenantId, tenantId, StringComparison.Ordinal)).ToList();
            var records = _records.Keys.Where(k => string.Equals(k.TenantId, tenantId, StringComparison.Ordinal)).ToList();
            cursors.ForEach(k => _cursors.Remove(k));
            records.ForEach(k => _records.Remove(k));
            return Task.FromResult(cursors.Count + records.Count);
        }
    }
}
