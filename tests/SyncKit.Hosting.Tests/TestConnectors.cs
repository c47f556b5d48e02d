using SyncKit.Connectors;
using SyncKit.Records;
using SyncKit.Testing.Connectors;

namespace SyncKit.Hosting.Tests;

/// <summary>The in-memory ledger, whose reference-data load throws for the next few calls (an outage).</summary>
internal sealed class FlakyConnector(InMemoryLedgerConnector inner) : LedgerConnector
{
    private int _failLoads;

    public override string Name => "flaky";

    public void FailNextLoads(int count) => Interlocked.Add(ref _failLoads, count);

    public override int MaxBatchSize(RecordKind kind) => inner.MaxBatchSize(kind);

    public override Task<ReferenceData> LoadReferenceDataAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Decrement(ref _failLoads) >= 0)
        {
            throw new HttpRequestException("The ledger is unreachable (injected by the test).");
        }

        Interlocked.Exchange(ref _failLoads, 0);
        return inner.LoadReferenceDataAsync(tenantId, cancellationToken);
    }

    public override Task<PushResult> PushAsync(PushBatch batch, CancellationToken cancellationToken = default) => inner.PushAsync(batch, cancellationToken);

    public override Task<IReadOnlyList<RemoteMatch>> FindCandidatesAsync(string tenantId, PushElement element, CancellationToken cancellationToken = default) =>
        inner.FindCandidatesAsync(tenantId, element, cancellationToken);
}
