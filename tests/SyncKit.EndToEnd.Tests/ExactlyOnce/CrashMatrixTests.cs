using SyncKit.Records;
using Xunit.Abstractions;

namespace SyncKit.EndToEnd.Tests.ExactlyOnce;

/// <summary>
/// ARCHITECTURE.md §9's matrix: a node dies at every step boundary of the write path, for every kind SyncKit writes,
/// over deliberately non-unique data; another node restarts on the same store and the same Xero and finishes.
/// Afterwards: at most one Xero document per record, each record Synced exactly once or visibly Failed/Uncertain with a
/// reason, the ledger agreeing with Xero, and the host told of every outcome.
/// </summary>
public sealed class CrashMatrixTests(ITestOutputHelper output)
{
    /// <summary>Every step × every kind; the <see cref="CrashStep.None"/> row is the control (no crash: what fails there is the data, not the crash).</summary>
    public static TheoryData<CrashStep, WrittenKind> Matrix()
    {
        var data = new TheoryData<CrashStep, WrittenKind>();
        foreach (var step in Enum.GetValues<CrashStep>())
        {
            foreach (var kind in Enum.GetValues<WrittenKind>())
            {
                data.Add(step, kind);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task NodeDies_ThenAnotherNodeFinishesOnTheSameStore_EachRecordLandsAtMostOnce(CrashStep step, WrittenKind kind)
    {
        var (cluster, sources, expected, _) = await Scenario.SetUpAsync(kind);
        await using var _cluster = cluster;
        var crashKinds = NonUniqueData.Load(new(), cluster.TenantId, kind).CrashKinds;
        var story = new List<string>();

        // Reconcile crash points need a write that landed while its answer was lost: a first node dies after sending.
        var lives = new List<NodeLife>();
        if (step is CrashStep.DuringReconcileLookup or CrashStep.AfterReconcileLookupBeforeSettle)
        {
            lives.Add(await CrashOneAsync(cluster, CrashStep.AfterSendBeforeAnswer, crashKinds, story));
            cluster.Time.Advance(Scenario.RestartDelay);
        }

        if (step != CrashStep.None)
        {
            lives.Add(await CrashOneAsync(cluster, step, crashKinds, story));
        }

        // The harness itself: every node died where it was told to, and nothing of a dead node got through.
        foreach (var life in lives)
        {
            Assert.True(life.Tripped, $"{life.NodeId} never reached {life.Step} for {string.Join('/', life.Kinds)}: the crash point was not exercised. {string.Join(" ", story)}");
            Assert.Equal(0, life.PassedAfterTrip);
        }

        // Restart: new nodes on the same store and the same Xero, after the dead node's lease and Xero's key memory lapsed.
        cluster.Time.Advance(Scenario.RestartDelay);
        var violations = await Scenario.RunUntilSettledAsync(cluster, output);
        violations.AddRange(await Invariants.CheckAsync(cluster, expected));
        violations.AddRange(await Invariants.CheckOutcomesDeliveredAsync(cluster, sources, expected));
        Scenario.AssertNone(violations, string.Join(" ", story));
    }

    private async Task<NodeLife> CrashOneAsync(Cluster cluster, CrashStep step, RecordKind[] kinds, List<string> story)
    {
        var node = cluster.StartNode(step, kinds);
        var (run, error) = await node.SyncAsync();
        var line = $"{node.Life.NodeId} died {node.Life.TrippedAt ?? "(never)"}; its run {(error is null ? "returned " + run?.Outcome : "threw " + error.GetType().Name)}; {node.Life.Refused} call(s) refused after.";
        story.Add(line);
        output.WriteLine(line);
        await node.DisposeAsync();
        return node.Life;
    }
}
