using Microsoft.Extensions.DependencyInjection;
using SyncKit.Ledger;
using SyncKit.Records;
using SyncKit.Runs;
using SyncKit.Testing.Emulator;
using SyncKit.Xero;
using Xunit.Abstractions;

namespace SyncKit.EndToEnd.Tests;

/// <summary>Xero's daily call limit spent proactively: a free-tier (Starter) tenant with far more to send than a day allows.</summary>
public sealed class DailyBudgetTests
{
    private readonly ITestOutputHelper _output;

    public DailyBudgetTests(ITestOutputHelper output) => _output = output;

    /// <summary>A Starter (free-tier) host and tenant; <paramref name="dayLimit"/> below 1,000 scales the day down with the work.</summary>
    private static async Task<XeroHarness> StarterAsync(int invoices, int? dayLimit = null)
    {
        var h = await XeroHarness.CreateAsync(
            tenant: new EmulatorTenantOptions { Name = "Free Tier Pty Ltd", DayLimit = dayLimit },
            app: new EmulatorAppOptions { Name = "Free ISV", CreatedOn = new DateOnly(2026, 6, 1), Tier = EmulatorTier.Starter },
            xero: o =>
            {
                o.Tier = XeroTier.Starter;
                o.DailyCallLimit = dayLimit;

                // A user's re-sync may need the reference data again (five reads) before its one write.
                o.DailyCallReserve = dayLimit is null ? null : 10;
            });
        Data.Load(h, customers: 100, invoices: invoices, items: 0, paymentEvery: 0);
        var redirect = await h.ConsentRedirectAsync();
        await h.Services.GetRequiredService<XeroAuthorization>().ConnectAsync(h.TenantId, redirect["code"]!);
        return h;
    }

    private static Task<SyncRun> ScheduledAsync(XeroHarness h) =>
        h.DriveAsync(() => h.Engine.SyncAsync(new SyncRequest { TenantId = h.TenantId, Trigger = SyncTrigger.Scheduled }));

    /// <summary>The scenario at full size (1,000 calls a day, 60,000 invoices): minutes of CPU, so run on demand.</summary>
    [VolumeFact]
    public Task FreeTierTenant_With60000Invoices_NeverMeetsADay429_PausesWhenTheBudgetIsSpent_AndFinishesOnLaterDays() =>
        SpendsTheBudgetDayByDayAsync(invoices: 60_000, dayLimit: null);

    /// <summary>The same scenario scaled down twentyfold (50 calls a day, 3,000 invoices), for every test run.</summary>
    [Fact]
    public Task FreeTierTenant_WithMoreInvoicesThanADayAllows_NeverMeetsADay429_PausesWhenTheBudgetIsSpent_AndFinishesOnLaterDays() =>
        SpendsTheBudgetDayByDayAsync(invoices: 3_000, dayLimit: 50);

    private async Task SpendsTheBudgetDayByDayAsync(int invoices, int? dayLimit)
    {
        await using var h = await StarterAsync(invoices, dayLimit);
        var days = new List<string>();
        var callsBefore = 0;
        long egressBefore = 0;
        SyncRun run;
        var day = 0;
        do
        {
            day++;
            run = await ScheduledAsync(h);
            var calls = h.ApiCalls;
            var egress = h.Emulator.GetStats().Egress.Sum(e => e.Bytes);
            days.Add($"day {day}: {run.Outcome}, {calls - callsBefore} calls, {egress - egressBefore:N0} bytes egress, {run.Counts.Synced} synced; {run.Message}");
            callsBefore = calls;
            egressBefore = egress;
            Assert.Equal(0, h.Emulator.GetStats().RateLimited.GetValueOrDefault("day"));
            if (run.Outcome == RunOutcome.Paused)
            {
                Assert.StartsWith("Sync paused until ", run.Message, StringComparison.Ordinal);
                Assert.NotNull(run.PausedUntil);
                var budget = (await h.Engine.GetStatusAsync(h.TenantId)).CallBudget;
                Assert.NotNull(budget);
                Assert.True(budget.Remaining <= budget.Reserve);
                h.Time.Advance(run.PausedUntil!.Value - h.Time.GetUtcNow() + TimeSpan.FromMinutes(1));
            }
        }
        while (run.Outcome == RunOutcome.Paused && day < 10);

        foreach (var line in days)
        {
            _output.WriteLine(line);
        }

        Assert.Equal(RunOutcome.Completed, run.Outcome);
        Assert.True(day > 1, "The work took more than one day's budget.");
        Assert.Equal(invoices, (await h.AllEntriesAsync(LedgerState.Synced)).Count(e => e.Kind == RecordKind.Invoice));
    }

    [Fact]
    public async Task EgressCountedBySyncKit_IsWhatXeroCountsForTheTenant_PerEndpoint_InTheTenantsStatus()
    {
        await using var h = await XeroHarness.CreateAsync();
        Data.Load(h, customers: 5, invoices: 120, items: 0, paymentEvery: 3);

        await h.SyncAsync();
        var egress = (await h.Engine.GetStatusAsync(h.TenantId)).Egress;
        var xero = Assert.Single(h.Emulator.GetStats().Egress);

        Assert.NotNull(egress);
        Assert.Equal(xero.Bytes, egress.Bytes);
        Assert.Equal(xero.ByEndpoint.OrderBy(e => e.Key), egress.BytesByEndpoint.OrderBy(e => e.Key));
        Assert.Equal("2026-11", egress.Month);
    }

    [Fact]
    public async Task WhenBackgroundSyncHasSpentTheDay_TheReserveLetsAUsersResyncThrough()
    {
        await using var h = await StarterAsync(invoices: 3_000, dayLimit: 50);
        var paused = await ScheduledAsync(h);
        Assert.Equal(RunOutcome.Paused, paused.Outcome);
        var waiting = (await h.AllEntriesAsync(LedgerState.Pending)).First(e => e.Kind == RecordKind.Invoice);

        var resync = await h.DriveAsync(() => h.Engine.RetryAsync(new RetryRequest { TenantId = h.TenantId, Key = waiting.Key, RequestedBy = "a user" }));

        Assert.True(resync.Outcome == RunOutcome.Completed, $"{resync.Outcome}: {resync.Message}");
        Assert.Equal(LedgerState.Synced, (await h.RequiredEntryAsync(RecordKind.Invoice, waiting.SourceId)).State);
        Assert.Equal(0, h.Emulator.GetStats().RateLimited.GetValueOrDefault("day"));
        var scheduled = await ScheduledAsync(h);
        Assert.Equal(RunOutcome.Paused, scheduled.Outcome);
    }
}

/// <summary>A fact that runs only when <c>SYNCKIT_VOLUME=1</c>: full-size scenarios that take minutes.</summary>
internal sealed class VolumeFactAttribute : FactAttribute
{
    public VolumeFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("SYNCKIT_VOLUME") != "1")
        {
            Skip = "Full-size volume scenario: set SYNCKIT_VOLUME=1 to run it.";
        }
    }
}
