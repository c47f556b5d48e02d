using Microsoft.Extensions.Logging;
using SyncKit.Ledger;
using SyncKit.Records;
using SyncKit.Runs;
using SyncKit.Storage;
using SyncKit.Testing.Sources;

namespace SyncKit.Hosting.Tests;

public sealed class ScheduledSyncTests
{
    private static readonly DateTimeOffset Start = SchedulerHarness.Start;

    [Fact]
    public async Task ThreeTenants_OnePausedOneDisconnected_OnlyTheHealthyOneSyncs_OnTime()
    {
        await using var h = new SchedulerHarness(o =>
        {
            o.Every = TimeSpan.FromHours(1);
            o.Jitter = 0;
            o.FirstRunDelay = TimeSpan.FromMinutes(10);
        });
        await h.AddTenantAsync("acme-paused", pausedUntil: Start.AddHours(6));
        await h.AddTenantAsync("bravo-disconnected", ConnectionState.Disconnected);
        await h.AddTenantAsync("zulu-healthy");
        await h.StartAsync();

        await h.AdvanceAsync(TimeSpan.FromMinutes(9));
        await h.AdvanceAsync(TimeSpan.FromMinutes(1));
        var first = await h.NextRunAsync();
        await h.AdvanceAsync(TimeSpan.FromHours(1));
        var second = await h.NextRunAsync();

        Assert.Equal(("zulu-healthy", Start.AddMinutes(10)), (first.TenantId, first.CalledAt));
        Assert.Equal(("zulu-healthy", Start.AddMinutes(70)), (second.TenantId, second.CalledAt));
        Assert.All([first.Run!, second.Run!], run =>
        {
            Assert.Equal(SyncTrigger.Scheduled, run.Trigger);
            Assert.Equal("scheduler", run.RequestedBy);
        });
        Assert.Equal(RunOutcome.Completed, first.Run!.Outcome);
        Assert.Equal(3, h.Connector.Ledger("zulu-healthy").RecordsOf(RecordKind.Contact).Count);
        Assert.All(h.Engine.All, r => Assert.Equal("zulu-healthy", r.TenantId));
        Assert.Empty(h.Connector.Ledger("acme-paused").Records);
        Assert.Empty(h.Connector.Ledger("bravo-disconnected").Records);
        Assert.Empty(await h.Engine.GetActivityAsync("acme-paused"));
        Assert.Empty(await h.Engine.GetActivityAsync("bravo-disconnected"));
    }

    [Fact]
    public async Task PausedTenant_SyncsOnTheFirstTickAfterThePauseEnds()
    {
        await using var h = new SchedulerHarness(o =>
        {
            o.Every = TimeSpan.FromHours(1);
            o.Jitter = 0;
            o.FirstRunDelay = TimeSpan.FromMinutes(10);
        });
        await h.AddTenantAsync("acme-paused", pausedUntil: Start.AddMinutes(90));
        await h.AddTenantAsync("zulu-healthy");
        await h.StartAsync();

        await h.AdvanceAsync(TimeSpan.FromMinutes(10));
        var tick1 = await h.NextRunsAsync(1);
        await h.AdvanceAsync(TimeSpan.FromHours(1));
        var tick2 = await h.NextRunsAsync(1);
        await h.AdvanceAsync(TimeSpan.FromHours(1));
        var tick3 = await h.NextRunsAsync(2);

        Assert.Equal(["zulu-healthy", "zulu-healthy"], tick1.Concat(tick2).Select(r => r.TenantId));
        var resumed = Assert.Single(tick3, r => r.TenantId == "acme-paused");
        Assert.Equal(Start.AddMinutes(130), resumed.CalledAt);
        Assert.Equal(RunOutcome.Completed, resumed.Run!.Outcome);
        Assert.Equal(3, h.Connector.Ledger("acme-paused").RecordsOf(RecordKind.Contact).Count);
    }

