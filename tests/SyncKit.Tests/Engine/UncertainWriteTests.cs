using Microsoft.Extensions.DependencyInjection;
using SyncKit.Errors;
using SyncKit.Ledger;
using SyncKit.Records;
using SyncKit.Runs;

namespace SyncKit.Tests.Engine;

public sealed class UncertainWriteTests
{
    [Fact]
    public async Task WriteWhoseAnswerIsLost_BecomesUncertain_AndIsReconciledByLookup_WithExactlyOneCopy()
    {
        await using var harness = new EngineHarness();
        var demo = await harness.LoadDemoAsync();
        harness.Connector.DropConnectionAfterCommit(1);

        await harness.SyncAllAsync();

        var firstContact = demo.Contacts[0];
        var uncertain = await harness.RequiredEntryAsync(RecordKind.Contact, firstContact.SourceId);
        Assert.Equal(LedgerState.Uncertain, uncertain.State);
        Assert.Equal(ErrorCategories.Uncertain, uncertain.Error!.Category);
        var copiesAfterFirstRun = harness.Ledger.RecordsOf(RecordKind.Contact).Count;

        var second = await harness.SyncAllAsync();

        var reconciled = await harness.RequiredEntryAsync(RecordKind.Contact, firstContact.SourceId);
        Assert.Equal(LedgerState.Synced, reconciled.State);
        Assert.True(second.Counts.Reconciled > 0);
        Assert.Single(harness.Ledger.RecordsOf(RecordKind.Contact), r => r.Reference == firstContact.Name);
        Assert.Equal(copiesAfterFirstRun, harness.Ledger.RecordsOf(RecordKind.Contact).Count);
        Assert.All(harness.Ledger.RecordsOf(RecordKind.Contact), r => Assert.Equal(1, r.Writes));
    }

    [Fact]
    public async Task FailureBeforeCommit_LeavesNothingInTheLedger_AndTheNextRunCreatesItOnce()
    {
        await using var harness = new EngineHarness();
        var demo = await harness.LoadDemoAsync();
        harness.Connector.FailBeforeCommit(1);

        await harness.SyncAllAsync();
        Assert.Equal(LedgerState.Uncertain, (await harness.RequiredEntryAsync(RecordKind.Contact, demo.Contacts[0].SourceId)).State);

        await harness.SyncAllAsync();

        Assert.Equal(LedgerState.Synced, (await harness.RequiredEntryAsync(RecordKind.Contact, demo.Contacts[0].SourceId)).State);
        Assert.Single(harness.Ledger.RecordsOf(RecordKind.Contact), r => r.Reference == demo.Contacts[0].Name);
    }

    [Fact]
    public async Task RetryOfTheSameBatch_ReusesItsIdempotencyKey_ButAChangedBatchNever()
    {
        await using var harness = new EngineHarness();
        var demo = await harness.LoadDemoAsync();
        await harness.SyncAllAsync();
        harness.Sources.Invoices.Put(EngineHarness.Tenant, demo.Invoices[0] with { Reference = "v2" });
        await harness.SyncAllAsync();
        harness.Sources.Invoices.Put(EngineHarness.Tenant, demo.Invoices[0] with { Reference = "v3" });
        await harness.SyncAllAsync();

        var keys = harness.Connector.IdempotencyKeys.ToArray();
        Assert.Equal(keys.Length, keys.Distinct().Count());
        Assert.All(keys, k => Assert.InRange(k.Length, 1, 128));
    }

    [Fact]
    public async Task IdempotencyKey_IsStoredOnTheEntryBeforeThePush()
    {
        await using var harness = new EngineHarness();
        var demo = await harness.LoadDemoAsync();
        await harness.SyncAllAsync();

        var entry = await harness.RequiredEntryAsync(RecordKind.Invoice, demo.Invoices[0].SourceId);
        Assert.Contains(entry.IdempotencyKey, harness.Connector.IdempotencyKeys);
    }

