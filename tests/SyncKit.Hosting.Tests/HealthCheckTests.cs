using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using SyncKit.Ledger;
using SyncKit.Records;
using SyncKit.Storage;

namespace SyncKit.Hosting.Tests;

public sealed class HealthCheckTests
{
    private static readonly DateTimeOffset Start = SchedulerHarness.Start;

    private static SchedulerHarness Harness(Action<SyncKitHealthCheckOptions>? configure = null) =>
        new(build: b => b.AddSyncKitHealthCheck(o =>
        {
            o.FailedRecordThreshold = 3;
            configure?.Invoke(o);
        }));

    private static async Task<HealthReportEntry> CheckAsync(SchedulerHarness h)
    {
        var report = await h.Host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        return Assert.Single(report.Entries, e => e.Key == SyncKitHostingExtensions.HealthCheckName).Value;
    }

    private static async Task AddFailedRecordsAsync(SchedulerHarness h, string tenantId, int count)
    {
        var entries = Enumerable.Range(1, count)
            .Select(i => new LedgerEntry { TenantId = tenantId, Kind = RecordKind.Invoice, SourceId = $"inv-{i}", State = LedgerState.Failed })
            .ToList();
        Assert.Empty(await h.LedgerStore.SaveAsync(entries));
    }

    [Fact]
    public async Task EveryTenantConnectedUnpausedAndUnderTheThreshold_IsHealthy()
    {
        await using var h = Harness();
        await h.AddTenantAsync("acme");
        await h.AddTenantAsync("bravo", ConnectionState.Unknown);
        await AddFailedRecordsAsync(h, "acme", 2);

        var result = await CheckAsync(h);

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Equal(["acme", "bravo"], result.Data.Keys.Order(StringComparer.Ordinal));
        var acme = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object>>(result.Data["acme"]);
        Assert.Equal(2, acme["failedRecords"]);
        Assert.Equal("Healthy", acme["status"]);
    }

    [Fact]
    public async Task PausedTenant_IsDegraded_AndTheDescriptionSaysUntilWhen()
    {
        await using var h = Harness();
        await h.AddTenantAsync("acme");
        await h.AddTenantAsync("bravo", pausedUntil: new DateTimeOffset(2026, 11, 24, 15, 0, 0, TimeSpan.Zero), name: "Bravo Ltd");

        var result = await CheckAsync(h);

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Equal("Bravo Ltd (bravo): Sync paused until 2026-11-24 15:00 UTC", result.Description);
        var bravo = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object>>(result.Data["bravo"]);
        Assert.Equal("Daily API limit reached", bravo["pauseReason"]);
    }

    [Fact]
    public async Task PauseThatHasEnded_IsHealthy()
    {
        await using var h = Harness();
        await h.AddTenantAsync("bravo", pausedUntil: Start.AddHours(1));
        await h.AdvanceAsync(TimeSpan.FromHours(1));

        var result = await CheckAsync(h);

        Assert.Equal(HealthStatus.Healthy, result.Status);
    }

    [Fact]
    public async Task FailuresAtTheThreshold_AreDegraded()
    {
        await using var h = Harness();
        await h.AddTenantAsync("acme");
        await AddFailedRecordsAsync(h, "acme", 3);

        var result = await CheckAsync(h);

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Equal("acme: 3 failed records (threshold 3)", result.Description);
    }

    [Fact]
    public async Task DisconnectedTenant_IsUnhealthy_AndNamedFirst()
    {
        await using var h = Harness();
        await h.AddTenantAsync("acme", pausedUntil: Start.AddHours(2));
        await h.AddTenantAsync("bravo", ConnectionState.Disconnected);
        await h.AddTenantAsync("charlie");

        var result = await CheckAsync(h);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.StartsWith("bravo: Disconnected: reconnect Xero", result.Description, StringComparison.Ordinal);
        Assert.Contains("acme: Sync paused until 2026-11-24 11:00 UTC", result.Description, StringComparison.Ordinal);
        var bravo = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object>>(result.Data["bravo"]);
        Assert.Equal("Disconnected", bravo["connection"]);
        Assert.Equal("invalid_grant", bravo["connectionMessage"]);
        Assert.Equal("Unhealthy", bravo["status"]);
    }

    [Fact]
    public async Task ManyProblemTenants_TheDescriptionIsCut_ButDataHasEveryTenant()
    {
        await using var h = Harness(o => o.MaxTenantsInDescription = 2);
        for (var i = 1; i <= 4; i++)
        {
            await h.AddTenantAsync($"tenant-{i}", ConnectionState.Disconnected);
        }

        var result = await CheckAsync(h);

        Assert.EndsWith("and 2 more tenants with problems.", result.Description, StringComparison.Ordinal);
        Assert.Equal(4, result.Data.Count);
    }

    [Fact]
    public async Task NoTenants_IsHealthy()
    {
        await using var h = Harness();

        var result = await CheckAsync(h);

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Equal("No SyncKit tenants yet.", result.Description);
    }

    [Fact]
    public async Task AddedTwice_RegistersOneCheck()
    {
        await using var h = new SchedulerHarness(build: b => b.AddSyncKitHealthCheck().AddSyncKitHealthCheck());

        var registrations = h.Host.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations;

        Assert.Single(registrations, r => r.Name == SyncKitHostingExtensions.HealthCheckName);
    }

    [Fact]
    public async Task InvalidThreshold_FailsAtStart_NamingTheOption()
    {
        await using var h = Harness(o => o.FailedRecordThreshold = 0);

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => h.Host.StartAsync());

        Assert.Contains("SyncKitHealthCheckOptions.FailedRecordThreshold", ex.Message, StringComparison.Ordinal);
    }
}
