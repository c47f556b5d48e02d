using SyncKit.Connectors;
using SyncKit.Testing.Connectors;

namespace SyncKit.Benchmarks.Engine;

/// <summary>
/// A ledger that accepts every element and keeps nothing (its id is the host's id), so a benchmark measures the engine
/// and its store, not a connector's bookkeeping, and a million records cost the connector no memory.
/// </summary>
internal sealed class DiscardingConnector : LedgerConnector
{
    private readonly ReferenceData _reference = new InMemoryLedger("bench").Reference;

    public override string Name => "discarding";

    public override int MaxBatchesInFlight(Records.RecordKind kind) => 5;

    public override Task<ReferenceData> LoadReferenceDataAsync(string tenantId, CancellationToken cancellationToken = default) => Task.FromResult(_reference);

    public override Task<PushResult> PushAsync(PushBatch batch, CancellationToken cancellationToken = default)
    {
        var outcomes = new ElementOutcome[batch.Elements.Count];
        for (var i = 0; i < outcomes.Length; i++)
        {
            var element = batch.Elements[i];
            outcomes[i] = new ElementOutcome { SourceId = element.Key.SourceId, RemoteId = element.RemoteId ?? "r-" + element.Key.SourceId };
        }

        return Task.FromResult(new PushResult { Outcomes = outcomes });
    }

    public override Task<IReadOnlyList<RemoteMatch>> FindCandidatesAsync(string tenantId, PushElement element, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<RemoteMatch>>([]);
}
