using SyncKit.Records;
using SyncKit.Runs;

namespace SyncKit.Tests.Engine;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task TwoConcurrentSyncAlls_OneRuns_TheOtherIsToldItIsAlreadyRunning_WithItsRunId()
    {
        await using var harness = new EngineHarness();
        await harness.LoadDemoAsync(customers: 10, invoices: 20);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = true;
        harness.Sources.Contacts.OnYield = async _ =>
        {
            if (first)
            {
                first = false;
                entered.SetResult();
                await release.Task;
            }
        };

        var running = harness.SyncAllAsync();
        await entered.Task;
        var status = await harness.Engine.GetStatusAsync(EngineHarness.Tenant);
        var second = await harness.SyncAllAsync();
        release.SetResult();
        var finished = await running;

        Assert.Equal(RunOutcome.AlreadyRunning, second.Outcome);
        Assert.Equal(finished.RunId, second.RunId);
        Assert.Equal(finished.RunId, status.RunningRunId);
        Assert.NotEqual(RunOutcome.AlreadyRunning, finished.Outcome);
    }

    [Fact]
    public async Task AfterARunEnds_TheNextOneMayStart()
    {
        await using var harness = new EngineHarness();
        await harness.LoadDemoAsync(customers: 5, invoices: 20);

        var one = await harness.SyncAllAsync();
        var two = await harness.SyncAllAsync();

        Assert.NotEqual(RunOutcome.AlreadyRunning, two.Outcome);
        Assert.NotEqual(one.RunId, two.RunId);
        Assert.Null((await harness.Engine.GetStatusAsync(EngineHarness.Tenant)).RunningRunId);
    }

    [Fact]
    public async Task ALeaseOfADeadNode_LapsesAndTheTenantSyncsAgain()
    {
        await using var harness = new EngineHarness();
        await harness.LoadDemoAsync(customers: 5, invoices: 20);
        var tenants = (SyncKit.Storage.TenantStore)harness.Services.GetService(typeof(SyncKit.Storage.TenantStore))!;
        var now = harness.Time.GetUtcNow();
        await tenants.TryAcquireLeaseAsync(
            new SyncKit.Storage.SyncLease { TenantId = EngineHarness.Tenant, Scope = "sync", Holder = "dead-node", RunId = "run_dead", ExpiresAt = now.AddMinutes(5) },
            now);

        var blocked = await harness.SyncAllAsync();
        harness.Time.Advance(TimeSpan.FromMinutes(6));
        var resumed = await harness.SyncAllAsync();

        Assert.Equal(RunOutcome.AlreadyRunning, blocked.Outcome);
        Assert.Equal("run_dead", blocked.RunId);
        Assert.NotEqual(RunOutcome.AlreadyRunning, resumed.Outcome);
        Assert.True(resumed.Counts.Synced > 0);
    }

    [Fact]
    public async Task A_refused_sync_all_is_in_the_activity_log_under_its_own_id_naming_the_running_run()
    {
        await using var harness = new EngineHarness();
        await harness.LoadDemoAsync(customers: 5, invoices: 20);
        var tenants = (SyncKit.Storage.TenantStore)harness.Services.GetService(typeof(SyncKit.Storage.TenantStore))!;
        var now = harness.Time.GetUtcNow();
        await tenants.TryAcquireLeaseAsync(
            new SyncKit.Storage.SyncLease { TenantId = EngineHarness.Tenant, Scope = "sync", Holder = "other-node", RunId = "run_other", ExpiresAt = now.AddMinutes(5) },
            now);

        var refused = await harness.Engine.SyncAsync(new SyncRequest { TenantId = EngineHarness.Tenant, RequestedBy = "second click" });

        // The caller still hears of the run it would have joined; the log keeps the request itself.
        Assert.Equal((RunOutcome.AlreadyRunning, "run_other"), (refused.Outcome, refused.RunId));
        var logged = Assert.Single(await harness.Engine.GetActivityAsync(EngineHarness.Tenant));
        Assert.Equal((RunOutcome.AlreadyRunning, "second click"), (logged.Outcome, logged.RequestedBy));
        Assert.NotEqual("run_other", logged.RunId);
        Assert.Contains("run_other", logged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelledRun_EndsCancelled_AndLeavesUnsentRecordsForTheNextRun()
    {
        await using var harness = new EngineHarness();
        var demo = await harness.LoadDemoAsync(customers: 10, invoices: 40);
        using var cts = new CancellationTokenSource();
        harness.Sources.Invoices.OnYield = _ =>
        {
            cts.Cancel();
            return ValueTask.CompletedTask;
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.SyncAllAsync(cts.Token));
        var activity = await harness.Engine.GetActivityAsync(EngineHarness.Tenant);
        Assert.Equal(RunOutcome.Cancelled, activity[0].Outcome);

        harness.Sources.Invoices.OnYield = null;
        await harness.SyncAllAsync();
        Assert.Equal(SyncKit.Ledger.LedgerState.Synced, (await harness.RequiredEntryAsync(RecordKind.Invoice, demo.Invoices[0].SourceId)).State);
        Assert.Null((await harness.Engine.GetStatusAsync(EngineHarness.Tenant)).RunningRunId);
    }
}
