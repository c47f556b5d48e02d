using Microsoft.Extensions.DependencyInjection;
using SyncKit.Errors;
using SyncKit.Ledger;
using SyncKit.Mapping;
using SyncKit.Records;
using SyncKit.Runs;
using SyncKit.Sources;
using SyncKit.Storage;
using SyncKit.Testing.Demo;

namespace SyncKit.Tests.Engine;

public sealed class UserActionTests
{
    [Fact]
    public async Task AddingTheMissingMapping_ReturnsEveryWaitingRecordToPending_AndTheNextRunSyncsThem()
    {
        await using var harness = new EngineHarness();
        await harness.LoadDemoAsync();
        await harness.SyncAllAsync();
        var (kind, local, remote) = DemoPractice.MissingGlMapping;

        var returned = await harness.Engine.SetMappingAsync(EngineHarness.Tenant, kind, local, remote);

        Assert.Equal(1, returned);
        Assert.Equal(LedgerState.Pending, (await harness.RequiredEntryAsync(RecordKind.Invoice, DemoProblems.GlUnmapped)).State);
        await harness.SyncAllAsync();
        Assert.Equal(LedgerState.Synced, (await harness.RequiredEntryAsync(RecordKind.Invoice, DemoProblems.GlUnmapped)).State);
    }

