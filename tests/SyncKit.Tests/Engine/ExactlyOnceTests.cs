using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using SyncKit.Connectors;
using SyncKit.Errors;
using SyncKit.Ledger;
using SyncKit.Records;
using SyncKit.Runs;
using SyncKit.Sources;
using SyncKit.Storage;

namespace SyncKit.Tests.Engine;

/// <summary>The exactly-once findings, each as the behaviour that must hold.</summary>
public sealed class ExactlyOnceTests
{
    private static readonly DateOnly s_date = new(2026, 11, 10);

    private static ContactRecord Customer(string id, string name, string? email = null) => new() { SourceId = id, Name = name, Email = email };

    private static InvoiceRecord Invoice(string id, string contactId, decimal price, int lines = 1) => new()
    {
        SourceId = id,
        ContactSourceId = contactId,
        Number = id.ToUpperInvariant(),
        Date = s_date,
        CurrencyCode = "AUD",
        Lines = [.. Enumerable.Range(0, lines).Select(_ => new DocumentLine { Description = "Work", Quantity = 1m, UnitPrice = price, AccountKey = "200", TaxKey = "OUTPUT" })],
    };

    private static PaymentRecord Payment(string id, string invoiceId, decimal amount) => new()
    {
        SourceId = id,
        DocumentSourceId = invoiceId,
        Date = s_date,
        Amount = amount,
        CurrencyCode = "AUD",
        AccountKey = "090",
        Reference = "EFT",
    };

    private static EngineHarness Harness(Action<SyncOptions>? configure = null, Action<ISyncKitBuilder>? build = null) =>
        new(o => { o.PassThroughMappings.Add(Mapping.MappingKind.Account); o.PassThroughMappings.Add(Mapping.MappingKind.TaxRate); configure?.Invoke(o); }, build);

    private static async Task<EngineHarness> WithInvoiceAsync(decimal total = 100m)
    {
        var harness = Harness();
        harness.Sources.Contacts.Put(EngineHarness.Tenant, Customer("c1", "Alpha Pty Ltd"));
        harness.Sources.Invoices.Put(EngineHarness.Tenant, Invoice("inv-1", "c1", total));
        await harness.SyncAllAsync();
        return harness;
    }

    // 1. A lookup never adopts the Xero record another entry owns.
    [Fact]
    public async Task IdenticalPartPayment_WhoseWriteFailed_IsSentAgain_NotMatchedToItsTwin()
    {
        await using var harness = await WithInvoiceAsync(200m);
        harness.Sources.Payments.Put(EngineHarness.Tenant, Payment("pay-a", "inv-1", 100m));
        await harness.SyncAllAsync();
        harness.Connector.NextBatchFailure = new SyncFailure { Source = FailureSource.Remote, StatusCode = 500, WriteMayHaveLanded = true, Messages = ["An error occurred in Xero."] };
        harness.Sources.Payments.Put(EngineHarness.Tenant, Payment("pay-b", "inv-1", 100m));
        await harness.SyncAllAsync();
        Assert.Equal(LedgerState.Uncertain, (await harness.RequiredEntryAsync(RecordKind.Payment, "pay-b")).State);

        await harness.SyncAllAsync();

        var a = await harness.RequiredEntryAsync(RecordKind.Payment, "pay-a");
        var b = await harness.RequiredEntryAsync(RecordKind.Payment, "pay-b");
        Assert.Equal(LedgerState.Synced, b.State);
        Assert.NotEqual(a.RemoteId, b.RemoteId);
        Assert.Equal(2, harness.Ledger.RecordsOf(RecordKind.Payment).Count);
    }

    [Fact]
    public async Task IdenticalPartPayments_BothLanded_AdoptOneRecordEach()
    {
        await using var harness = await WithInvoiceAsync(200m);
        harness.Sources.Payments.PutRange(EngineHarness.Tenant, [Payment("pay-a", "inv-1", 100m), Payment("pay-b", "inv-1", 100m)]);
        harness.Connector.DropConnectionAfterCommit();
        await harness.SyncAllAsync();

        await harness.SyncAllAsync();

        var a = await harness.RequiredEntryAsync(RecordKind.Payment, "pay-a");
        var b = await harness.RequiredEntryAsync(RecordKind.Payment, "pay-b");
        Assert.Equal((LedgerState.Synced, LedgerState.Synced), (a.State, b.State));
        Assert.NotEqual(a.RemoteId, b.RemoteId);
        Assert.Equal(2, harness.Ledger.RecordsOf(RecordKind.Payment).Count);
    }

