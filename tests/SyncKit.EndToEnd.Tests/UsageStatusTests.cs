using Microsoft.Extensions.DependencyInjection;
using SyncKit.Runs;
using SyncKit.Testing.Emulator;

namespace SyncKit.EndToEnd.Tests;

/// <summary>The tenant's status reports the day's call budget and the month's egress, and a restart forgets neither.</summary>
public sealed class UsageStatusTests
{
    [Fact]
    public async Task Status_CarriesTheDaysCallBudget_CountedDownByEveryCallXeroAnswered()
    {
        await using var h = await XeroHarness.CreateAsync();
        Data.Load(h, customers: 3, invoices: 20, items: 0, paymentEvery: 4);

        await h.SyncAsync();
        var budget = (await h.Engine.GetStatusAsync(h.TenantId)).CallBudget;

        Assert.NotNull(budget);
        Assert.Equal(5_000, budget.DailyLimit);
        Assert.Equal(500, budget.Reserve);
        Assert.Equal(5_000 - h.ApiCalls, budget.Remaining);
        Assert.Equal(XeroHarness.Start.AddDays(1), budget.ResetsAt);
    }

    [Fact]
    public async Task Status_BeforeAnyCall_HasTheWholeBudget_AndNoEgress()
    {
        await using var h = await XeroHarness.CreateAsync();

        var status = await h.Engine.GetStatusAsync(h.TenantId);

        Assert.Equal((5_000, 5_000, (DateTimeOffset?)null), (status.CallBudget!.DailyLimit, status.CallBudget.Remaining, status.CallBudget.ResetsAt));
        Assert.Equal(0, status.Egress!.Bytes);
        Assert.Empty(status.Egress.BytesByEndpoint);
    }

    [Fact]
    public async Task ARestartedHost_KeepsTheDaysBudgetAndTheMonthsEgress_FromTheStore()
    {
        var path = Path.Combine(Path.GetTempPath(), $"synckit-usage-{Guid.NewGuid():N}.db");
        try
        {
            await using var h = await XeroHarness.CreateAsync(configure: b => b.UseSqliteStorage(path));
            Data.Load(h, customers: 3, invoices: 20, items: 0, paymentEvery: 4);
            await h.SyncAsync();
            var before = await h.Engine.GetStatusAsync(h.TenantId);

            await h.RestartAsync();
            var after = await h.Engine.GetStatusAsync(h.TenantId);

            Assert.Equal(5_000 - h.ApiCalls, after.CallBudget!.Remaining);
            Assert.Equal(before.CallBudget!.ResetsAt, after.CallBudget.ResetsAt);
            Assert.Equal(Assert.Single(h.Emulator.GetStats().Egress).Bytes, after.Egress!.Bytes);
            Assert.Equal(before.Egress!.BytesByEndpoint.OrderBy(e => e.Key), after.Egress.BytesByEndpoint.OrderBy(e => e.Key));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(path);
        }
    }

    [Fact]
    public async Task ARestartedHost_WhoseBudgetWasSpent_StillStopsBackgroundWork_UntilTheReset()
    {
        var path = Path.Combine(Path.GetTempPath(), $"synckit-usage-{Guid.NewGuid():N}.db");
        try
        {
            await using var h = await XeroHarness.CreateAsync(
                tenant: new EmulatorTenantOptions { Name = "Restart Pty Ltd", DayLimit = 12 },
                xero: o => (o.DailyCallLimit, o.DailyCallReserve) = (12, 2),
                configure: b => b.UseSqliteStorage(path));
            Data.Load(h, customers: 3, invoices: 600, items: 0, paymentEvery: 0);
            var first = await h.DriveAsync(() => h.Engine.SyncAsync(new SyncRequest { TenantId = h.TenantId, Trigger = SyncTrigger.Scheduled }));
            Assert.Equal(RunOutcome.Paused, first.Outcome);
            var calls = h.ApiCalls;
            await h.Engine.ResumeAsync(h.TenantId);

            await h.RestartAsync();
            var again = await h.DriveAsync(() => h.Engine.SyncAsync(new SyncRequest { TenantId = h.TenantId, Trigger = SyncTrigger.Scheduled }));

            // Without the saved window the new process would believe the whole day was left and spend the reserve too.
            Assert.Equal(RunOutcome.Paused, again.Outcome);
            Assert.Equal(calls, h.ApiCalls);
            Assert.Equal(2, (await h.Engine.GetStatusAsync(h.TenantId)).CallBudget!.Remaining);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(path);
        }
    }
}