    [Fact]
    public async Task Jitter_SpreadsTenantsOverThePeriod_AndEachRunsOncePerPeriod()
    {
        var every = TimeSpan.FromHours(1);
        var tenants = Enumerable.Range(1, 8).Select(i => $"tenant-{i:D2}").ToArray();
        await using var h = new SchedulerHarness(o =>
        {
            o.Every = every;
            o.Jitter = 0.5;
            o.FirstRunDelay = TimeSpan.Zero;
        });
        foreach (var tenant in tenants)
        {
            await h.AddTenantAsync(tenant, contacts: 1);
        }

        var slots = tenants
            .Select(t => (Tenant: t, Offset: TenantSchedule.Offset(t, every, 0.5)))
            .OrderBy(s => s.Offset)
            .ToList();
        await h.StartAsync();

        var observed = new List<ObservedRun>();
        for (var period = 0; period < 2; period++)
        {
            var periodStart = Start + (period * every);
            foreach (var (tenant, offset) in slots)
            {
                var due = periodStart + offset;
                if (due > h.Time.GetUtcNow())
                {
                    await h.AdvanceToAsync(due);
                }

                var run = await h.NextRunAsync();
                Assert.Equal((tenant, due), (run.TenantId, run.CalledAt));
                observed.Add(run);
            }

            await h.AdvanceToAsync(periodStart + every);
        }

        Assert.Equal(tenants.Length, slots.Select(s => s.Offset).Distinct().Count());
        Assert.All(slots, s => Assert.InRange(s.Offset, TimeSpan.Zero, every / 2));
        Assert.True(slots[^1].Offset - slots[0].Offset > TimeSpan.FromMinutes(10), "tenants should be spread over the jitter window");
        Assert.All(tenants, t => Assert.Equal(2, observed.Count(r => r.TenantId == t)));
    }

    [Fact]
    public async Task FailedRun_IsLogged_AndTheScheduleContinues()
    {
        var flaky = new FlakyConnector(new Testing.Connectors.InMemoryLedgerConnector());
        flaky.FailNextLoads(1);
        await using var h = new SchedulerHarness(
            o =>
            {
                o.Every = TimeSpan.FromHours(1);
                o.Jitter = 0;
                o.FirstRunDelay = TimeSpan.FromMinutes(1);
            },
            connector: flaky);
        await h.AddTenantAsync("zulu-healthy");
        await h.StartAsync();

        await h.AdvanceAsync(TimeSpan.FromMinutes(1));
        var failed = await h.NextRunAsync();
        await h.AdvanceAsync(TimeSpan.FromHours(1));
        var next = await h.NextRunAsync();

        Assert.Equal(RunOutcome.Failed, failed.Run!.Outcome);
        Assert.Contains(h.Logs.GetSnapshot(), r => r.Level == LogLevel.Warning && r.Message.Contains("ended Failed", StringComparison.Ordinal));
        Assert.Equal(RunOutcome.Completed, next.Run!.Outcome);
        Assert.Equal(Start.AddMinutes(61), next.CalledAt);
    }

    [Fact]
    public async Task EngineThrowing_DoesNotStopTheSchedule()
    {
        await using var h = new SchedulerHarness(o =>
        {
            o.Every = TimeSpan.FromHours(1);
            o.Jitter = 0;
            o.FirstRunDelay = TimeSpan.FromMinutes(1);
        });
        await h.AddTenantAsync("zulu-healthy");
        h.Engine.ThrowNext(1);
        await h.StartAsync();

        await h.AdvanceAsync(TimeSpan.FromMinutes(1));
        var threw = await h.NextRunAsync();
        await h.AdvanceAsync(TimeSpan.FromHours(1));
        var next = await h.NextRunAsync();

        Assert.IsType<InvalidOperationException>(threw.Exception);
        Assert.Contains(h.Logs.GetSnapshot(), r => r.Level == LogLevel.Error && r.Exception == threw.Exception);
        Assert.Equal(RunOutcome.Completed, next.Run!.Outcome);
        Assert.Equal(3, h.Connector.Ledger("zulu-healthy").RecordsOf(RecordKind.Contact).Count);
    }

    [Fact]
    public async Task ManualRunUnderWay_ScheduledRunIsAlreadyRunning_AndTheScheduleContinues()
    {
        var contacts = new InMemorySource<ContactRecord>(RecordKind.Contact);
        var source = new BlockingSource(contacts, blockAfter: 1);
        await using var h = new SchedulerHarness(
            o =>
            {
                o.Every = TimeSpan.FromHours(1);
                o.Jitter = 0;
                o.FirstRunDelay = TimeSpan.FromMinutes(1);
            },
            source: source,
            contacts: contacts);
        await h.AddTenantAsync("zulu-healthy");
        await h.StartAsync();
        using var manualStop = new CancellationTokenSource();
        var manual = h.Engine.SyncAsync(new SyncRequest { TenantId = "zulu-healthy", RequestedBy = "user" }, manualStop.Token);
        await source.Blocked.Task.WaitAsync(TimeSpan.FromSeconds(30));

        await h.AdvanceAsync(TimeSpan.FromMinutes(1));
        var scheduled = await h.NextRunAsync();
        await manualStop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => manual);
        Assert.Equal("user", h.Engine.Take("zulu-healthy").Request.RequestedBy);
        source.Blocking = false;
        await h.AdvanceAsync(TimeSpan.FromHours(1));
        var next = await h.NextRunAsync();