    [Fact]
    public async Task UncertainWrite_WithSeveralUnownedCandidates_WaitsForTheUser_NamingThem()
    {
        await using var harness = await WithInvoiceAsync(300m);

        // Someone entered the same payment twice in Xero by hand; then our write of it is lost.
        harness.Sources.Payments.Put(EngineHarness.Tenant, Payment("pay-x", "inv-1", 100m));
        harness.Connector.DropConnectionAfterCommit();
        await harness.SyncAllAsync();
        var landed = harness.Ledger.RecordsOf(RecordKind.Payment).Single();
        var invoice = await harness.RequiredEntryAsync(RecordKind.Invoice, "inv-1");
        await harness.Connector.PushAsync(new PushBatch
        {
            TenantId = EngineHarness.Tenant,
            Kind = RecordKind.Payment,
            IdempotencyKey = "entered-by-hand",
            Elements =
            [
                new PushElement
                {
                    Key = new LedgerKey(EngineHarness.Tenant, RecordKind.Payment, "by-hand"),
                    Record = Payment("pay-x", "inv-1", 100m),
                    ContentHash = "by-hand",
                    Links = new Dictionary<string, string> { [PushElement.LinkKey(RecordKind.Invoice, "inv-1")] = invoice.RemoteId! },
                },
            ],
        });

        await harness.SyncAllAsync();

        var entry = await harness.RequiredEntryAsync(RecordKind.Payment, "pay-x");
        Assert.Equal(LedgerState.Failed, entry.State);
        Assert.Equal(ErrorCategories.NeedsReconciliation, entry.Error!.Category);
        Assert.Contains("2 records", entry.Error.Message, StringComparison.Ordinal);
        Assert.Equal(2, harness.Ledger.RecordsOf(RecordKind.Payment).Count);

        var linked = await harness.Engine.MarkResolvedAsync(entry.Key, landed.RemoteId);
        Assert.Equal((LedgerState.Synced, landed.RemoteId), (linked.State, linked.RemoteId));
    }