    [Fact]
    public async Task TransientBatchFailure_SchedulesARetry_WhichRunsWhenDue()
    {
        await using var harness = new EngineHarness();
        var demo = await harness.LoadDemoAsync(customers: 10, invoices: 20);
        harness.Connector.NextBatchFailure = new SyncFailure { Source = FailureSource.Transport, Messages = ["Connection reset before the request was sent"] };

        await harness.SyncAllAsync();
        var scheduled = await harness.RequiredEntryAsync(RecordKind.Contact, demo.Contacts[0].SourceId);
        Assert.Equal(LedgerState.RetryScheduled, scheduled.State);
        Assert.NotNull(scheduled.NextAttemptAt);

        var early = await harness.SyncAllAsync();
        Assert.Equal(LedgerState.RetryScheduled, (await harness.RequiredEntryAsync(RecordKind.Contact, demo.Contacts[0].SourceId)).State);

        harness.Time.Advance(TimeSpan.FromHours(1));
        var due = await harness.SyncAllAsync();

        Assert.Equal(LedgerState.Synced, (await harness.RequiredEntryAsync(RecordKind.Contact, demo.Contacts[0].SourceId)).State);
        Assert.Equal(RunOutcome.CompletedWithErrors, due.Outcome);
        Assert.True(early.Counts.Sent < due.Counts.Sent || early.Counts.Sent == 0);
    }
}

public sealed class ConnectorFailureTests
{
    [Fact]
    public async Task LookupRefusedMidRun_DisconnectsTheTenant_AndKeepsTheRecordUncertain()
    {
        await using var harness = new EngineHarness();
        var demo = await harness.LoadDemoAsync(customers: 5, invoices: 20);
        harness.Connector.DropConnectionAfterCommit(1);
        await harness.SyncAllAsync();
        harness.Connector.LookupFailure = new SyncFailure { Source = FailureSource.Authorization, StatusCode = 400, ErrorType = "invalid_grant", Messages = ["invalid_grant"] };

        var run = await harness.SyncAllAsync();

        Assert.Equal(RunOutcome.Disconnected, run.Outcome);
        Assert.Equal(SyncKit.Storage.ConnectionState.Disconnected, (await harness.Engine.GetStatusAsync(EngineHarness.Tenant)).Connection);
        Assert.Equal(LedgerState.Uncertain, (await harness.RequiredEntryAsync(RecordKind.Contact, demo.Contacts[0].SourceId)).State);
    }
}

public sealed class AbandonedClaimTests
{
    [Fact]
    public async Task ClaimOfARunThatDied_WhoseWriteLanded_IsReconciled_NotSentAgain()
    {
        await using var harness = new EngineHarness();
        var demo = await harness.LoadDemoAsync(customers: 5, invoices: 20);
        await harness.SyncAllAsync();
        var invoice = demo.Invoices[0] with { SourceId = "inv-crash", Number = "INV-CRASH" };
        harness.Sources.Invoices.Put(EngineHarness.Tenant, invoice);
        await LandAndAbandonAsync(harness, invoice, landed: true);

        await harness.SyncAllAsync();

        var entry = await harness.RequiredEntryAsync(RecordKind.Invoice, "inv-crash");
        Assert.Equal(LedgerState.Synced, entry.State);
        var copy = Assert.Single(harness.Ledger.RecordsOf(RecordKind.Invoice), r => r.Reference == "INV-CRASH");
        Assert.Equal(1, copy.Writes);
        Assert.Equal(copy.RemoteId, entry.RemoteId);
    }

