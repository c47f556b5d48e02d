using SyncKit.Testing.Emulator;
using Xunit.Abstractions;

namespace SyncKit.EndToEnd.Tests.ExactlyOnce;

/// <summary>
/// Xero commits a write and the answer is lost (the emulator's CommitThenDrop); the engine tries again after 1 minute
/// (inside Xero's six-minute idempotency window: the key replays) and after 10 minutes (outside it: only the ledger and
/// a lookup stand between the retry and a duplicate). No in-call retries, so the engine itself must come back.
/// </summary>
public sealed class LostAnswerTests(ITestOutputHelper output)
{
    public static TheoryData<WrittenKind, int> Windows()
    {
        var data = new TheoryData<WrittenKind, int>();
        foreach (var kind in Enum.GetValues<WrittenKind>())
        {
            data.Add(kind, 1);
            data.Add(kind, 10);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Windows))]
    public async Task WriteCommittedAnswerLost_RetriedAfterMinutes_LandsAtMostOnce(WrittenKind kind, int retryAfterMinutes)
    {
        var (cluster, sources, expected, _) = await Scenario.SetUpAsync(kind, engine: o => o.InitialBackoff = TimeSpan.FromSeconds(20));
        await using var _cluster = cluster;
        foreach (var method in new[] { "PUT", "POST" })
        {
            cluster.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.CommitThenDrop, Method = method, Path = WritePath(kind), Count = 1 });
        }

        var first = cluster.StartNode();
        var (run, error) = await first.SyncAsync();
        output.WriteLine($"first run: {run?.Outcome} {run?.Message} {error?.Message}");
        Assert.True(cluster.Emulator.GetStats().Faults.GetValueOrDefault("CommitThenDrop") > 0, $"No write to {WritePath(kind)} was dropped: the fault did not fire.");
        var story = $"answers to {WritePath(kind)} lost; retried after {retryAfterMinutes} min";

        cluster.Time.Advance(TimeSpan.FromMinutes(retryAfterMinutes));
        var violations = new List<string>();
        if (error is not null)
        {
            violations.Add($"The run that lost the answer threw {error.GetType().Name}: {error.Message}");
        }

        violations.AddRange(await Scenario.RunUntilSettledAsync(cluster, output, gap: TimeSpan.FromMinutes(retryAfterMinutes)));
        violations.AddRange(await Invariants.CheckAsync(cluster, expected));
        violations.AddRange(await Invariants.CheckOutcomesDeliveredAsync(cluster, sources, expected));
        Scenario.AssertNone(violations, story);
    }

    /// <summary>The emulator path of the kind's writes (PUT creates, POST updates; Practice Manager posts XML).</summary>
    private static string WritePath(WrittenKind kind) => kind switch
    {
        WrittenKind.Contacts => "/Contacts",
        WrittenKind.Items => "/Items",
        WrittenKind.SalesInvoices or WrittenKind.Bills => "/Invoices",
        WrittenKind.CreditNotes => "/CreditNotes",
        WrittenKind.PurchaseOrders => "/PurchaseOrders",
        WrittenKind.Payments => "/Payments",
        WrittenKind.XpmClients => "client.api",
        WrittenKind.Jobs => "job.api/add",
        WrittenKind.Costs => "job.api/cost",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
