using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SyncKit.Xero;

/// <summary>The connector's instruments, on the <c>SyncKit</c> meter and activity source. Tags never carry tokens or personal data.</summary>
internal static class XeroTelemetry
{
    public const string Name = "SyncKit";

    public static readonly ActivitySource ActivitySource = new(Name);

    private static readonly Meter s_meter = new(Name);

    public static readonly Counter<long> Requests = s_meter.CreateCounter<long>("synckit.xero.requests", description: "Calls made to Xero.");

    public static readonly Counter<long> RateLimited = s_meter.CreateCounter<long>("synckit.xero.rate_limited", description: "429 answers from Xero.");

    public static readonly Counter<long> EgressBytes = s_meter.CreateCounter<long>("synckit.xero.egress", unit: "By", description: "Bytes received from Xero (response bodies): Xero bills egress beyond the tier's monthly allowance.");

    public static readonly Histogram<double> Duration = s_meter.CreateHistogram<double>("synckit.xero.request.duration", unit: "s", description: "Duration of calls to Xero.");
}