        Assert.Equal(RunOutcome.AlreadyRunning, scheduled.Run!.Outcome);
        Assert.Equal(RunOutcome.Completed, next.Run!.Outcome);
        Assert.Equal(Start.AddMinutes(61), next.CalledAt);
    }

    [Fact]
    public async Task Shutdown_CancelsTheRunInFlight_TheRunEndsCancelled_AndNothingIsLost()
    {
        var contacts = new InMemorySource<ContactRecord>(RecordKind.Contact);
        var source = new BlockingSource(contacts, blockAfter: 15);
        await using var h = new SchedulerHarness(
            o =>
            {
                o.Every = TimeSpan.FromHours(1);
                o.Jitter = 0;
                o.FirstRunDelay = TimeSpan.FromMinutes(5);
            },
            source: source,
            contacts: contacts,
            engine: o => o.ReadChunkSize = 10);
        await h.AddTenantAsync("zulu-healthy", contacts: 25);
        await h.StartAsync();

        await h.AdvanceAsync(TimeSpan.FromMinutes(5));
        await source.Blocked.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await h.StopAsync();

        var cancelled = await h.NextRunAsync();
        Assert.IsAssignableFrom<OperationCanceledException>(cancelled.Exception);
        var activity = await h.Engine.GetActivityAsync("zulu-healthy");
        Assert.Equal(RunOutcome.Cancelled, Assert.Single(activity).Outcome);
        Assert.Empty(await h.EntriesAsync("zulu-healthy", LedgerState.InFlight));
        Assert.Null((await h.Engine.GetStatusAsync("zulu-healthy")).RunningRunId);
        Assert.Equal(10, h.Connector.Ledger("zulu-healthy").Records.Count); // the first chunk went before the source blocked

        source.Blocking = false;
        var rerun = await h.Engine.SyncAsync(new SyncRequest { TenantId = "zulu-healthy", RequestedBy = "user" });

        Assert.Equal(RunOutcome.Completed, rerun.Outcome);
        Assert.Equal(25, (await h.EntriesAsync("zulu-healthy", LedgerState.Synced)).Count);
        Assert.Equal(25, h.Connector.Ledger("zulu-healthy").RecordsOf(RecordKind.Contact).Count);
    }

    [Fact]
    public async Task MaxConcurrentTenants_BoundsRunsAtOnce()
    {
        var contacts = new InMemorySource<ContactRecord>(RecordKind.Contact);
        var source = new CountingSource(contacts);
        await using var h = new SchedulerHarness(
            o =>
            {
                o.Every = TimeSpan.FromHours(1);
                o.Jitter = 0;
                o.FirstRunDelay = TimeSpan.FromMinutes(1);
                o.MaxConcurrentTenants = 2;
            },
            source: source,
            contacts: contacts);
        for (var i = 1; i <= 5; i++)
        {
            await h.AddTenantAsync($"tenant-{i}", contacts: 1);
        }

        await h.StartAsync();

        await h.AdvanceAsync(TimeSpan.FromMinutes(1));
        await source.WaitForReadersAsync(2);
        source.ReleaseOne();
        source.ReleaseOne();
        await source.WaitForReadersAsync(4);
        source.ReleaseOne();
        source.ReleaseOne();
        await source.WaitForReadersAsync(5);
        source.ReleaseOne();
        var runs = await h.NextRunsAsync(5);

        Assert.Equal(2, source.MaxAtOnce);
        Assert.All(runs, r => Assert.Equal(RunOutcome.Completed, r.Run!.Outcome));
    }

    [Fact]
    public async Task RunStillGoingAtTheNextCycle_IsNotStartedAgain_AndTheScheduleCarriesOn()
    {
        var contacts = new InMemorySource<ContactRecord>(RecordKind.Contact);
        var source = new BlockingSource(contacts, blockAfter: 1);
        await using var h = new SchedulerHarness(
            o =>
            {
                o.Every = TimeSpan.FromHours(1);
                o.Jitter = 0;
                o.FirstRunDelay = TimeSpan.FromMinutes(1);
            },
            source: source,
            contacts: contacts);
        await h.AddTenantAsync("zulu-healthy");
        await h.StartAsync();

        await h.AdvanceAsync(TimeSpan.FromMinutes(1));
        await source.Blocked.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await h.AdvanceAsync(TimeSpan.FromHours(1));
        var skip = await h.Signals.NextSkipAsync();
        source.Release();
        var slow = await h.NextRunAsync();
        await h.AdvanceAsync(TimeSpan.FromHours(1));
        var next = await h.NextRunAsync();

        Assert.Equal((SyncKit.Telemetry.SyncKitTelemetry.TenantReference("zulu-healthy"), "its previous scheduled run has not finished"), skip);
        Assert.Equal((Start.AddMinutes(1), RunOutcome.Completed), (slow.CalledAt, slow.Run!.Outcome));
        Assert.Equal((Start.AddMinutes(121), RunOutcome.Completed), (next.CalledAt, next.Run!.Outcome));
        Assert.Equal(2, h.Engine.All.Count);
    }

    [Fact]
    public async Task UnknownConnection_IsSynced_AndTenantFilterExcludesTenants()
    {
        await using var h = new SchedulerHarness(o =>
        {
            o.Every = TimeSpan.FromHours(1);
            o.Jitter = 0;
            o.FirstRunDelay = TimeSpan.FromMinutes(1);
            o.TenantFilter = t => t.TenantId != "acme-excluded";
        });
        await h.AddTenantAsync("acme-excluded");
        await h.AddTenantAsync("zulu-new", ConnectionState.Unknown);
        await h.StartAsync();

        await h.AdvanceAsync(TimeSpan.FromMinutes(1));
        var run = await h.NextRunAsync();
        await h.AdvanceAsync(TimeSpan.FromHours(1));
        await h.NextRunAsync();

        Assert.Equal(("zulu-new", RunOutcome.Completed), (run.TenantId, run.Run!.Outcome));
        Assert.DoesNotContain(h.Engine.All, r => r.TenantId == "acme-excluded");
    }

    [Fact]
    public async Task Kinds_AreTheOnesEachScheduledRunAsksFor()
    {
        await using var h = new SchedulerHarness(o =>
        {
            o.Every = TimeSpan.FromHours(1);
            o.FirstRunDelay = TimeSpan.Zero;
            o.Jitter = 0;
            o.Kinds.Add(RecordKind.Contact);
            o.RequestedBy = "nightly";
        });
        await h.AddTenantAsync("zulu-healthy");
        await h.StartAsync();

        var run = await h.NextRunAsync();

        Assert.Equal([RecordKind.Contact], run.Request.Kinds);
        Assert.Equal(("nightly", SyncTrigger.Scheduled), (run.Run!.RequestedBy, run.Run.Trigger));
    }

    [Fact]
    public async Task SchedulerAndEngineLogLines_NameATenantTheSameWay()
    {
        await using var h = new SchedulerHarness(o =>
        {
            o.Every = TimeSpan.FromHours(1);
            o.Jitter = 0;
            o.FirstRunDelay = TimeSpan.FromMinutes(1);
        });
        await h.AddTenantAsync("customer-42@example.com");
        await h.StartAsync();

        await h.AdvanceAsync(TimeSpan.FromMinutes(1));
        await h.NextRunAsync();

        var reference = SyncKit.Telemetry.SyncKitTelemetry.TenantReference("customer-42@example.com");
        var lines = h.Logs.GetSnapshot().Where(r => r.Message.Contains("tenant", StringComparison.OrdinalIgnoreCase)).ToArray();
        Assert.Contains(lines, r => r.Category == typeof(ScheduledSyncService).FullName && r.Message.Contains($"tenant {reference}", StringComparison.Ordinal));
        Assert.Contains(lines, r => r.Category != typeof(ScheduledSyncService).FullName && r.Message.Contains($"started for tenant {reference}", StringComparison.Ordinal));
        Assert.All(lines, r => Assert.DoesNotContain("customer-42@example.com", r.Message, StringComparison.Ordinal));
        Assert.Matches("^[0-9a-f]{12}$", reference);
    }
}
