using SyncKit.Ledger;
using SyncKit.Records;
using SyncKit.Runs;
using Xunit.Abstractions;

namespace SyncKit.EndToEnd.Tests;

public sealed class VolumeTests(ITestOutputHelper output)
{
    /// <summary>What the connector reads once per run: Organisation, Accounts, TaxRates, TrackingCategories, Currencies.</summary>
    private const int ReferenceReadsPerRun = 5;

    /// <summary>The one read of the organisation's contacts (they fit in a page of 1,000) that matches new contacts before they are created.</summary>
    private const int ContactDirectoryReadsPerRun = 1;

    [Fact]
    public async Task TwoThousandInvoicesForFiveHundredNewCustomers_LandExactlyOnce_InFewCalls_WithoutA429()
    {
        await using var harness = await XeroHarness.CreateAsync();
        var data = Data.Load(harness, customers: 500, invoices: 2000, items: 20, paymentEvery: 2);

        var run = await harness.DriveSyncAsync();

        Assert.Equal(RunOutcome.Completed, run.Outcome);

        // The emulator holds exactly the host's records.
        var export = harness.Export();
        var contacts = export.GetProperty("contacts").EnumerateArray().ToList();
        var invoices = export.GetProperty("invoices").EnumerateArray().ToList();
        var items = export.GetProperty("items").EnumerateArray().ToList();
        var payments = export.GetProperty("payments").EnumerateArray().ToList();
        Assert.Equal(data.Contacts.Select(c => c.Name).Order(), contacts.Select(c => c.GetProperty("Name").GetString()).Order());
        Assert.Equal(data.Invoices.Select(i => i.Number).Order(), invoices.Select(i => i.GetProperty("InvoiceNumber").GetString()).Order());
        Assert.Equal(data.Items.Select(i => i.Code).Order(), items.Select(i => i.GetProperty("Code").GetString()).Order());
        Assert.Equal(data.Payments.Count, payments.Count);

        // Every ledger entry is Synced with the id Xero gave it.
        var entries = await harness.AllEntriesAsync();
        Assert.Equal(data.Contacts.Count + data.Items.Count + data.Invoices.Count + data.Payments.Count, entries.Count);
        Assert.All(entries, e => Assert.True(e.State == LedgerState.Synced && e.RemoteId is not null, $"{e.Kind} {e.SourceId}: {e.State} {e.Error?.Message}"));
        var remoteIds = contacts.Select(c => c.GetProperty("ContactID").GetString())
            .Concat(invoices.Select(i => i.GetProperty("InvoiceID").GetString()))
            .Concat(items.Select(i => i.GetProperty("ItemID").GetString()))
            .Concat(payments.Select(p => p.GetProperty("PaymentID").GetString()))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.All(entries, e => Assert.Contains(e.RemoteId!, remoteIds));

        // Calls: at most 10% over the lower bound — one write per 50 elements of each kind and the run's reference
        // reads. Matching new contacts before creating them (no duplicate contacts) costs one read of the
        // organisation's contacts, which is inside the 10%.
        var writes = Batches(data.Contacts.Count) + Batches(data.Items.Count) + Batches(data.Invoices.Count) + Batches(data.Payments.Count);
        var lowerBound = writes + ReferenceReadsPerRun;
        var calls = harness.ApiCalls;
        output.WriteLine($"{calls} calls; lower bound (writes + reference reads) {lowerBound}; allowed {lowerBound * 1.1:0.#}; 429s {harness.RateLimited}; run took {run.Duration} virtual. {Describe(harness)}");
        Assert.True(calls <= lowerBound * 1.1, $"{calls} calls; lower bound {lowerBound}, allowed {lowerBound * 1.1:0.#}. {Describe(harness)}");
        Assert.Equal(ContactDirectoryReadsPerRun, harness.Emulator.GetStats().Calls[harness.Tenant.TenantId]["GET Contacts"]);

        // Under Xero's real limits (60 a minute, 5 in flight) the governor never earns a 429: the calls do not fit in
        // one minute window, and the governor waits for the next rather than be refused (on a quiet machine the run
        // takes exactly one minute of virtual time: 60 calls, a wait for the window, the rest).
        Assert.Equal(0, harness.RateLimited);
        Assert.True(run.Duration >= TimeSpan.FromMinutes(1), $"The run took {run.Duration}.");
    }

    private static int Batches(int elements) => (elements + 49) / 50;

    private static string Describe(XeroHarness harness) =>
        string.Join(", ", harness.Emulator.GetStats().Calls[harness.Tenant.TenantId].Select(kv => $"{kv.Key}: {kv.Value}"));
}
