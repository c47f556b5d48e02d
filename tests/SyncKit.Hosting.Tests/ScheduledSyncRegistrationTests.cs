using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace SyncKit.Hosting.Tests;

public sealed class ScheduledSyncRegistrationTests
{
    [Theory]
    [InlineData("Every", "ScheduledSyncOptions.Every")]
    [InlineData("Jitter", "ScheduledSyncOptions.Jitter")]
    [InlineData("MaxConcurrentTenants", "ScheduledSyncOptions.MaxConcurrentTenants")]
    [InlineData("FirstRunDelay", "ScheduledSyncOptions.FirstRunDelay")]
    [InlineData("RequestedBy", "ScheduledSyncOptions.RequestedBy")]
    [InlineData("ClaimDuration", "ScheduledSyncOptions.ClaimDuration")]
    [InlineData("PollInterval", "ScheduledSyncOptions.PollInterval")]
    [InlineData("NodeId", "ScheduledSyncOptions.NodeId")]
    public async Task InvalidOption_FailsAtStart_NamingTheOption(string option, string expected)
    {
        await using var h = new SchedulerHarness(o =>
        {
            switch (option)
            {
                case "Every": o.Every = TimeSpan.Zero; break;
                case "Jitter": o.Jitter = 0.6; break;
                case "MaxConcurrentTenants": o.MaxConcurrentTenants = 0; break;
                case "FirstRunDelay": o.FirstRunDelay = TimeSpan.FromMinutes(-1); break;
                case "RequestedBy": o.RequestedBy = " "; break;
                case "ClaimDuration": o.ClaimDuration = TimeSpan.Zero; break;
                case "PollInterval": o.PollInterval = TimeSpan.FromDays(31); break;
                case "NodeId": o.NodeId = " "; break;
            }
        });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => h.Host.StartAsync());

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddScheduledSyncTwice_RegistersOneScheduler_WithTheLastPeriod()
    {
        await using var h = new SchedulerHarness(
            o => o.Every = TimeSpan.FromHours(1),
            build: b => b.AddScheduledSync(TimeSpan.FromHours(6)));

        var schedulers = h.Host.Services.GetServices<IHostedService>().OfType<ScheduledSyncService>();

        Assert.Single(schedulers);
        Assert.Equal(TimeSpan.FromHours(6), h.Host.Services.GetRequiredService<IOptions<ScheduledSyncOptions>>().Value.Every);
    }

    [Fact]
    public void Defaults_AreEveryThreeHours_TenPercentJitter_FourAtOnce_ByTheScheduler()
    {
        var options = new ScheduledSyncOptions();

        Assert.Equal(TimeSpan.FromHours(3), options.Every);
        Assert.Equal(0.1, options.Jitter);
        Assert.Equal(4, options.MaxConcurrentTenants);
        Assert.Equal("scheduler", options.RequestedBy);
        Assert.Empty(options.Kinds);
    }

    [Fact]
    public void Offset_IsStablePerTenant_AndInsideTheJitterWindow()
    {
        var every = TimeSpan.FromHours(3);
        var offsets = Enumerable.Range(0, 200).Select(i => TenantSchedule.Offset($"tenant-{i}", every, 0.1)).ToList();

        Assert.Equal(offsets, Enumerable.Range(0, 200).Select(i => TenantSchedule.Offset($"tenant-{i}", every, 0.1)));
        Assert.All(offsets, o => Assert.InRange(o, TimeSpan.Zero, TimeSpan.FromMinutes(18) - TimeSpan.FromTicks(1)));
        Assert.True(offsets.Distinct().Count() > 190);
        Assert.Equal(TimeSpan.Zero, TenantSchedule.Offset("tenant-1", every, 0));
    }

    [Fact]
    public void NextDue_IsTheNextSlotStillAhead_SkippingSlotsThatPassed()
    {
        var start = SchedulerHarness.Start;
        var every = TimeSpan.FromHours(1);

        Assert.Equal(start.AddHours(1), TenantSchedule.NextDue(start, every, start.AddMinutes(59), out var none));
        Assert.Equal(0, none);
        Assert.Equal(start.AddHours(5), TenantSchedule.NextDue(start, every, start.AddHours(4).AddMinutes(10), out var skipped));
        Assert.Equal(4, skipped);
        Assert.Equal(start.AddHours(2), TenantSchedule.NextDue(start, every, start.AddHours(1), out var exactly));
        Assert.Equal(1, exactly);
    }

    [Fact]
    public void FirstDue_IsTheTenantsSlot_OrNowWhenTheSlotHasPassed()
    {
        var start = SchedulerHarness.Start;
        var offset = TimeSpan.FromMinutes(10);

        Assert.Equal(start.AddMinutes(10), TenantSchedule.FirstDue(start, offset, start));
        Assert.Equal(start.AddMinutes(10), TenantSchedule.FirstDue(start, offset, start.AddMinutes(10)));
        Assert.Equal(start.AddHours(2).AddMinutes(11), TenantSchedule.FirstDue(start, offset, start.AddHours(2).AddMinutes(11)));
    }
}
