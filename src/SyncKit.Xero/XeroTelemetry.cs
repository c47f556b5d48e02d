using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SyncKit.Xero;

/// <summary>The connector's activity source and meter name (<c>SyncKit</c>). Tags never carry tokens or personal data.</summary>
internal static class XeroTelemetry
{
    public const string Name = "SyncKit";

    public static readonly ActivitySource ActivitySource = new(Name);
}

/// <summary>
/// The connector's instruments on the <c>SyncKit</c> meter, made by the host's <see cref="IMeterFactory"/> when the
/// container has one (so a host's or a test's meter listener sees only its own container), else on a meter of their own.
/// </summary>
internal sealed class XeroMetrics
{
    /// <summary>For a client or usage made without a container.</summary>
    public static readonly XeroMetrics Shared = new(null);

    public XeroMetrics(IMeterFactory? meterFactory)
    {
        var meter = meterFactory?.Create(XeroTelemetry.Name) ?? new Meter(XeroTelemetry.Name);
        Requests = meter.CreateCounter<long>("synckit.xero.requests", description: "Calls made to Xero.");
        RateLimited = meter.CreateCounter<long>("synckit.xero.rate_limited", description: "429 answers from Xero.");
        EgressBytes = meter.CreateCounter<long>("synckit.xero.egress", unit: "By", description: "Bytes received from Xero (response bodies): Xero bills egress beyond the tier's monthly allowance.");
        Duration = meter.CreateHistogram<double>("synckit.xero.request.duration", unit: "s", description: "Duration of calls to Xero.");
    }

    public Counter<long> Requests { get; }

    public Counter<long> RateLimited { get; }

    public Counter<long> EgressBytes { get; }

    public Histogram<double> Duration { get; }
}
