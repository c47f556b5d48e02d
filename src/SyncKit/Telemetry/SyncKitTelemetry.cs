using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SyncKit.Telemetry;

/// <summary>The names of SyncKit's meter and activity source, for hosts that export them.</summary>
public static class SyncKitTelemetry
{
    /// <summary>The name of the <see cref="Meter"/> and <see cref="ActivitySource"/>: <c>SyncKit</c>.</summary>
    public const string Name = "SyncKit";

    internal static readonly ActivitySource ActivitySource = new(Name);

    /// <summary>How every SyncKit log line, metric tag and trace names a tenant: a short, stable hash of its id.</summary>
    /// <param name="tenantId">The SyncKit tenant id.</param>
    /// <returns>The first 12 hex digits of the SHA-256 of the id, for example <c>3f2a9c81d0b4</c>.</returns>
    /// <remarks>
    /// Engine, connector and scheduler lines all carry this one reference, so support can follow a tenant across them;
    /// call this with a customer's tenant id to find their lines. Tenant ids are not logged, as a host may use
    /// personal or customer data as an id.
    /// </remarks>
    public static string TenantReference(string tenantId)
    {
        ArgumentNullException.ThrowIfNull(tenantId);
        return Ledger.ContentHasher.Hash(tenantId)[..12];
    }

    /// <summary>The logging scope of a run: the tenant's reference always, its id only when the host allows it.</summary>
    internal static IDisposable? BeginTenantScope(Microsoft.Extensions.Logging.ILogger logger, string tenantId, bool includeTenantId) =>
        logger.BeginScope(includeTenantId
            ? new Dictionary<string, object> { ["SyncKitTenant"] = TenantReference(tenantId), ["SyncKitTenantId"] = tenantId }
            : new Dictionary<string, object> { ["SyncKitTenant"] = TenantReference(tenantId) });
}

/// <summary>SyncKit's instruments. Tags carry kind, tenant hash and error category; never tokens or personal data.</summary>
internal sealed class SyncMetrics
{
    // Hosts built on the generic host have a meter factory; others get a plain meter of the same name.
    public SyncMetrics(IMeterFactory? meterFactory)
    {
        var meter = meterFactory?.Create(SyncKitTelemetry.Name) ?? new Meter(SyncKitTelemetry.Name);
        RecordsSynced = meter.CreateCounter<long>("synckit.records.synced", "{record}", "Records the ledger now holds.");
        RecordsFailed = meter.CreateCounter<long>("synckit.records.failed", "{record}", "Records that failed, by error category.");
        Calls = meter.CreateCounter<long>("synckit.ledger.calls", "{call}", "Pushes made to the ledger.");
        BatchDuration = meter.CreateHistogram<double>("synckit.batch.duration", "s", "Time a push took.");
        RunDuration = meter.CreateHistogram<double>("synckit.run.duration", "s", "Time a run took.");
    }

    public Counter<long> RecordsSynced { get; }

    public Counter<long> RecordsFailed { get; }

    public Counter<long> Calls { get; }

    public Histogram<double> BatchDuration { get; }

    public Histogram<double> RunDuration { get; }

    /// <summary>A short stable hash of a tenant id, so telemetry can group by tenant without naming it.</summary>
    public static string TenantTag(string tenantId) => SyncKitTelemetry.TenantReference(tenantId);
}
