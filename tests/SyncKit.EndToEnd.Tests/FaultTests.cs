using SyncKit.Ledger;
using SyncKit.Runs;
using SyncKit.Testing.Emulator;
using Xunit.Abstractions;

namespace SyncKit.EndToEnd.Tests;

/// <summary>Exactly once under a flaky network: writes that land but whose answers are lost, and server errors.</summary>
public sealed class FaultTests(ITestOutputHelper output)
{
    private const int MaxRuns = 30;

    /// <param name="retries">
    /// 3 (the default): a dropped write is retried at once with its Idempotency-Key and Xero replays the answer.
    /// 0: nothing is retried in the run; dropped writes stay Uncertain and later runs, more than six minutes on (the
    /// key forgotten), must reconcile them by lookup before creating anything again.
    /// </param>
    [Theory]
    [InlineData(3)]
    [InlineData(0)]
    public async Task CommitThenDropOnTenPercentOfWrites_AndServerErrorsOnFivePercent_SettleWithNoDuplicatesAndNothingLost(int retries)
    {
        await using var h = await XeroHarness.CreateAsync(seed: 7, xero: o => o.MaxRetryAttempts = retries);
        var data = Data.Load(h, customers: 100, invoices: 500, items: 10, paymentEvery: 5);
        foreach (var method in new[] { "PUT", "POST" })
        {
            h.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.CommitThenDrop, Method = method, Probability = 0.10 });
        }

        h.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.ServerError, StatusCode = 500, Probability = 0.05 });

        // Run, let time pass for retries and reconciliation, and run again until nothing waits (or the cap).
        var runs = new List<SyncRun>();
        List<LedgerEntry> waiting;
        do
        {
            runs.Add(await h.DriveSyncAsync());
            waiting = await h.AllEntriesAsync(LedgerState.Pending, LedgerState.RetryScheduled, LedgerState.Uncertain);
            var due = waiting.Select(e => e.NextAttemptAt).OfType<DateTimeOffset>().DefaultIfEmpty(h.Time.GetUtcNow()).Max();
            h.Time.Advance((due > h.Time.GetUtcNow() ? due - h.Time.GetUtcNow() : TimeSpan.Zero) + TimeSpan.FromMinutes(7));
        }
        while (waiting.Count > 0 && runs.Count < MaxRuns);

        var stats = h.Emulator.GetStats();
        output.WriteLine($"{runs.Count} runs; {h.ApiCalls} calls; faults: {string.Join(", ", stats.Faults.Select(kv => $"{kv.Key} {kv.Value}"))}; outcomes: {string.Join(", ", runs.Select(r => r.Outcome + (r.Outcome == RunOutcome.Failed ? " (" + r.Message + ")" : string.Empty)).Distinct())}");
        Assert.True(stats.Faults.GetValueOrDefault("CommitThenDrop") > 0 && stats.Faults.GetValueOrDefault("ServerError") > 0, "Both faults were injected.");
        Assert.True(waiting.Count == 0, $"Still waiting after {runs.Count} runs: {string.Join(", ", waiting.Take(10).Select(e => $"{e.SourceId} {e.State}"))}");

        // Zero duplicates in Xero.
        var export = h.Export();
        var invoiceNumbers = export.GetProperty("invoices").EnumerateArray().Select(i => i.GetProperty("InvoiceNumber").GetString()).ToList();
        var contactNames = export.GetProperty("contacts").EnumerateArray().Select(c => c.GetProperty("Name").GetString()).ToList();
        var itemCodes = export.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("Code").GetString()).ToList();
        var paymentRefs = export.GetProperty("payments").EnumerateArray()
            .Where(p => p.GetProperty("Status").GetString() != "DELETED")
            .Select(p => p.GetProperty("Invoice").GetProperty("InvoiceID").GetString()).ToList();
        Assert.Equal(invoiceNumbers.Count, invoiceNumbers.Distinct().Count());
        Assert.Equal(contactNames.Count, contactNames.Distinct().Count());
        Assert.Equal(itemCodes.Count, itemCodes.Distinct().Count());
        Assert.Equal(paymentRefs.Count, paymentRefs.Distinct().Count());

        // Zero lost: every source record is Synced, and Xero holds exactly them.
        var entries = await h.AllEntriesAsync();
        Assert.Equal(data.Contacts.Count + data.Items.Count + data.Invoices.Count + data.Payments.Count, entries.Count);
        Assert.All(entries, e => Assert.True(e.State == LedgerState.Synced && e.RemoteId is not null, $"{e.Kind} {e.SourceId}: {e.State} {e.Error?.Category} {e.Error?.Message}"));
        Assert.Equal(data.Invoices.Count, invoiceNumbers.Count);
        Assert.Equal(data.Contacts.Count, contactNames.Count);
        Assert.Equal(data.Items.Count, itemCodes.Count);
        Assert.Equal(data.Payments.Count, paymentRefs.Count);
    }

    [Fact]
    public async Task ReconcileLookupFailing_LeavesItsRecordsUncertain_AndTheRunCarriesOn()
    {
        await using var h = await XeroHarness.CreateAsync(xero: o => o.MaxRetryAttempts = 0);
        var data = Data.Load(h, customers: 2, invoices: 3, items: 0, paymentEvery: 0);
        h.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.CommitThenDrop, Method = "PUT", Path = "/Invoices", Count = 1 });
        await h.SyncAsync();
        Assert.Equal(3, (await h.AllEntriesAsync(LedgerState.Uncertain)).Count);

        // The three are looked up in one read; it answers 500: they wait for the next run, and the run carries on.
        h.Time.Advance(TimeSpan.FromMinutes(7));
        h.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.ServerError, Method = "GET", Path = "/Invoices", Count = 1 });
        var second = await h.SyncAsync();

        Assert.NotEqual(RunOutcome.Failed, second.Outcome);
        Assert.Equal(3, (await h.AllEntriesAsync(LedgerState.Uncertain)).Count);

        var third = await h.SyncAsync();

        Assert.Equal(RunOutcome.Completed, third.Outcome);
        Assert.All(await h.AllEntriesAsync(), e => Assert.Equal(LedgerState.Synced, e.State));
        Assert.Equal(data.Invoices.Count, h.Export().GetProperty("invoices").GetArrayLength());
    }

    [Fact]
    public async Task DroppedBatchOfFiftyInvoices_IsReconciledInOneRead_WithoutDuplicates()
    {
        await using var h = await XeroHarness.CreateAsync(xero: o => o.MaxRetryAttempts = 0);
        var data = Data.Load(h, customers: 2, invoices: 50, items: 0, paymentEvery: 0);
        h.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.CommitThenDrop, Method = "PUT", Path = "/Invoices", Count = 1 });
        await h.SyncAsync();
        Assert.Equal(50, (await h.AllEntriesAsync(LedgerState.Uncertain)).Count);
        var readsBefore = h.Emulator.GetStats().Calls[h.Tenant.TenantId].GetValueOrDefault("GET Invoices");

        h.Time.Advance(TimeSpan.FromMinutes(7));
        var second = await h.SyncAsync();

        Assert.Equal(RunOutcome.Completed, second.Outcome);
        Assert.Equal(50, second.Counts.Reconciled);
        Assert.Equal(readsBefore + 1, h.Emulator.GetStats().Calls[h.Tenant.TenantId]["GET Invoices"]);
        Assert.Equal(data.Invoices.Count, h.Export().GetProperty("invoices").GetArrayLength());
    }
}