    [Fact]
    public async Task LinkingToARemoteRecordAnotherEntryOwns_IsRefused()
    {
        await using var harness = await WithInvoiceAsync();
        var invoice = await harness.RequiredEntryAsync(RecordKind.Invoice, "inv-1");
        harness.Sources.Invoices.Put(EngineHarness.Tenant, Invoice("inv-2", "c1", 0m, lines: 0));
        await harness.SyncAllAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => harness.Engine.MarkResolvedAsync(new LedgerKey(EngineHarness.Tenant, RecordKind.Invoice, "inv-2"), invoice.RemoteId));
    }

    // 3. A policy skip is not sticky.
    [Fact]
    public async Task ZeroInvoice_SkippedByPolicy_IsSentOnceMarkedPaid()
    {
        await using var harness = await WithInvoiceAsync(0m);
        Assert.Equal(LedgerState.Skipped, (await harness.RequiredEntryAsync(RecordKind.Invoice, "inv-1")).State);

        harness.Sources.Invoices.Put(EngineHarness.Tenant, Invoice("inv-1", "c1", 0m) with { IsPaid = true });
        await harness.SyncAllAsync();

        Assert.Equal(LedgerState.Synced, (await harness.RequiredEntryAsync(RecordKind.Invoice, "inv-1")).State);
    }

    [Fact]
    public async Task UsersDoNotSend_StaysSkipped_WhenTheRecordChanges()
    {
        await using var harness = await WithInvoiceAsync();
        harness.Sources.Invoices.Put(EngineHarness.Tenant, Invoice("inv-9", "c1", 10m));
        await harness.Engine.SkipAsync(new LedgerKey(EngineHarness.Tenant, RecordKind.Invoice, "inv-9"));

        harness.Sources.Invoices.Put(EngineHarness.Tenant, Invoice("inv-9", "c1", 12m));
        await harness.SyncAllAsync();

        Assert.Equal(LedgerState.Skipped, (await harness.RequiredEntryAsync(RecordKind.Invoice, "inv-9")).State);
    }

    // 4. One run per tenant, single records included.
    [Fact]
    public async Task SingleRecordSync_WhileTheTenantRuns_SendsNothingBesideIt()
    {
        await using var harness = await WithInvoiceAsync();
        harness.Sources.Invoices.Put(EngineHarness.Tenant, Invoice("inv-2", "c1", 50m));
        var now = harness.Time.GetUtcNow();
        await harness.Services.GetRequiredService<TenantStore>().TryAcquireLeaseAsync(
            new SyncLease { TenantId = EngineHarness.Tenant, Scope = "sync", Holder = "node-b", RunId = "run_other", ExpiresAt = now.AddMinutes(1) }, now);
        var pushes = harness.Connector.Pushes;

        var retry = await harness.Engine.RetryAsync(new RetryRequest { TenantId = EngineHarness.Tenant, Key = new LedgerKey(EngineHarness.Tenant, RecordKind.Invoice, "inv-2") });
        await harness.Engine.SyncRecordAsync(new LedgerKey(EngineHarness.Tenant, RecordKind.Invoice, "inv-2"));

        Assert.Equal(RunOutcome.AlreadyRunning, retry.Outcome);
        Assert.Equal("run_other", retry.RunId);
        Assert.Equal(pushes, harness.Connector.Pushes);
    }

    // 5. One bad source row does not stop the tenant.
    [Fact]
    public async Task SourceThatFailsMidStream_FailsThatKindOnly_AndSaysSo()
    {
        var failing = new FailingInvoices(failAfter: 3);
        await using var harness = Harness(build: b => b.AddSource(failing));
        harness.Sources.Contacts.Put(EngineHarness.Tenant, Customer("c1", "Alpha Pty Ltd"));
        harness.Sources.Payments.Put(EngineHarness.Tenant, Payment("pay-1", "inv-1", 5m));

        var run = await harness.SyncAllAsync();

        Assert.Equal(RunOutcome.CompletedWithErrors, run.Outcome);
        Assert.Contains("Could not read Invoice records from your system", run.Message, StringComparison.Ordinal);
        Assert.Equal(3, harness.Ledger.RecordsOf(RecordKind.Invoice).Count);
        Assert.Equal(LedgerState.Synced, (await harness.RequiredEntryAsync(RecordKind.Contact, "c1")).State);
        Assert.Equal(LedgerState.Synced, (await harness.RequiredEntryAsync(RecordKind.Payment, "pay-1")).State);
    }

    [Fact]
    public async Task RecordThatCannotBeRead_FailsAlone_WithTheSourcesMessage()
    {
        var failing = new FailingInvoices(failAfter: int.MaxValue) { FailToRead = "inv-2" };
        await using var harness = Harness(build: b => b.AddSource(failing));
        harness.Sources.Contacts.Put(EngineHarness.Tenant, Customer("c1", "Alpha Pty Ltd"));
        await harness.SyncAllAsync();
        await harness.Engine.SkipAsync(new LedgerKey(EngineHarness.Tenant, RecordKind.Invoice, "inv-2"));
        await harness.Engine.UnskipAsync(new LedgerKey(EngineHarness.Tenant, RecordKind.Invoice, "inv-2"));

        var run = await harness.Engine.RetryAsync(new RetryRequest { TenantId = EngineHarness.Tenant, Key = new LedgerKey(EngineHarness.Tenant, RecordKind.Invoice, "inv-2") });

        var entry = await harness.RequiredEntryAsync(RecordKind.Invoice, "inv-2");
        Assert.NotEqual(RunOutcome.Failed, run.Outcome);
        Assert.Equal(LedgerState.Failed, entry.State);
        Assert.Equal("Could not read the record from your system", entry.Error!.Reason);
        Assert.Contains("row 2 is damaged", entry.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResyncOfASyncedRecordThatCannotBeRead_KeepsItSynced_AndTheRunSaysWhy()
    {
        var failing = new FailingInvoices(failAfter: int.MaxValue) { FailToRead = "inv-2" };
        await using var harness = Harness(build: b => b.AddSource(failing));
        harness.Sources.Contacts.Put(EngineHarness.Tenant, Customer("c1", "Alpha Pty Ltd"));
        await harness.SyncAllAsync();

        var run = await harness.Engine.RetryAsync(new RetryRequest { TenantId = EngineHarness.Tenant, Key = new LedgerKey(EngineHarness.Tenant, RecordKind.Invoice, "inv-2") });

        Assert.Equal(RunOutcome.CompletedWithErrors, run.Outcome);
        Assert.Contains("row 2 is damaged", run.Message, StringComparison.Ordinal);
        Assert.Equal(LedgerState.Synced, (await harness.RequiredEntryAsync(RecordKind.Invoice, "inv-2")).State);
    }

    // 6. Outcomes come when the reader is closed, a page at a time, at least once.
    [Fact]
    public async Task Outcomes_AreToldAfterTheReaderCloses_InPages()
    {
        var source = new ReaderTrackingContacts(count: 1_200);
        await using var harness = Harness(build: b => b.AddSource(source));

        await harness.SyncAllAsync();

        Assert.Equal(1_200, source.Told);
        Assert.False(source.ToldWhileReading);
        Assert.True(source.LargestPage <= 500);
    }

    [Fact]
    public async Task OutcomesNotTold_BecauseTheCallbackFailed_AreToldInTheNextRun()
    {
        var source = new ReaderTrackingContacts(count: 3) { FailNextCallback = true };
        await using var harness = Harness(build: b => b.AddSource(source));
        await harness.SyncAllAsync();
        Assert.Equal(0, source.Told);

        await harness.SyncAllAsync();

        Assert.Equal(3, source.Told);
    }

    // 7. An app configuration failure stops the run without disconnecting anyone.
    [Fact]
    public async Task ConfigurationFailure_StopsTheRun_WithoutDisconnectingTheTenant_OrChargingTheRecord()
    {
        await using var harness = Harness(build: b => b.AddErrorRules(r => r.Add(new ErrorRule
        {
            Id = "test.config",
            Category = ErrorCategories.Configuration,
            Disposition = ErrorDisposition.StopRun,
            Reason = "Xero refused the app's client id",
            Resolution = ["Check Xero:ClientId."],
            Codes = ["invalid_client"],
        })));
        harness.Sources.Contacts.Put(EngineHarness.Tenant, Customer("c1", "Alpha Pty Ltd"));
        harness.Connector.NextBatchFailure = new SyncFailure { Source = FailureSource.Authorization, Code = "invalid_client", Messages = ["invalid_client"] };

        var run = await harness.SyncAllAsync();
        var status = await harness.Engine.GetStatusAsync(EngineHarness.Tenant);
        var entry = await harness.RequiredEntryAsync(RecordKind.Contact, "c1");
        var next = await harness.SyncAllAsync();

        Assert.Equal(RunOutcome.Failed, run.Outcome);
        Assert.Contains("client id", run.Message, StringComparison.Ordinal);
        Assert.NotEqual(ConnectionState.Disconnected, status.Connection);
        Assert.Equal((LedgerState.Pending, 0), (entry.State, entry.Attempts));
        Assert.Equal(RunOutcome.Completed, next.Outcome);
    }

    // 8. The content hash is canonical and pinned.
    [Fact]
    public void ContentHash_OfAFixedInvoice_IsPinned()
    {
        var hash = ContentHasher.Hash(Invoice("inv-1", "c1", 100m) with { Reference = "PO 7", DueDate = new DateOnly(2026, 12, 10) });

        Assert.Equal("57a2854ebb816f8e9429ba2f3c27aee1e0e987d8fbfa5a7bd292d66b1ee81bcc", hash);
    }

    [Fact]
    public void ContentHash_IgnoresTrailingZeros()
    {
        Assert.Equal(ContentHasher.Hash(Invoice("inv-1", "c1", 100.0m)), ContentHasher.Hash(Invoice("inv-1", "c1", 100.00m)));
    }

    [Fact]
    public void ContentHash_IgnoresComputedProperties_SoAnOverflowingLineStillHashes()
    {
        var huge = Invoice("inv-1", "c1", decimal.MaxValue) with { Lines = [new DocumentLine { Quantity = 2m, UnitPrice = decimal.MaxValue, AccountKey = "200" }] };

        Assert.NotEmpty(ContentHasher.Hash(huge));
    }

    // 11. One overflowing amount fails its record only.
    [Fact]
    public async Task LineThatOverflows_FailsItsInvoiceOnly()
    {
        await using var harness = await WithInvoiceAsync();
        harness.Sources.Invoices.Put(EngineHarness.Tenant, Invoice("inv-huge", "c1", 0m) with { Lines = [new DocumentLine { Quantity = 2m, UnitPrice = decimal.MaxValue, AccountKey = "200", TaxKey = "OUTPUT" }] });
        harness.Sources.Invoices.Put(EngineHarness.Tenant, Invoice("inv-ok", "c1", 10m));

        var run = await harness.SyncAllAsync();

        Assert.NotEqual(RunOutcome.Failed, run.Outcome);
        var huge = await harness.RequiredEntryAsync(RecordKind.Invoice, "inv-huge");
        Assert.Equal((LedgerState.Failed, "Amount too large"), (huge.State, huge.Error!.Reason));
        Assert.Contains("Line 1", huge.Error.Message, StringComparison.Ordinal);
        Assert.Equal(LedgerState.Synced, (await harness.RequiredEntryAsync(RecordKind.Invoice, "inv-ok")).State);
    }

    // 12. Internal exceptions do not reach the error tab.
    [Fact]
    public async Task InvoiceWithNullLines_FailsInAccountantsWords()
    {
        await using var harness = await WithInvoiceAsync();
        harness.Sources.Invoices.Put(EngineHarness.Tenant, Invoice("inv-null", "c1", 0m) with { Lines = null! });

        await harness.SyncAllAsync();

        var entry = await harness.RequiredEntryAsync(RecordKind.Invoice, "inv-null");
        Assert.Equal(LedgerState.Failed, entry.State);
        Assert.Equal(ErrorCategories.InvalidData, entry.Error!.Category);
        Assert.DoesNotContain("Exception", entry.Error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Parameter", entry.Error.Message, StringComparison.Ordinal);
    }

    // 13. A request acts on its own tenant only.
    [Fact]
    public async Task RetryNamingAnotherTenantsRecord_IsRefused()
    {
        await using var harness = await WithInvoiceAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => harness.Engine.RetryAsync(new RetryRequest { TenantId = "tenant-other", Key = new LedgerKey(EngineHarness.Tenant, RecordKind.Invoice, "inv-1") }));
    }

    // 14. A dead node's claims are reconciled within one lease length of its death.
    [Fact]
    public async Task ClaimOfADeadNode_IsReconciled_OnceItsShortLeaseLapses()
    {
        await using var harness = await WithInvoiceAsync();
        var now = harness.Time.GetUtcNow();
        harness.Sources.Invoices.Put(EngineHarness.Tenant, Invoice("inv-2", "c1", 20m));
        await harness.LedgerStore.SaveAsync([new LedgerEntry
        {
            TenantId = EngineHarness.Tenant, Kind = RecordKind.Invoice, SourceId = "inv-2", State = LedgerState.InFlight, PreviousState = LedgerState.Pending,
            RunId = "run_dead", IdempotencyKey = "k", Attempts = 1, CreatedAt = now, UpdatedAt = now,
        }]);
        await harness.Services.GetRequiredService<TenantStore>().TryAcquireLeaseAsync(
            new SyncLease { TenantId = EngineHarness.Tenant, Scope = "sync", Holder = "dead-node", RunId = "run_dead", ExpiresAt = now + new SyncOptions().LeaseDuration }, now);
        Assert.Equal(RunOutcome.AlreadyRunning, (await harness.SyncAllAsync()).Outcome);

        harness.Time.Advance(new SyncOptions().LeaseDuration + TimeSpan.FromSeconds(1));
        await harness.SyncAllAsync();

        Assert.True(new SyncOptions().LeaseDuration <= TimeSpan.FromMinutes(1));
        Assert.Equal(LedgerState.Synced, (await harness.RequiredEntryAsync(RecordKind.Invoice, "inv-2")).State);
        Assert.Single(harness.Ledger.RecordsOf(RecordKind.Invoice), r => r.Reference == "INV-2");
    }

    // 15. A slow live write keeps its lease: no other node takes the tenant while the call is in flight.
    [Fact]
    public async Task WriteHeldLongerThanTwoLeases_KeepsTheLease_SoNoOtherNodeSendsItAgain()
    {
        await using var harness = await WithInvoiceAsync();
        var gate = new HeldPush(harness.Connector);
        harness.Sources.Invoices.Put(EngineHarness.Tenant, Invoice("inv-slow", "c1", 30m));
        var slow = harness.Engine.SyncRecordAsync(new LedgerKey(EngineHarness.Tenant, RecordKind.Invoice, "inv-slow"));
        await gate.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // Four lease lengths pass in virtual time while the write is held; the heartbeat renews the lease each third.
        for (var i = 0; i < 12; i++)
        {
            var renewedBefore = (await harness.Services.GetRequiredService<TenantStore>().GetLeaseAsync(EngineHarness.Tenant, "sync"))!.ExpiresAt;
            harness.Time.Advance(new SyncOptions().LeaseDuration / 3);
            await WaitUntilAsync(async () => (await harness.Services.GetRequiredService<TenantStore>().GetLeaseAsync(EngineHarness.Tenant, "sync"))!.ExpiresAt > renewedBefore);
        }

        var other = await harness.Services.GetRequiredService<ISyncEngine>().SyncAsync(new SyncRequest { TenantId = EngineHarness.Tenant });
        gate.Release();
        await slow;

        Assert.Equal(RunOutcome.AlreadyRunning, other.Outcome);
        Assert.Equal(LedgerState.Synced, (await harness.RequiredEntryAsync(RecordKind.Invoice, "inv-slow")).State);
        Assert.Single(harness.Ledger.RecordsOf(RecordKind.Invoice), r => r.Reference == "INV-SLOW");
    }

    // 16. A batch with a record the ledger cannot take is split; the culprit fails alone.
    [Fact]
    public async Task BatchWithARecordTheLedgerCannotTake_IsSplit_AndOnlyThatRecordFails()
    {
        await using var harness = Harness(o => o.MaxAutomaticAttempts = 3);
        harness.Sources.Contacts.Put(EngineHarness.Tenant, Customer("c1", "Alpha Pty Ltd"));
        harness.Sources.Invoices.PutRange(EngineHarness.Tenant, Enumerable.Range(1, 20).Select(i => Invoice($"inv-{i:D2}", "c1", 10m + i)));
        harness.Connector.ServerErrorWhen = e => e.Key.SourceId == "inv-07";

        for (var run = 0; run < 4; run++)
        {
            await harness.SyncAllAsync();
        }

        var entries = await harness.AllEntriesAsync();
        Assert.Equal(19, entries.Count(e => e.Kind == RecordKind.Invoice && e.State == LedgerState.Synced));
        var culprit = await harness.RequiredEntryAsync(RecordKind.Invoice, "inv-07");
        Assert.Equal((LedgerState.Failed, "Xero keeps failing on this record"), (culprit.State, culprit.Error!.Reason));
        Assert.Equal(19, harness.Ledger.RecordsOf(RecordKind.Invoice).Count);
    }

    // 17. Text that cannot round-trip is refused before sending.
    [Fact]
    public async Task NameWithAnUnpairedSurrogate_FailsBeforeSending_NamingTheField()
    {
        await using var harness = Harness();
        harness.Sources.Contacts.Put(EngineHarness.Tenant, Customer("c1", "Ac\uD800me"));

        await harness.SyncAllAsync();

        var entry = await harness.RequiredEntryAsync(RecordKind.Contact, "c1");
        Assert.Equal((LedgerState.Failed, "Text Xero cannot store"), (entry.State, entry.Error!.Reason));
        Assert.StartsWith("Name contains an incomplete character", entry.Error.Message, StringComparison.Ordinal);
        Assert.Empty(harness.Ledger.RecordsOf(RecordKind.Contact));
    }

    // 18. Nothing is coerced or collapsed silently.
    [Fact]
    public async Task InvoiceWithoutLines_FailsAsSuch_NotSkippedAsZero()
    {
        await using var harness = await WithInvoiceAsync();
        harness.Sources.Invoices.Put(EngineHarness.Tenant, Invoice("inv-empty", "c1", 0m, lines: 0));

        await harness.SyncAllAsync();

        var entry = await harness.RequiredEntryAsync(RecordKind.Invoice, "inv-empty");
        Assert.Equal(LedgerState.Failed, entry.State);
        Assert.Contains("One or more line items must be specified", entry.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownDocumentStatus_Fails_InsteadOfBeingSentAsAuthorised()
    {
        await using var harness = await WithInvoiceAsync();
        harness.Sources.Invoices.Put(EngineHarness.Tenant, Invoice("inv-odd", "c1", 10m) with { Status = (DocumentStatus)42 });

        await harness.SyncAllAsync();

        var entry = await harness.RequiredEntryAsync(RecordKind.Invoice, "inv-odd");
        Assert.Equal(LedgerState.Failed, entry.State);
        Assert.Contains("status '42'", entry.Error!.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(harness.Ledger.RecordsOf(RecordKind.Invoice), r => r.Reference == "INV-ODD");
    }

    // 19. Batches of a kind in flight together keep every claim and settle, and the order between kinds.
    [Fact]
    public async Task BatchesOfAKind_GoOutUpToTheConnectorsLimitAtOnce_AfterTheContactsTheyNeed()
    {
        await using var harness = Harness();
        harness.Connector.BatchesInFlight = 5;
        harness.Sources.Contacts.Put(EngineHarness.Tenant, Customer("c1", "Alpha Pty Ltd"));
        harness.Sources.Invoices.PutRange(EngineHarness.Tenant, Enumerable.Range(0, 300).Select(i => Invoice($"inv-{i:D3}", "c1", 10m)));
        var (held, fiveHeld) = HoldInvoicePushes(harness);

        var run = harness.SyncAllAsync();
        await fiveHeld.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(5, held.Count);
        Assert.Single(harness.Ledger.RecordsOf(RecordKind.Contact));
        Assert.Equal(250, (await harness.AllEntriesAsync(LedgerState.InFlight)).Count);
        held.Release();
        Assert.Equal(RunOutcome.Completed, (await run).Outcome);
        Assert.Equal(300, (await harness.AllEntriesAsync(LedgerState.Synced)).Count(e => e.Kind == RecordKind.Invoice));
        Assert.Equal(300, harness.Ledger.RecordsOf(RecordKind.Invoice).Select(r => r.Reference).Distinct().Count());
        Assert.Equal(300, harness.Ledger.RecordsOf(RecordKind.Invoice).Count);
    }

    [Fact]
    public async Task AnswerLostForOneOfSeveralBatchesInFlight_OnlyThatBatchIsUncertain_AndTheNextRunAdoptsIt()
    {
        await using var harness = Harness();
        harness.Connector.BatchesInFlight = 5;
        harness.Sources.Contacts.Put(EngineHarness.Tenant, Customer("c1", "Alpha Pty Ltd"));
        harness.Sources.Invoices.PutRange(EngineHarness.Tenant, Enumerable.Range(0, 300).Select(i => Invoice($"inv-{i:D3}", "c1", 10m)));
        var (held, fiveHeld) = HoldInvoicePushes(harness);
        var run = harness.SyncAllAsync();
        await fiveHeld.WaitAsync(TimeSpan.FromSeconds(10));
        harness.Connector.DropConnectionAfterCommit();
        held.Release();
        await run;
        Assert.Equal(50, (await harness.AllEntriesAsync(LedgerState.Uncertain)).Count);

        await harness.SyncAllAsync();

        Assert.Equal(300, (await harness.AllEntriesAsync(LedgerState.Synced)).Count(e => e.Kind == RecordKind.Invoice));
        Assert.Equal(300, harness.Ledger.RecordsOf(RecordKind.Invoice).Count);
    }

    /// <summary>Holds invoice pushes (the contact's goes through) until released; the task completes when five are held.</summary>
    private static (Gate Held, Task FiveHeld) HoldInvoicePushes(EngineHarness harness)
    {
        var gate = new Gate();
        var pushes = 0;
        harness.Connector.BeforePush = async ct =>
        {
            if (Interlocked.Increment(ref pushes) > 1)
            {
                await gate.WaitAsync(ct);
            }
        };
        return (gate, gate.Reached(5));
    }

    private sealed class Gate
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _count;
        private int _target = int.MaxValue;

        public int Count => Volatile.Read(ref _count);

        public Task Reached(int count)
        {
            _target = count;
            return _reached.Task;
        }

        public async Task WaitAsync(CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _count) >= _target)
            {
                _reached.TrySetResult();
            }

            await _open.Task.WaitAsync(cancellationToken);
        }

        public void Release() => _open.TrySetResult();
    }

    [Fact]
    public async Task RecordsWithoutAnId_AppearOnTheErrorTab()
    {
        await using var harness = await WithInvoiceAsync();
        harness.Sources.Invoices.Put(EngineHarness.Tenant, Invoice(string.Empty, "c1", 10m) with { Number = "INV-NOID" });

        await harness.SyncAllAsync();

        var failed = await harness.Engine.QueryLedgerAsync(new LedgerQuery { TenantId = EngineHarness.Tenant, States = [LedgerState.Failed] });
        var entry = Assert.Single(failed.Entries);
        Assert.Equal("Record has no id, or shares its id", entry.Error!.Reason);
        Assert.Contains("INV-NOID", entry.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoDifferentRecordsWithOneId_AreNeitherSent()
    {
        var twins = new TwinInvoices();
        await using var harness = Harness(build: b => b.AddSource(twins));
        harness.Sources.Contacts.Put(EngineHarness.Tenant, Customer("c1", "Alpha Pty Ltd"));

        await harness.SyncAllAsync();

        var entry = await harness.RequiredEntryAsync(RecordKind.Invoice, "inv-twin");
        Assert.Equal(LedgerState.Failed, entry.State);
        Assert.Contains("two different Invoice records with the id 'inv-twin'", entry.Error!.Message, StringComparison.Ordinal);
        Assert.Empty(harness.Ledger.RecordsOf(RecordKind.Invoice));
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        // The heartbeat runs on the thread pool once virtual time moves; wait for its store write, bounded.
        for (var i = 0; i < 2_000 && !await condition(); i++)
        {
            await Task.Delay(5);
        }

        Assert.True(await condition(), "The heartbeat did not renew the lease.");
    }

    /// <summary>Holds the next push until released (a slow Xero).</summary>
    private sealed class HeldPush
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public HeldPush(SyncKit.Testing.Connectors.InMemoryLedgerConnector connector)
        {
            connector.BeforePush = async ct =>
            {
                connector.BeforePush = null;
                Entered.TrySetResult();
                await _release.Task.WaitAsync(ct).ConfigureAwait(false);
            };
        }

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _release.TrySetResult();
    }

    private sealed class FailingInvoices(int failAfter) : SyncSource<InvoiceRecord>
    {
        public string? FailToRead { get; init; }

        public override RecordKind Kind => RecordKind.Invoice;

        public override async IAsyncEnumerable<InvoiceRecord> GetChangedAsync(string tenantId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            for (var i = 1; i <= 5; i++)
            {
                if (i > failAfter)
                {
                    throw new InvalidOperationException($"row {i} is damaged");
                }

                await Task.Yield();
                yield return Invoice($"inv-{i}", "c1", 10m * i);
            }
        }

        public override Task<InvoiceRecord?> GetAsync(string tenantId, string sourceId, CancellationToken cancellationToken = default) =>
            sourceId == FailToRead
                ? throw new InvalidOperationException("row 2 is damaged")
                : Task.FromResult<InvoiceRecord?>(Invoice(sourceId, "c1", 10m));
    }

    private sealed class TwinInvoices : SyncSource<InvoiceRecord>
    {
        public override RecordKind Kind => RecordKind.Invoice;

        public override async IAsyncEnumerable<InvoiceRecord> GetChangedAsync(string tenantId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            yield return Invoice("inv-twin", "c1", 10m) with { Number = "INV-A" };
            yield return Invoice("inv-twin", "c1", 20m) with { Number = "INV-B" };
        }

        public override Task<InvoiceRecord?> GetAsync(string tenantId, string sourceId, CancellationToken cancellationToken = default) => Task.FromResult<InvoiceRecord?>(null);
    }

    private sealed class ReaderTrackingContacts(int count) : SyncSource<ContactRecord>
    {
        private bool _reading;

        public int Told { get; private set; }

        public bool ToldWhileReading { get; private set; }

        public int LargestPage { get; private set; }

        public bool FailNextCallback { get; set; }

        public override RecordKind Kind => RecordKind.Contact;

        public override async IAsyncEnumerable<ContactRecord> GetChangedAsync(string tenantId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            _reading = true;
            try
            {
                for (var i = 0; i < count; i++)
                {
                    await Task.Yield();
                    yield return Customer($"c{i:D5}", $"Customer {i:D5}");
                }
            }
            finally
            {
                _reading = false;
            }
        }

        public override Task<ContactRecord?> GetAsync(string tenantId, string sourceId, CancellationToken cancellationToken = default) =>
            Task.FromResult<ContactRecord?>(Customer(sourceId, $"Customer {sourceId[1..]}"));

        public override Task OnOutcomesAsync(string tenantId, IReadOnlyList<RecordOutcome> outcomes, CancellationToken cancellationToken = default)
        {
            if (FailNextCallback)
            {
                FailNextCallback = false;
                throw new InvalidOperationException("database is locked");
            }

            ToldWhileReading |= _reading;
            LargestPage = Math.Max(LargestPage, outcomes.Count);
            Told += outcomes.Count(o => o.Posted);
            return Task.CompletedTask;
        }
    }
}
