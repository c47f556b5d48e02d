using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using SyncKit.Telemetry;

namespace SyncKit.Tests.Engine;

public sealed class TelemetryTests
{
    [Fact]
    public async Task Run_CountsSyncedAndFailedRecords_OnTheSyncKitMeter_TaggedByKindAndCategory()
    {
        await using var harness = new EngineHarness(build: b => b.Services.AddMetrics());
        await harness.LoadDemoAsync(customers: 5, invoices: 20);
        var factory = harness.Services.GetRequiredService<IMeterFactory>();
        using var synced = new MetricCollector<long>(factory, SyncKitTelemetry.Name, "synckit.records.synced");
        using var failed = new MetricCollector<long>(factory, SyncKitTelemetry.Name, "synckit.records.failed");

        var run = await harness.SyncAllAsync();

        Assert.Equal(run.Counts.Synced, synced.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Contains(failed.GetMeasurementSnapshot(), m => (string?)m.Tags["category"] == "LockDates");
    }

    [Fact]
    public async Task Run_LogsStartAndEnd_WithoutTheTenantIdOrAnyPayload()
    {
        var logs = new FakeLogCollector();
        await using var harness = new EngineHarness(build: b => b.Services.AddLogging(l => l.AddProvider(new FakeLoggerProvider(logs))));
        var demo = await harness.LoadDemoAsync(customers: 5, invoices: 20);

        await harness.SyncAllAsync();

        var records = logs.GetSnapshot();
        Assert.Contains(records, r => r.Id.Id == 1 && r.Level == LogLevel.Information);
        Assert.Contains(records, r => r.Id.Id == 2);
        Assert.DoesNotContain(records, r => r.Message.Contains(EngineHarness.Tenant, StringComparison.Ordinal));
        Assert.DoesNotContain(records, r => r.Message.Contains(demo.Contacts[0].Name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunLines_CarryTheTenantReferenceInTheirScope_AndNotTheTenantId_ByDefault()
    {
        var logs = new FakeLogCollector();
        await using var harness = new EngineHarness(build: b => b.Services.AddLogging(l => l.AddProvider(new FakeLoggerProvider(logs))));
        await harness.LoadDemoAsync(customers: 5, invoices: 20);

        await harness.SyncAllAsync();

        var started = logs.GetSnapshot().First(r => r.Id.Id == 1);
        var scope = ScopeValues(started);
        Assert.Equal(SyncKitTelemetry.TenantReference(EngineHarness.Tenant), scope["SyncKitTenant"]);
        Assert.False(scope.ContainsKey("SyncKitTenantId"));
    }

    [Fact]
    public async Task RunLines_CarryTheTenantIdInTheirScope_WhenTheHostAllowsIt()
    {
        var logs = new FakeLogCollector();
        await using var harness = new EngineHarness(o => o.LogTenantIds = true, b => b.Services.AddLogging(l => l.AddProvider(new FakeLoggerProvider(logs))));
        await harness.LoadDemoAsync(customers: 5, invoices: 20);

        await harness.SyncAllAsync();

        var scope = ScopeValues(logs.GetSnapshot().First(r => r.Id.Id == 2));
        Assert.Equal(EngineHarness.Tenant, scope["SyncKitTenantId"]);
        Assert.Equal(SyncKitTelemetry.TenantReference(EngineHarness.Tenant), scope["SyncKitTenant"]);
    }

    private static Dictionary<string, object?> ScopeValues(FakeLogRecord record) =>
        record.Scopes.OfType<IEnumerable<KeyValuePair<string, object>>>().SelectMany(s => s).ToDictionary(p => p.Key, p => (object?)p.Value);
}