    [Fact]
    public async Task ClaimOfARunThatDied_WhoseWriteNeverLanded_IsSentOnce()
    {
        await using var harness = new EngineHarness();
        var demo = await harness.LoadDemoAsync(customers: 5, invoices: 20);
        await harness.SyncAllAsync();
        var invoice = demo.Invoices[0] with { SourceId = "inv-crash", Number = "INV-CRASH" };
        harness.Sources.Invoices.Put(EngineHarness.Tenant, invoice);
        await LandAndAbandonAsync(harness, invoice, landed: false);

        await harness.SyncAllAsync();

        Assert.Equal(LedgerState.Synced, (await harness.RequiredEntryAsync(RecordKind.Invoice, "inv-crash")).State);
        Assert.Single(harness.Ledger.RecordsOf(RecordKind.Invoice), r => r.Reference == "INV-CRASH");
    }

    [Fact]
    public async Task ClaimOfARunStillAlive_IsLeftAlone()
    {
        await using var harness = new EngineHarness();
        var demo = await harness.LoadDemoAsync(customers: 5, invoices: 20);
        await harness.SyncAllAsync();
        var invoice = demo.Invoices[0] with { SourceId = "inv-busy", Number = "INV-BUSY" };
        harness.Sources.Invoices.Put(EngineHarness.Tenant, invoice);
        await harness.LedgerStore.SaveAsync([InFlight(harness, invoice.SourceId, harness.Time.GetUtcNow())]);

        // The run that made the claim still holds the tenant's lease (another node, alive).
        var now = harness.Time.GetUtcNow();
        await harness.Services.GetRequiredService<SyncKit.Storage.TenantStore>().TryAcquireLeaseAsync(
            new SyncKit.Storage.SyncLease { TenantId = EngineHarness.Tenant, Scope = "sync", Holder = "other-node", RunId = "run_dead", ExpiresAt = now.AddMinutes(1) }, now);

        var run = await harness.SyncAllAsync();

        Assert.Equal(SyncKit.Runs.RunOutcome.AlreadyRunning, run.Outcome);
        Assert.Equal(LedgerState.InFlight, (await harness.RequiredEntryAsync(RecordKind.Invoice, "inv-busy")).State);
        Assert.DoesNotContain(harness.Ledger.RecordsOf(RecordKind.Invoice), r => r.Reference == "INV-BUSY");
    }

    // A run claimed the record and died before it saved the answer (its write landed or not); ten minutes pass.
    private static async Task LandAndAbandonAsync(EngineHarness harness, InvoiceRecord invoice, bool landed)
    {
        if (landed)
        {
            var contact = await harness.RequiredEntryAsync(RecordKind.Contact, invoice.ContactSourceId);
            var mapped = invoice with { Lines = invoice.Lines.Select(l => l with { AccountKey = "260", TaxKey = "OUTPUT", ItemKey = null }).ToArray() };
            await harness.Connector.PushAsync(new SyncKit.Connectors.PushBatch
            {
                TenantId = EngineHarness.Tenant,
                Kind = RecordKind.Invoice,
                IdempotencyKey = "crashed-run",
                Elements =
                [
                    new SyncKit.Connectors.PushElement
                    {
                        Key = new LedgerKey(EngineHarness.Tenant, RecordKind.Invoice, invoice.SourceId),
                        Record = mapped,
                        ContentHash = "h",
                        Links = new Dictionary<string, string> { [SyncKit.Connectors.PushElement.LinkKey(RecordKind.Contact, invoice.ContactSourceId)] = contact.RemoteId! },
                    },
                ],
            });
        }

        await harness.LedgerStore.SaveAsync([InFlight(harness, invoice.SourceId, harness.Time.GetUtcNow())]);
        harness.Time.Advance(TimeSpan.FromMinutes(10));
    }

    private static LedgerEntry InFlight(EngineHarness harness, string sourceId, DateTimeOffset at) => new()
    {
        TenantId = EngineHarness.Tenant,
        Kind = RecordKind.Invoice,
        SourceId = sourceId,
        State = LedgerState.InFlight,
        PreviousState = LedgerState.Pending,
        RunId = "run_dead",
        IdempotencyKey = "crashed-run",
        Attempts = 1,
        CreatedAt = at,
        UpdatedAt = at,
    };
}
