using System.Net;
using System.Text;
using System.Web;
using Microsoft.Extensions.DependencyInjection;
using SyncKit.Connectors;
using SyncKit.Errors;
using SyncKit.Ledger;
using SyncKit.Mapping;
using SyncKit.Records;
using SyncKit.Runs;
using SyncKit.Testing.Demo;
using SyncKit.Testing.Emulator;
using SyncKit.Xero;
using Xunit.Abstractions;

namespace SyncKit.EndToEnd.Tests;

/// <summary>The demo practice synced through <c>AddXeroSync</c> into an organisation and a practice set up like <see cref="DemoPractice.ApplyTo"/>.</summary>
public sealed class DemoPracticeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task DemoPractice_SyncedIntoTheEmulator_LandsEachSeedProblemInItsStateWithItsCategory()
    {
        await using var demo = await DemoSetup.CreateAsync();

        var run = await demo.Harness.DriveSyncAsync();

        var h = demo.Harness;
        output.WriteLine($"{h.ApiCalls} calls: {string.Join(", ", h.Emulator.GetStats().Calls[h.Tenant.TenantId].Select(kv => $"{kv.Key}: {kv.Value}"))}");
        Assert.Equal(RunOutcome.CompletedWithErrors, run.Outcome);
        await AssertEntry(h, RecordKind.Cost, DemoProblems.UnmappedOrganisation, LedgerState.Unmapped, ErrorCategories.UnmappedOrganisation);
        await AssertEntry(h, RecordKind.Cost, DemoProblems.JobNotInProgress, LedgerState.Failed, ErrorCategories.JobState);
        await AssertEntry(h, RecordKind.Cost, DemoProblems.JobDeleted, LedgerState.Failed, ErrorCategories.JobDeleted);
        await AssertEntry(h, RecordKind.Cost, DemoProblems.WipLocked, LedgerState.Failed, ErrorCategories.LockDates);
        await AssertEntry(h, RecordKind.Invoice, DemoProblems.GlUnmapped, LedgerState.Unmapped, ErrorCategories.GlMapping);
        await AssertEntry(h, RecordKind.Invoice, DemoProblems.LockDate, LedgerState.Failed, ErrorCategories.LockDates);
        await AssertEntry(h, RecordKind.Invoice, DemoProblems.ArchivedAccount, LedgerState.Failed, ErrorCategories.AccountArchived);
        await AssertEntry(h, RecordKind.Invoice, DemoProblems.AccountWithoutCode, LedgerState.Failed, ErrorCategories.AccountWithoutCode);
        await AssertEntry(h, RecordKind.Invoice, DemoProblems.ZeroUnpaid, LedgerState.Skipped, ErrorCategories.NotSent);
        await AssertEntry(h, RecordKind.Payment, DemoProblems.PaymentsAccount, LedgerState.Failed, ErrorCategories.PaymentsAccount);

        var negative = await h.RequiredEntryAsync(RecordKind.Invoice, DemoProblems.NegativeTotal);
        Assert.Equal(LedgerState.Synced, negative.State);
        Assert.Contains(negative.Warnings, w => w.Code == "SentAsCreditNote");

        var rounding = await h.RequiredEntryAsync(RecordKind.Invoice, DemoProblems.Rounding);
        Assert.Equal(LedgerState.Synced, rounding.State);
        var export = h.Export();
        var roundedInvoice = export.GetProperty("invoices").EnumerateArray().Single(i => i.GetProperty("InvoiceID").GetString() == rounding.RemoteId);
        Assert.Equal(109.99m, roundedInvoice.GetProperty("Total").GetDecimal());

        // Everything else is Synced with its remote id.
        var problems = typeof(DemoProblems).GetFields().Select(f => (string)f.GetValue(null)!).ToHashSet();
        var entries = await h.AllEntriesAsync();
        Assert.Equal(demo.Data.All.Count(), entries.Count);
        Assert.All(entries.Where(e => !problems.Contains(e.SourceId)), e =>
            Assert.True(e.State == LedgerState.Synced && e.RemoteId is not null, $"{e.Kind} {e.SourceId}: {e.State} {e.Error?.Category} {e.Error?.Message}"));
    }

    [Fact]
    public async Task OneBadInvoiceInABatchOfFifty_FailsAlone_WhenOnlyXeroKnowsItsNumberIsTaken()
    {
        await using var h = await XeroHarness.CreateAsync();
        h.Sources.Contacts.Put(h.TenantId, Data.Contact(1));
        var batch = Enumerable.Range(1, 50).Select(i => Data.Invoice($"b-{i:D2}", $"BATCH-{i:D2}", "cust-0001", Data.Day)).ToList();
        h.Sources.Invoices.PutRange(h.TenantId, batch);

        // Someone typed BATCH-18 straight into Xero: nothing in SyncKit's ledger or reference data knows it.
        await CreateInvoiceInXeroAsync(h, "BATCH-18");
        var run = await h.SyncAsync();

        var failed = await h.RequiredEntryAsync(RecordKind.Invoice, "b-18");
        Assert.Equal(LedgerState.Failed, failed.State);
        Assert.Equal(ErrorCategories.DuplicateNumber, failed.Error!.Category);
        Assert.Equal("Invoice # must be unique.", failed.Error.Message);
        Assert.NotEmpty(failed.Error.Resolution);
        foreach (var other in batch.Where(b => b.SourceId != "b-18"))
        {
            var entry = await h.RequiredEntryAsync(RecordKind.Invoice, other.SourceId);
            Assert.True(entry.State == LedgerState.Synced, $"{other.SourceId}: {entry.State} {entry.Error?.Message}");
        }

        // One PUT for the whole batch (the other PUT is the invoice typed into Xero).
        Assert.Equal(2, h.Emulator.GetStats().Calls[h.Tenant.TenantId]["PUT Invoices"]);
        Assert.Equal(RunOutcome.CompletedWithErrors, run.Outcome);
    }

    private static Task CreateInvoiceInXeroAsync(XeroHarness h, string number) =>
        h.RawAsync(
            HttpMethod.Put,
            "api.xro/2.0/Invoices",
            $$"""{"Invoices":[{"Type":"ACCREC","InvoiceNumber":"{{number}}","Contact":{"Name":"Walk-in customer"},"Date":"2026-11-20","Status":"AUTHORISED","LineItems":[{"Description":"Typed in Xero","Quantity":1,"UnitAmount":10,"AccountCode":"200","TaxType":"OUTPUT"}]}]}""");

    private static async Task AssertEntry(XeroHarness harness, RecordKind kind, string sourceId, LedgerState state, string category)
    {
        var entry = await harness.RequiredEntryAsync(kind, sourceId);
        Assert.True(state == entry.State && entry.Error?.Category == category, $"{sourceId}: expected {state}/{category}, was {entry.State}/{entry.Error?.Category} ({entry.Error?.RuleId}: {entry.Error?.Message})");
        Assert.NotEmpty(entry.Error!.Resolution);
        Assert.False(string.IsNullOrWhiteSpace(entry.Error.Reason));
        Assert.False(string.IsNullOrWhiteSpace(entry.Error.Message));
    }

    /// <summary>An organisation and a practice connected by one consent, loaded with the demo practice.</summary>
    private sealed class DemoSetup : IAsyncDisposable
    {
        public required XeroHarness Harness { get; init; }

        public required DemoPractice Data { get; init; }

        public static async Task<DemoSetup> CreateAsync()
        {
            var data = DemoPractice.Generate(new DateOnly(2026, 11, 1), customers: 50, invoices: 200);
            string? practiceId = null;
            var harness = await XeroHarness.CreateAsync(
                new EmulatorTenantOptions { Name = "Demo Practice Pty Ltd", PeriodLockDate = data.PeriodLockDate },
                o =>
                {
                    o.UsePracticeManager = true;
                    o.PracticeManagerTenantIdForTenant = _ => practiceId!;
                },
                o =>
                {
                    o.RoundingAccountKey = "GL-ROUNDING";
                    o.RoundingTaxKey = "TAX-NONE";
                },
                passThroughCodes: false);
            var practice = await harness.Emulator.CreateTenantAsync(new EmulatorTenantOptions { Name = "Demo Practice (XPM)", PracticeManager = true });
            practiceId = practice.TenantId.ToString();

            // One consent covers the organisation and the practice; the tokens are kept under the organisation's key.
            await harness.ConsentAsync(harness.TenantId, harness.Tenant.TenantId, practice.TenantId);

            // DemoPractice.ApplyTo, in Xero: archived account 400, an account without a code, WIP lock date, a Completed and a deleted job.
            harness.Emulator.ArchiveAccount(harness.Tenant.TenantId, data.ArchivedAccountCode);
            await harness.RawAsync(HttpMethod.Put, "api.xro/2.0/Accounts", """{"Name":"Trust Liability","Type":"CURRLIAB"}""");
            harness.Emulator.SetWipLockDate(practice.TenantId, data.WipLockDate);
            var connector = harness.Services.GetRequiredService<LedgerConnector>();
            var client = await PushOneAsync(connector, harness.TenantId, new ClientRecord { SourceId = "org-closed-jobs", Name = "Closed Jobs Client" });
            var completed = await PushOneAsync(connector, harness.TenantId, new JobRecord { SourceId = "job-closed", ClientSourceId = "org-closed-jobs", Name = "Completed job", State = "In Progress" }, (RecordKind.Client, "org-closed-jobs", client));
            var deleted = await PushOneAsync(connector, harness.TenantId, new JobRecord { SourceId = "job-deleted", ClientSourceId = "org-closed-jobs", Name = "Deleted job", State = "In Progress" }, (RecordKind.Client, "org-closed-jobs", client));
            harness.Emulator.SetJobState(practice.TenantId, completed, "Completed");
            await harness.RawAsync(HttpMethod.Post, "practicemanager/3.1/job.api/delete", $"<Job><ID>{deleted}</ID></Job>", practice, "application/xml");

            harness.Sources.Load(data, harness.TenantId);
            await harness.MapAsync(data.Mappings
                .Where(m => m.Kind != MappingKind.Job)
                .Append((MappingKind.Job, "job-closed", completed))
                .Append((MappingKind.Job, "job-deleted", deleted)));
            return new DemoSetup { Harness = harness, Data = data };
        }

        public ValueTask DisposeAsync() => Harness.DisposeAsync();

        private static async Task<string> PushOneAsync(LedgerConnector connector, string tenantId, SyncRecord record, params (RecordKind Kind, string SourceId, string RemoteId)[] links)
        {
            var result = await connector.PushAsync(new PushBatch
            {
                TenantId = tenantId,
                Kind = record.Kind,
                IdempotencyKey = "setup-" + record.SourceId,
                Elements =
                [
                    new PushElement
                    {
                        Key = new LedgerKey(tenantId, record.Kind, record.SourceId),
                        Record = record,
                        ContentHash = "setup",
                        Links = links.ToDictionary(l => PushElement.LinkKey(l.Kind, l.SourceId), l => l.RemoteId),
                    },
                ],
            });
            var outcome = Assert.Single(result.Outcomes);
            Assert.True(outcome.Succeeded, outcome.Failure?.MessageText ?? result.BatchFailure?.MessageText);
            return outcome.RemoteId!;
        }
    }
}
