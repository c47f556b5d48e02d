using SyncKit.Ledger;
using SyncKit.Records;
using SyncKit.Runs;

namespace SyncKit.EndToEnd.Tests.ExactlyOnce;

/// <summary>The harness itself: a crash behaves like a killed process, and a restart really works on the same store.</summary>
public sealed class HarnessSoundnessTests
{
    [Fact]
    public async Task DeadNode_WritesNothingMore_ItsLeaseStaysHeld_ItsRunStaysOpen_AndXeroHearsNothingMore()
    {
        var (cluster, _, _, _) = await Scenario.SetUpAsync(WrittenKind.SalesInvoices);
        await using var _cluster = cluster;
        var node = cluster.StartNode(CrashStep.AfterClaim, RecordKind.Invoice);

        var (_, error) = await node.SyncAsync();
        var callsAtDeath = cluster.Emulator.GetStats().TotalCalls;
        cluster.Time.Advance(TimeSpan.FromMinutes(1));

        Assert.IsType<NodeCrashedException>(error);
        Assert.True(node.Life.Tripped);
        Assert.True(node.Life.Refused > 0, "The dying run tried nothing after the crash; the test proves nothing.");
        Assert.Equal(0, node.Life.PassedAfterTrip);
        Assert.Equal(callsAtDeath, cluster.Emulator.GetStats().TotalCalls);

        // The shared store, read directly: the claim landed, nothing after it did.
        var invoices = (await cluster.EntriesAsync()).Where(e => e.Kind == RecordKind.Invoice).ToList();
        Assert.Contains(invoices, e => e.State == LedgerState.InFlight && e.IdempotencyKey is not null);
        Assert.DoesNotContain(invoices, e => e.State == LedgerState.Synced);
        var lease = await cluster.Storage.Tenants.GetLeaseAsync(cluster.TenantId, "sync");
        Assert.NotNull(lease);
        Assert.Equal(node.Life.NodeId, lease.Holder);
        var runs = await cluster.Storage.Runs.ListAsync(cluster.TenantId, 10);
        Assert.Equal(RunOutcome.Running, Assert.Single(runs).Outcome);

        // And the dead node's container refuses everything, even a read.
        await Assert.ThrowsAsync<NodeCrashedException>(() => node.Engine.GetStatusAsync(cluster.TenantId));
    }

    [Fact]
    public async Task Restart_IsAnotherNode_OnTheSameStore_ThatSeesTheDeadNodesClaims_AndTakesTheLeaseWhenItLapses()
    {
        var (cluster, _, _, _) = await Scenario.SetUpAsync(WrittenKind.SalesInvoices);
        await using var _cluster = cluster;
        var dead = cluster.StartNode(CrashStep.AfterClaim, RecordKind.Invoice);
        await dead.SyncAsync();
        var claimed = (await cluster.EntriesAsync(LedgerState.InFlight)).Select(e => e.SourceId).ToList();
        Assert.NotEmpty(claimed);

        // Within the lease, another node is told a run is under way (the dead node's lease is in the shared store).
        var early = cluster.StartNode();
        Assert.NotEqual(dead.Life.NodeId, early.Life.NodeId);
        var (blocked, _) = await early.SyncAsync();
        Assert.Equal(RunOutcome.AlreadyRunning, blocked!.Outcome);

        cluster.Time.Advance(Scenario.RestartDelay);
        var restarted = cluster.StartNode();
        var seen = await restarted.Engine.QueryLedgerAsync(new Storage.LedgerQuery { TenantId = cluster.TenantId, States = [LedgerState.InFlight] });
        Assert.Equal(claimed.Order(), seen.Entries.Select(e => e.SourceId).Order());
        var (run, error) = await restarted.SyncAsync();
        Assert.Null(error);
        Assert.NotEqual(RunOutcome.AlreadyRunning, run!.Outcome);
        Assert.Empty(await cluster.EntriesAsync(LedgerState.InFlight));
    }
}
