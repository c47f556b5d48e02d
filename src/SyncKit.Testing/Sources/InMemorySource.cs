using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using SyncKit.Records;
using SyncKit.Sources;

namespace SyncKit.Testing.Sources;

/// <summary>
/// A host's data held in memory: records per tenant, with the "posted" mark a host keeps on its own rows.
/// It yields every record not posted, or changed since it was posted, like an accounting interface list.
/// </summary>
/// <typeparam name="TRecord">The record type.</typeparam>
public sealed class InMemorySource<TRecord> : SyncSource<TRecord>
    where TRecord : SyncRecord
{
    private readonly ConcurrentDictionary<(string Tenant, string SourceId), TRecord> _records = new();
    private readonly ConcurrentDictionary<(string Tenant, string SourceId), TRecord> _posted = new();
    private readonly ConcurrentDictionary<(string Tenant, string SourceId), RecordOutcome> _outcomes = new();
    private readonly RecordKind _kind;

    /// <summary>Creates the source.</summary>
    /// <param name="kind">The kind it yields.</param>
    public InMemorySource(RecordKind kind) => _kind = kind;

    /// <inheritdoc />
    public override RecordKind Kind => _kind;

    /// <summary>Outcomes the engine reported, by source id.</summary>
    public IReadOnlyDictionary<(string Tenant, string SourceId), RecordOutcome> Outcomes => _outcomes;

    /// <summary>Called as each record is yielded (tests use it to observe streaming).</summary>
    public Func<TRecord, ValueTask>? OnYield { get; set; }

    /// <summary>Adds or replaces a record (a change in the host).</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="record">The record.</param>
    public void Put(string tenantId, TRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        _records[(tenantId, record.SourceId)] = record;
    }

    /// <summary>Adds or replaces records.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="records">The records.</param>
    public void PutRange(string tenantId, IEnumerable<TRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        foreach (var record in records)
        {
            Put(tenantId, record);
        }
    }

    /// <summary>Removes a record from the host.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="sourceId">The record's id.</param>
    public void Remove(string tenantId, string sourceId) => _records.TryRemove((tenantId, sourceId), out _);

    /// <summary>A record by id.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="sourceId">The record's id.</param>
    /// <returns>The record.</returns>
    public TRecord this[string tenantId, string sourceId] => _records[(tenantId, sourceId)];

    /// <inheritdoc />
    public override async IAsyncEnumerable<TRecord> GetChangedAsync(string tenantId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var ((tenant, sourceId), record) in _records.OrderBy(r => r.Key.SourceId, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (tenant != tenantId || (_posted.TryGetValue((tenant, sourceId), out var posted) && Equals(posted, record)))
            {
                continue;
            }

            if (OnYield is { } onYield)
            {
                await onYield(record).ConfigureAwait(false);
            }

            yield return record;
        }
    }

    /// <inheritdoc />
    public override Task<TRecord?> GetAsync(string tenantId, string sourceId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_records.TryGetValue((tenantId, sourceId), out var record) ? record : null);

    /// <inheritdoc />
    public override Task OnOutcomesAsync(string tenantId, IReadOnlyList<RecordOutcome> outcomes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        foreach (var outcome in outcomes)
        {
            var key = (tenantId, outcome.Key.SourceId);
            _outcomes[key] = outcome;
            if (outcome.Posted && _records.TryGetValue(key, out var record))
            {
                _posted[key] = record;
            }
        }

        return Task.CompletedTask;
    }
}
