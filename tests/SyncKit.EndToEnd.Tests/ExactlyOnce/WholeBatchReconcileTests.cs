using SyncKit.Ledger;
using SyncKit.Records;
using Xunit.Abstractions;

namespace SyncKit.EndToEnd.Tests.ExactlyOnce;

/// <summary>
/// A whole batch of look-alikes lands and its node dies before settling it: invoices the host numbered and identical
/// invoices Xero numbered itself, all of one customer, date and reference. (Found by the process tests, where a batch
/// of ten held them all; the matrix's batches of two never did.)
/// </summary>
public sealed class WholeBatchReconcileTests(ITestOutputHelper output)
{
    [Fact]
    public async Task BatchOfLookAlikesLandsUnsettled_NumberedOnesTakeTheirOwn_AndIdenticalOnesShareTheRest()
    {
        var (cluster, _, expected, _) = await Scenario.SetUpAsync(WrittenKind.SalesInvoices, xero: o => o.BatchSize = 10);
        await using var _cluster = cluster;
        await cluster.StartNode(CrashStep.AfterAnswerBeforeSettle, RecordKind.Invoice).SyncAsync();
        cluster.Time.Advance(Scenario.RestartDelay);

        var violations = await Scenario.RunUntilSettledAsync(cluster, output);
        violations.AddRange(await Invariants.CheckAsync(cluster, expected));
        Scenario.AssertNone(violations, "a batch of look-alike invoices landed, its node died before settling");

        var invoices = await cluster.EntriesAsync();
        Assert.All(invoices.Where(e => e.Kind == RecordKind.Invoice), e => Assert.True(e.State == LedgerState.Synced, $"{e.SourceId} is {e.State}: {e.Error?.Message}"));
    }
}
