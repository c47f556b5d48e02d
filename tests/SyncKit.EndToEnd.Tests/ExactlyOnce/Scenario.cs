using SyncKit.Ledger;
using SyncKit.Runs;
using SyncKit.Testing.Sources;
using Xunit.Abstractions;

namespace SyncKit.EndToEnd.Tests.ExactlyOnce;

/// <summary>Shared steps of the exactly-once tests: load non-unique data, crash nodes, restart, run until nothing waits, check §9.</summary>
internal static class Scenario
{
    /// <summary>Longer than two lease lengths (a dead node's claims count as abandoned) and than Xero's six-minute key memory.</summary>
    public static readonly TimeSpan RestartDelay = TimeSpan.FromMinutes(11);

    public static async Task<(Cluster Cluster, InMemorySourceSet Sources, List<Expected> Expected, Ledger.LedgerState[] Unused)> SetUpAsync(WrittenKind kind, Action<Xero.XeroOptions>? xero = null, Action<SyncOptions>? engine = null)
    {
        var cluster = await Cluster.CreateAsync(xero: xero, engine: engine);
        var sources = new InMemorySourceSet();
        var (expected, _) = NonUniqueData.Load(sources, cluster.TenantId, kind);
        cluster.AddSources(sources);
        await cluster.ConnectAsync();
        return (cluster, sources, expected, []);
    }

    /// <summary>Runs fresh nodes until no entry waits (Pending, RetryScheduled, InFlight, Uncertain) or <paramref name="maxRuns"/> runs; returns the violations of the runs themselves.</summary>
    public static async Task<List<string>> RunUntilSettledAsync(Cluster cluster, ITestOutputHelper output, int maxRuns = 4, TimeSpan? gap = null)
    {
        var problems = new List<string>();
        var node = cluster.StartNode();
        for (var i = 0; i < maxRuns; i++)
        {
            var (run, error) = await node.SyncAsync();
            if (error is not null)
            {
                problems.Add($"A run on {node.Life.NodeId} threw {error.GetType().Name}: {error.Message}");
            }
            else if (run!.Outcome == RunOutcome.Failed)
            {
                problems.Add($"A run on {node.Life.NodeId} failed: {run.Message}");
            }

            output.WriteLine($"{node.Life.NodeId} run {i + 1}: {run?.Outcome} {run?.Message} (synced {run?.Counts.Synced}, failed {run?.Counts.Failed}, reconciled {run?.Counts.Reconciled})");
            var waiting = await cluster.EntriesAsync(LedgerState.Pending, LedgerState.RetryScheduled, LedgerState.InFlight, LedgerState.Uncertain);
            if (waiting.Count == 0)
            {
                break;
            }

            var now = cluster.Time.GetUtcNow();
            var due = waiting.Select(e => e.NextAttemptAt).OfType<DateTimeOffset>().DefaultIfEmpty(now).Max();
            cluster.Time.Advance((due > now ? due - now : TimeSpan.Zero) + (gap ?? TimeSpan.FromMinutes(7)));
        }

        return problems;
    }

    /// <summary>Fails the test with every violation, one a line, and what happened before.</summary>
    public static void AssertNone(List<string> violations, string story)
    {
        Assert.True(violations.Count == 0, $"{violations.Count} violation(s) of exactly once ({story}):\n - {string.Join("\n - ", violations.Distinct().Take(40))}");
    }
}
