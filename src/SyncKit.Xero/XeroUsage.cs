using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Options;
using SyncKit.Xero.RateLimits;

namespace SyncKit.Xero;

/// <summary>What a tenant has spent of Xero's limits: the day's call budget and this month's egress.</summary>
/// <remarks>
/// Resolve it from DI after <c>AddXeroConnector</c> and show <see cref="GetTenantUsage"/> beside the tenant's sync status.
/// Counts are kept in memory by this process (each node of a cluster counts its own calls); Xero's
/// <c>X-DayLimit-Remaining</c> corrects the day's budget on every answer.
/// </remarks>
public sealed class XeroUsage
{
    private readonly XeroRateGovernor _governor;
    private readonly XeroOptions _options;
    private readonly TimeProvider _time;

    // Bytes received per (Xero tenant, month "yyyy-MM"), per endpoint ("GET Invoices").
    private readonly ConcurrentDictionary<(string Tenant, string Month), ConcurrentDictionary<string, long>> _egress = new();

    internal XeroUsage(XeroRateGovernor governor, IOptions<XeroOptions> options, TimeProvider timeProvider)
    {
        _governor = governor;
        _options = options.Value;
        _time = timeProvider;
    }

    /// <summary>The tenant's usage now.</summary>
    /// <param name="tenantId">The SyncKit tenant.</param>
    /// <returns>The day's budget and the month's egress.</returns>
    public XeroTenantUsage GetTenantUsage(string tenantId)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        var key = XeroTenantKey(tenantId);
        var (limit, reserve, remaining, resetsAt) = _governor.DayBudgetOf(key);
        var month = Month(_time.GetUtcNow());
        var byEndpoint = _egress.TryGetValue((key, month), out var counts)
            ? counts.OrderBy(c => c.Key, StringComparer.Ordinal).ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal)
            : new Dictionary<string, long>(StringComparer.Ordinal);
        return new XeroTenantUsage
        {
            DailyCallLimit = limit,
            DailyCallReserve = reserve,
            DailyCallsRemaining = remaining,
            DayResetsAt = resetsAt,
            Month = month,
            EgressBytes = byEndpoint.Values.Sum(),
            EgressBytesByEndpoint = byEndpoint,
            MonthlyEgressAllowanceBytes = _options.EffectiveMonthlyEgressAllowanceBytes,
        };
    }

    /// <summary>Counts the bytes of one answer (a meter, and this month's total for the tenant).</summary>
    internal void RecordEgress(string xeroTenantId, string endpoint, long bytes)
    {
        // Xero is reported not to bill the Organisation endpoint: leave it out, so the figure is the billed one.
        if (bytes <= 0 || endpoint.EndsWith(" Organisation", StringComparison.Ordinal))
        {
            return;
        }

        var counts = _egress.GetOrAdd((xeroTenantId, Month(_time.GetUtcNow())), static _ => new ConcurrentDictionary<string, long>(StringComparer.Ordinal));
        counts.AddOrUpdate(endpoint, bytes, (_, total) => total + bytes);
        XeroTelemetry.EgressBytes.Add(bytes, new KeyValuePair<string, object?>("synckit.xero.endpoint", endpoint));
    }

    private string XeroTenantKey(string tenantId) => _options.XeroTenantIdForTenant?.Invoke(tenantId) ?? tenantId;

    private static string Month(DateTimeOffset now) => now.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);
}

/// <summary>A tenant's use of Xero's limits.</summary>
public sealed record XeroTenantUsage
{
    /// <summary>Calls a day Xero allows this organisation (from options or the tier).</summary>
    public required int DailyCallLimit { get; init; }

    /// <summary>Calls kept for work a user starts; background sync stops when only these are left.</summary>
    public required int DailyCallReserve { get; init; }

    /// <summary>Calls left today (Xero's <c>X-DayLimit-Remaining</c>, counted down since).</summary>
    public required int DailyCallsRemaining { get; init; }

    /// <summary>When the day's budget is expected to be whole again, or null before today's first call.</summary>
    public DateTimeOffset? DayResetsAt { get; init; }

    /// <summary>The month the egress figures are for (<c>yyyy-MM</c>, UTC).</summary>
    public required string Month { get; init; }

    /// <summary>Bytes received from Xero this month for this tenant (response bodies, write echoes included).</summary>
    public required long EgressBytes { get; init; }

    /// <summary>The same, per endpoint (<c>"GET Invoices"</c>).</summary>
    public required IReadOnlyDictionary<string, long> EgressBytesByEndpoint { get; init; }

    /// <summary>The app's monthly allowance across all tenants, when known from options or the tier.</summary>
    public long? MonthlyEgressAllowanceBytes { get; init; }
}
