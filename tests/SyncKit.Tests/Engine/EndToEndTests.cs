using SyncKit.Errors;
using SyncKit.Ledger;
using SyncKit.Records;
using SyncKit.Runs;
using SyncKit.Testing.Demo;

namespace SyncKit.Tests.Engine;

public sealed class EndToEndTests
{
    [Fact]
    public async Task SyncAll_AThousandRecordsOfEveryKind_LandsEachSeedProblemInItsStateWithItsCategory()
    {
        await using var harness = new EngineHarness(o => o.WarnOnMissingBillingContact = true);
        var demo = await harness.LoadDemoAsync(customers: 1000, invoices: 1000);

        var run = await harness.SyncAllAsync();

        Assert.Equal(RunOutcome.CompletedWithErrors, run.Outcome);
        await AssertEntry(harness, RecordKind.Cost, DemoProblems.UnmappedOrganisation, LedgerState.Unmapped, ErrorCategories.UnmappedOrganisation, "Organisation is unmapped");
        await AssertEntry(harness, RecordKind.Cost, DemoProblems.JobNotInProgress, LedgerState.Failed, ErrorCategories.JobState, "Job state is not \"In Progress\"");
        await AssertEntry(harness, RecordKind.Cost, DemoProblems.JobDeleted, LedgerState.Failed, ErrorCategories.JobDeleted, "Job has been deleted in XPM");
        await AssertEntry(harness, RecordKind.Cost, DemoProblems.WipLocked, LedgerState.Failed, ErrorCategories.LockDates, "Lock Dates");
        await AssertEntry(harness, RecordKind.Invoice, DemoProblems.GlUnmapped, LedgerState.Unmapped, ErrorCategories.GlMapping, "GL Mapping");
        await AssertEntry(harness, RecordKind.Invoice, DemoProblems.LockDate, LedgerState.Failed, ErrorCategories.LockDates, "Lock Dates");
        await AssertEntry(harness, RecordKind.Invoice, DemoProblems.ArchivedAccount, LedgerState.Failed, ErrorCategories.AccountArchived, "Xero account archived or deleted");
        await AssertEntry(harness, RecordKind.Invoice, DemoProblems.AccountWithoutCode, LedgerState.Failed, ErrorCategories.AccountWithoutCode, "Account has no code in Xero");
        await AssertEntry(harness, RecordKind.Invoice, DemoProblems.ZeroUnpaid, LedgerState.Skipped, ErrorCategories.NotSent, "Invoice total is $0 and it is not paid");
        await AssertEntry(harness, RecordKind.Payment, DemoProblems.PaymentsAccount, LedgerState.Failed, ErrorCategories.PaymentsAccount, "Account does not accept payments");

        var lockDate = await harness.RequiredEntryAsync(RecordKind.Invoice, DemoProblems.LockDate);
        Assert.Equal("The document date cannot be before the period lock date, currently set at 2026-10-31", lockDate.Error!.Message);

        var negative = await harness.RequiredEntryAsync(RecordKind.Invoice, DemoProblems.NegativeTotal);
        Assert.Equal(LedgerState.Synced, negative.State);
        Assert.Contains(negative.Warnings, w => w.Code == "SentAsCreditNote");
        Assert.Single(harness.Ledger.RecordsOf(RecordKind.CreditNote));

        var rounding = await harness.RequiredEntryAsync(RecordKind.Invoice, DemoProblems.Rounding);
        Assert.Equal(LedgerState.Synced, rounding.State);
        Assert.Contains(rounding.Warnings, w => w.Code == "Rounding" && w.Message.Contains("0.01", StringComparison.Ordinal));
        var roundedInvoice = harness.Ledger.Records.Single(r => r.RemoteId == rounding.RemoteId);
        Assert.Equal(109.99m, roundedInvoice.Total);

        var noBilling = await harness.RequiredEntryAsync(RecordKind.Contact, DemoProblems.MissingBillingContact);
        Assert.Equal(LedgerState.Synced, noBilling.State);
        Assert.Contains(noBilling.Warnings, w => w.Code == "MissingBillingContact");

        // Everything else is synced, with its remote id, and exactly once in the ledger.
        var problems = typeof(DemoProblems).GetFields().Select(f => (string)f.GetValue(null)!).ToHashSet();
        var entries = await harness.AllEntriesAsync();
        Assert.Equal(demo.All.Count(), entries.Count);
        Assert.All(entries.Where(e => !problems.Contains(e.SourceId)), e =>
        {
            Assert.Equal(LedgerState.Synced, e.State);
            Assert.NotNull(e.RemoteId);
        });
        Assert.Equal(entries.Count(e => e.State == LedgerState.Synced), harness.Ledger.Records.Count);
    }

    [Fact]
    public async Task SecondRun_SendsNothing()
    {
        await using var harness = new EngineHarness();
        await harness.LoadDemoAsync();
        await harness.SyncAllAsync();
        var pushes = harness.Connector.Pushes;

        var second = await harness.SyncAllAsync();

        Assert.Equal(pushes, harness.Connector.Pushes);
        Assert.Equal(0, second.Counts.Sent);
    }