    [Fact]
    public async Task UnmappedEntry_NamesTheMissingMapping()
    {
        await using var harness = new EngineHarness();
        await harness.LoadDemoAsync();
        await harness.SyncAllAsync();

        var entry = await harness.RequiredEntryAsync(RecordKind.Cost, DemoProblems.UnmappedOrganisation);

        Assert.Equal("Client:org-unmapped", entry.MissingMapping);
        Assert.Contains(entry.Error!.Resolution, s => s.Contains("org-unmapped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RetryByCategory_AfterTheUserUnlocksThePeriod_SyncsTheLockedRecords()
    {
        await using var harness = new EngineHarness();
        await harness.LoadDemoAsync();
        await harness.SyncAllAsync();
        harness.Ledger.Reference = harness.Ledger.Reference with { PeriodLockDate = null, WipLockDate = null };

        var run = await harness.Engine.RetryAsync(new RetryRequest { TenantId = EngineHarness.Tenant, ErrorCategory = ErrorCategories.LockDates, RequestedBy = "accountant" });

        Assert.Equal(LedgerState.Synced, (await harness.RequiredEntryAsync(RecordKind.Invoice, DemoProblems.LockDate)).State);
        Assert.Equal(LedgerState.Synced, (await harness.RequiredEntryAsync(RecordKind.Cost, DemoProblems.WipLocked)).State);
        Assert.Equal(LedgerState.Failed, (await harness.RequiredEntryAsync(RecordKind.Cost, DemoProblems.JobNotInProgress)).State);
        Assert.Equal("accountant", run.RequestedBy);
    }

    [Fact]
    public async Task SyncRecord_ResendsOneFailedRecordNow()
    {
        await using var harness = new EngineHarness();
        await harness.LoadDemoAsync();
        await harness.SyncAllAsync();
        harness.Ledger.Reference = harness.Ledger.Reference with { PeriodLockDate = null };
        harness.Time.Advance(TimeSpan.FromMinutes(1));

        var outcome = await harness.Engine.SyncRecordAsync(new LedgerKey(EngineHarness.Tenant, RecordKind.Invoice, DemoProblems.LockDate), "accountant");

        Assert.Equal(LedgerState.Synced, outcome.State);
        Assert.NotNull(outcome.RemoteId);
        var activity = await harness.Engine.GetActivityAsync(EngineHarness.Tenant);
        Assert.Equal($"{EngineHarness.Tenant}/Invoice/{DemoProblems.LockDate}", activity[0].RecordKey);
    }

    [Fact]
    public async Task SkippedRecord_IsNotSent_UntilUnskipped()
    {
        await using var harness = new EngineHarness();
        var demo = await harness.LoadDemoAsync(customers: 5, invoices: 20);
        var key = new LedgerKey(EngineHarness.Tenant, RecordKind.Invoice, demo.Invoices[0].SourceId);
        await harness.Engine.SkipAsync(key, "Customer asked us not to send it");

        await harness.SyncAllAsync();
        var skipped = await harness.RequiredEntryAsync(RecordKind.Invoice, key.SourceId);
        Assert.Equal(LedgerState.Skipped, skipped.State);
        Assert.Equal("Customer asked us not to send it", skipped.Error!.Message);

        await harness.Engine.UnskipAsync(key);
        await harness.SyncAllAsync();
        Assert.Equal(LedgerState.Synced, (await harness.RequiredEntryAsync(RecordKind.Invoice, key.SourceId)).State);
    }

    [Fact]
    public async Task ApprovalPolicy_HoldsRecords_UntilReleased()
    {
        await using var harness = new EngineHarness(build: b => b.UseApprovalPolicy<HoldLargeInvoices>());
        var demo = await harness.LoadDemoAsync(customers: 5, invoices: 20);
        var large = demo.Invoices[0] with { SourceId = "inv-large", Number = "INV-LARGE", Lines = [new DocumentLine { Description = "Big", UnitPrice = 50_000m, AccountKey = "GL-SALES", TaxKey = "TAX-GST" }] };
        harness.Sources.Invoices.Put(EngineHarness.Tenant, large);

        await harness.SyncAllAsync();
        Assert.Equal(LedgerState.Held, (await harness.RequiredEntryAsync(RecordKind.Invoice, "inv-large")).State);

        var released = await harness.Engine.ReleaseAsync([new LedgerKey(EngineHarness.Tenant, RecordKind.Invoice, "inv-large")]);
        await harness.SyncAllAsync();

        Assert.Equal(1, released);
        Assert.Equal(LedgerState.Synced, (await harness.RequiredEntryAsync(RecordKind.Invoice, "inv-large")).State);
    }

    [Fact]
    public async Task MarkResolved_SettlesAFailedRecordAsSynced_WithTheGivenRemoteId()
    {
        await using var harness = new EngineHarness();
        await harness.LoadDemoAsync();
        await harness.SyncAllAsync();

        var entry = await harness.Engine.MarkResolvedAsync(new LedgerKey(EngineHarness.Tenant, RecordKind.Invoice, DemoProblems.ArchivedAccount), "made-by-hand-1");
        await harness.SyncAllAsync();

        Assert.Equal(LedgerState.Synced, entry.State);
        var after = await harness.RequiredEntryAsync(RecordKind.Invoice, DemoProblems.ArchivedAccount);
        Assert.Equal(LedgerState.Synced, after.State);
        Assert.Equal("made-by-hand-1", after.RemoteId);
    }

    [Fact]
    public async Task PausedTenant_DoesNotSync_UntilThePauseEnds()
    {
        await using var harness = new EngineHarness();
        await harness.LoadDemoAsync(customers: 5, invoices: 20);
        var until = harness.Time.GetUtcNow().AddHours(2);
        await harness.Engine.PauseAsync(EngineHarness.Tenant, until, "Month-end close");

        var paused = await harness.SyncAllAsync();
        var status = await harness.Engine.GetStatusAsync(EngineHarness.Tenant);
        harness.Time.Advance(TimeSpan.FromHours(3));
        var resumed = await harness.SyncAllAsync();

        Assert.Equal(RunOutcome.Paused, paused.Outcome);
        Assert.Equal(until, paused.PausedUntil);
        Assert.Contains("Sync paused until", paused.Message, StringComparison.Ordinal);
        Assert.Equal(until, status.PausedUntil);
        Assert.Equal(0, harness.Connector.Pushes - resumed.Counts.Calls);
        Assert.True(resumed.Counts.Synced > 0);
    }

    [Fact]
    public async Task DailyLimitFailure_PausesTheTenant_AndLeavesUnsentRecordsPending()
    {
        await using var harness = new EngineHarness(build: b => b.AddErrorRules(r => r.Add(new ErrorRule
        {
            Id = "test.day-limit",
            Category = ErrorCategories.DailyLimit,
            Disposition = ErrorDisposition.PauseTenant,
            Reason = "Daily API limit reached",
            RateLimitProblem = "day",
        })));
        await harness.LoadDemoAsync(customers: 120, invoices: 20);
        harness.Connector.NextBatchFailure = new SyncFailure { Source = FailureSource.Remote, StatusCode = 429, RateLimitProblem = "day", RetryAfter = TimeSpan.FromHours(5), Messages = ["Rate limit exceeded"] };

        var run = await harness.SyncAllAsync();
        var status = await harness.Engine.GetStatusAsync(EngineHarness.Tenant);

        Assert.Equal(RunOutcome.Paused, run.Outcome);
        Assert.Equal(harness.Time.GetUtcNow().AddHours(5), status.PausedUntil);
        Assert.Contains("Sync paused until", run.Message, StringComparison.Ordinal);
        Assert.Empty(harness.Ledger.Records);
        var entries = await harness.AllEntriesAsync();
        Assert.All(entries, e => Assert.Equal(LedgerState.Pending, e.State));
    }

    [Fact]
    public async Task RefusedConnection_DisconnectsTheTenant_AndLaterRunsSayReconnect()
    {
        await using var harness = new EngineHarness();
        await harness.LoadDemoAsync(customers: 5, invoices: 20);
        harness.Connector.NextBatchFailure = new SyncFailure { Source = FailureSource.Authorization, StatusCode = 401, ErrorType = "invalid_grant", Messages = ["invalid_grant"] };

        var run = await harness.SyncAllAsync();
        var next = await harness.SyncAllAsync();
        var status = await harness.Engine.GetStatusAsync(EngineHarness.Tenant);

        Assert.Equal(RunOutcome.Disconnected, run.Outcome);
        Assert.Equal(RunOutcome.Disconnected, next.Outcome);
        Assert.Equal(ConnectionState.Disconnected, status.Connection);
        Assert.All(await harness.AllEntriesAsync(), e => Assert.Equal(LedgerState.Pending, e.State));
    }

    [Fact]
    public async Task Status_CountsEntriesPerStateAndCategory_AndShowsTheLastRun()
    {
        await using var harness = new EngineHarness();
        await harness.LoadDemoAsync();
        var run = await harness.SyncAllAsync();

        var status = await harness.Engine.GetStatusAsync(EngineHarness.Tenant);

        Assert.Equal(run.RunId, status.LastRun!.RunId);
        Assert.Equal(ConnectionState.Connected, status.Connection);
        Assert.Equal(2, status.Counts.ByState[LedgerState.Unmapped]);
        Assert.Equal(2, status.Counts.ByCategory[ErrorCategories.LockDates]);
    }

    [Fact]
    public async Task ErrorTab_IsAPagedQueryOfFailedEntries()
    {
        await using var harness = new EngineHarness();
        await harness.LoadDemoAsync();
        await harness.SyncAllAsync();

        var first = await harness.Engine.QueryLedgerAsync(new LedgerQuery { TenantId = EngineHarness.Tenant, States = [LedgerState.Failed], PageSize = 3 });
        var second = await harness.Engine.QueryLedgerAsync(new LedgerQuery { TenantId = EngineHarness.Tenant, States = [LedgerState.Failed], PageSize = 3, ContinuationToken = first.ContinuationToken });

        Assert.Equal(3, first.Entries.Count);
        Assert.NotEmpty(second.Entries);
        Assert.Empty(first.Entries.Select(e => e.Key).Intersect(second.Entries.Select(e => e.Key)));
        Assert.All(first.Entries.Concat(second.Entries), e => Assert.Equal(LedgerState.Failed, e.State));
    }

    [Fact]
    public async Task ActivityLog_HasARowPerRun_WithTriggerRequesterCountsAndDuration()
    {
        await using var harness = new EngineHarness();
        await harness.LoadDemoAsync(customers: 5, invoices: 20);
        await harness.Engine.SyncAsync(new SyncRequest { TenantId = EngineHarness.Tenant, Trigger = SyncTrigger.Scheduled, RequestedBy = "scheduler" });
        harness.Time.Advance(TimeSpan.FromMinutes(1));
        await harness.Engine.SyncAsync(new SyncRequest { TenantId = EngineHarness.Tenant, Trigger = SyncTrigger.Manual, RequestedBy = "sam" });

        var activity = await harness.Engine.GetActivityAsync(EngineHarness.Tenant);

        Assert.Equal(2, activity.Count);
        Assert.Equal("sam", activity[0].RequestedBy);
        Assert.Equal(SyncTrigger.Scheduled, activity[1].Trigger);
        Assert.True(activity[1].Counts.Synced > 0);
        Assert.NotNull(activity[1].Duration);
    }

    [Fact]
    public async Task Preview_SendsNothing_AndSplitsReadyFromErrors()
    {
        await using var harness = new EngineHarness();
        await harness.LoadDemoAsync();

        var preview = await harness.Engine.PreviewAsync(new SyncRequest { TenantId = EngineHarness.Tenant });

        Assert.Equal(0, harness.Connector.Pushes);
        Assert.Empty(await harness.AllEntriesAsync());
        Assert.Contains(preview.Lines, l => l.Key.SourceId == DemoProblems.LockDate && !l.Ready && l.Error!.Category == ErrorCategories.LockDates);
        Assert.Contains(preview.Lines, l => l.Key.SourceId == DemoProblems.GlUnmapped && l.State == LedgerState.Unmapped);
        Assert.True(preview.Ready > 200, $"{preview.Ready} ready");
        Assert.DoesNotContain(preview.Lines, l => l.Error?.Category == ErrorCategories.ContactMapping);
    }

    private sealed class HoldLargeInvoices : ApprovalPolicy
    {
        public override ValueTask<bool> ShouldHoldAsync(string tenantId, SyncRecord record, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(record is InvoiceRecord invoice && invoice.Lines.Sum(l => l.NetAmount) > 10_000m);
    }
}