    [Fact]
    public async Task ChangingOneRecord_ResendsOnlyIt_AsAnUpdate()
    {
        await using var harness = new EngineHarness();
        var demo = await harness.LoadDemoAsync();
        await harness.SyncAllAsync();
        var invoice = demo.Invoices[3];
        var before = await harness.RequiredEntryAsync(RecordKind.Invoice, invoice.SourceId);

        harness.Sources.Invoices.Put(EngineHarness.Tenant, invoice with { Reference = "Changed by the host" });
        var run = await harness.SyncAllAsync();

        Assert.Equal(1, run.Counts.Sent);
        var after = await harness.RequiredEntryAsync(RecordKind.Invoice, invoice.SourceId);
        Assert.Equal(LedgerState.Synced, after.State);
        Assert.Equal(before.RemoteId, after.RemoteId);
        Assert.Equal(2, harness.Ledger.Records.Single(r => r.RemoteId == after.RemoteId).Writes);
    }

    [Fact]
    public async Task OneBadInvoiceInABatch_FailsAlone()
    {
        await using var harness = new EngineHarness();
        var demo = await harness.LoadDemoAsync();
        await harness.SyncAllAsync();

        // A duplicate number is only known to the ledger: it refuses that element and writes the others of the batch.
        var batch = Enumerable.Range(1, 50).Select(i => demo.Invoices[0] with { SourceId = $"new-{i:D2}", Number = $"NEW-{i:D2}" }).ToList();
        batch[17] = batch[17] with { Number = demo.Invoices[0].Number };
        harness.Sources.Invoices.PutRange(EngineHarness.Tenant, batch);
        await harness.SyncAllAsync();

        var failed = await harness.RequiredEntryAsync(RecordKind.Invoice, "new-18");
        Assert.Equal(LedgerState.Failed, failed.State);
        Assert.Equal("Invoice # must be unique.", failed.Error!.Message);
        foreach (var other in batch.Where(b => b.SourceId != "new-18"))
        {
            Assert.Equal(LedgerState.Synced, (await harness.RequiredEntryAsync(RecordKind.Invoice, other.SourceId)).State);
        }
    }

    [Fact]
    public async Task SourceIsToldEachOutcome_SoTheHostCanMarkItsRows()
    {
        await using var harness = new EngineHarness();
        var demo = await harness.LoadDemoAsync();
        await harness.SyncAllAsync();

        var outcome = harness.Sources.Invoices.Outcomes[(EngineHarness.Tenant, demo.Invoices[0].SourceId)];
        Assert.True(outcome.Posted);
        Assert.NotNull(outcome.RemoteId);
        var failed = harness.Sources.Invoices.Outcomes[(EngineHarness.Tenant, DemoProblems.LockDate)];
        Assert.False(failed.Posted);
        Assert.Equal(ErrorCategories.LockDates, failed.Error!.Category);
    }

    [Fact]
    public async Task PushesAreBatchedAtFiftyElements_InDependencyOrder()
    {
        await using var harness = new EngineHarness();
        await harness.LoadDemoAsync(customers: 120, invoices: 200);

        var run = await harness.SyncAllAsync();

        // 122 contacts → 3 pushes; invoices (minus pre-flight failures) → 4; no push ever exceeds 50 elements.
        Assert.True(run.Counts.Calls < run.Counts.Sent / 10, $"{run.Counts.Calls} calls for {run.Counts.Sent} records");
        var firstInvoice = harness.Ledger.RecordsOf(RecordKind.Invoice).Min(r => r.RemoteId);
        var lastContact = harness.Ledger.RecordsOf(RecordKind.Contact).Max(r => r.RemoteId);
        Assert.True(string.CompareOrdinal(lastContact, firstInvoice) < 0, "contacts are written before invoices");
    }

    private static async Task AssertEntry(EngineHarness harness, RecordKind kind, string sourceId, LedgerState state, string category, string reason)
    {
        var entry = await harness.RequiredEntryAsync(kind, sourceId);
        Assert.True(state == entry.State, $"{sourceId}: expected {state}, was {entry.State} ({entry.Error?.Category}: {entry.Error?.Message})");
        Assert.NotNull(entry.Error);
        Assert.Equal(category, entry.Error.Category);
        Assert.Equal(reason, entry.Error.Reason);
        Assert.NotEmpty(entry.Error.Resolution);
        Assert.False(string.IsNullOrWhiteSpace(entry.Error.Message));
    }
}

public sealed class BadInputTests
{
    [Fact]
    public async Task MalformedRecord_FailsAlone_WithAClearError_AndEveryOtherRecordStillSyncs()
    {
        await using var harness = new EngineHarness();
        var demo = await harness.LoadDemoAsync(customers: 5, invoices: 20);
        harness.Sources.Invoices.Put(EngineHarness.Tenant, demo.Invoices[0] with { SourceId = "inv-broken", Number = "INV-BROKEN", Lines = null! });
        harness.Sources.Invoices.Put(EngineHarness.Tenant, demo.Invoices[0] with { SourceId = "inv-no-contact", Number = "INV-NOCONTACT", ContactSourceId = null! });
        harness.Sources.Invoices.Put(EngineHarness.Tenant, demo.Invoices[0] with { SourceId = null!, Number = "INV-NOID" });

        var run = await harness.SyncAllAsync();

        var broken = await harness.RequiredEntryAsync(RecordKind.Invoice, "inv-broken");
        Assert.Equal(LedgerState.Failed, broken.State);
        Assert.False(string.IsNullOrWhiteSpace(broken.Error!.Message));
        var noContact = await harness.RequiredEntryAsync(RecordKind.Invoice, "inv-no-contact");
        Assert.Equal(LedgerState.Failed, noContact.State);
        Assert.NotEqual(RunOutcome.Failed, run.Outcome);
        Assert.Equal(LedgerState.Synced, (await harness.RequiredEntryAsync(RecordKind.Invoice, demo.Invoices[1].SourceId)).State);
    }
}
