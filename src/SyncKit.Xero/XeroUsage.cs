using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Options;
using SyncKit.Storage;
using SyncKit.Xero.RateLimits;

namespace SyncKit.Xero;

/// <summary>What a tenant has spent of Xero's limits: the day's call budget and this month's egress.</summary>
/// <remarks>
/// The engine's <see cref="ISyncEngine.GetStatusAsync"/> carries the same figures (<see cref="SyncStatus.CallBudget"/>,
/// <see cref="SyncStatus.Egress"/>). Counts are aggregated in memory and written to the store's <see cref="UsageStore"/>
/// about once a minute (never a row per call), so a restart keeps the day's budget and the month's egress; Xero's
/// <c>X-DayLimit-Remaining</c> corrects the day's budget on every answer, also for calls another node made.
/// </remarks>
public sealed class XeroUsage : IAsyncDisposable, IDisposable
{
    /// <summary>How often counts are written to the store while calls are made.</summary>
    internal static readonly TimeSpan FlushInterval = TimeSpan.FromMinutes(1);

    private readonly XeroRateGovernor _governor;
    private readonly XeroOptions _options;
    private readonly TimeProvider _time;
    private readonly UsageStore _store;
    private readonly XeroMetrics _metrics;

    // Bytes received and not yet written, per (Xero tenant, month "yyyy-MM", endpoint "GET Invoices").
    private readonly ConcurrentDictionary<(string Tenant, string Month, string Endpoint), long> _pending = new();
    private readonly SemaphoreSlim _flushGate = new(1, 1);
    private long _lastFlushTicks = long.MinValue;

    internal XeroUsage(XeroRateGovernor governor, IOptions<XeroOptions> options, TimeProvider timeProvider, UsageStore? store = null, XeroMetrics? metrics = null)
    {
        _governor = governor;
        _options = options.Value;
        _time = timeProvider;
        _metrics = metrics ?? XeroMetrics.Shared;

        // Without a registered store (a host's own storage without one) the counts live as long as the process.
        _store = store ?? new SyncKit.Storage.InMemory.InMemoryUsageStore();
    }

    /// <summary>The tenant's usage now: what is stored plus what this process counted since its last write.</summary>
    /// <param name="tenantId">The SyncKit tenant.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The day's budget and the month's egress.</returns>
    public async Task<XeroTenantUsage> GetTenantUsageAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        var key = XeroTenantKey(tenantId);
        await _governor.RestoreDayAsync(key, cancellationToken).ConfigureAwait(false);
        var (limit, reserve, remaining, resetsAt) = _governor.DayBudgetOf(key);
        var month = Month(_time.GetUtcNow());
        var byEndpoint = new SortedDictionary<string, long>(StringComparer.Ordinal);

        // Under the flush gate: a count is either still pending or already stored, never both or neither.
        await _flushGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var counter in await _store.GetEgressAsync(key, month, cancellationToken).ConfigureAwait(false))
            {
                byEndpoint[counter.Endpoint] = counter.Bytes;
            }

            foreach (var ((tenant, pendingMonth, endpoint), bytes) in _pending)
            {
                if (tenant == key && pendingMonth == month)
                {
                    byEndpoint[endpoint] = byEndpoint.GetValueOrDefault(endpoint) + bytes;
                }
            }
        }
        finally
        {
            _flushGate.Release();
        }

        return new XeroTenantUsage
        {
            DailyCallLimit = limit,
            DailyCallReserve = reserve,
            DailyCallsRemaining = remaining,
            DayResetsAt = resetsAt,
            Month = month,
            EgressBytes = byEndpoint.Values.Sum(),
            EgressBytesByEndpoint = new Dictionary<string, long>(byEndpoint, StringComparer.Ordinal),
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

        _pending.AddOrUpdate((xeroTenantId, Month(_time.GetUtcNow()), endpoint), bytes, (_, total) => total + bytes);
        _metrics.EgressBytes.Add(bytes, new KeyValuePair<string, object?>("synckit.xero.endpoint", endpoint));
    }

    /// <summary>Writes the counts when the last write is a <see cref="FlushInterval"/> old (after a call).</summary>
    internal ValueTask FlushIfDueAsync(CancellationToken cancellationToken)
    {
        var last = Interlocked.Read(ref _lastFlushTicks);
        return last != long.MinValue && _time.GetUtcNow().UtcTicks - last < FlushInterval.Ticks
            ? ValueTask.CompletedTask
            : new ValueTask(FlushAsync(cancellationToken));
    }

    /// <summary>Writes what was counted since the last write: egress increments and the day windows that changed.</summary>
    /// <remarks>A failed write keeps the counts for the next one; a call to Xero never fails for it.</remarks>
    internal async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _flushGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Interlocked.Exchange(ref _lastFlushTicks, _time.GetUtcNow().UtcTicks);
            var increments = new List<EgressCounter>();
            foreach (var key in _pending.Keys)
            {
                if (_pending.TryRemove(key, out var bytes))
                {
                    increments.Add(new EgressCounter { TenantId = key.Tenant, Month = key.Month, Endpoint = key.Endpoint, Bytes = bytes });
                }
            }

            try
            {
                await _store.AddEgressAsync(increments, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                foreach (var i in increments)
                {
                    _pending.AddOrUpdate((i.TenantId, i.Month, i.Endpoint), i.Bytes, (_, total) => total + i.Bytes);
                }

                return;
            }

            var now = _time.GetUtcNow();
            foreach (var (tenant, resetsAt, remaining) in _governor.TakeUnsavedDays())
            {
                try
                {
                    await _store.SaveCallWindowAsync(new CallWindow { TenantId = tenant, ResetsAt = resetsAt, Remaining = remaining, UpdatedAt = now }, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    _governor.MarkDayUnsaved(tenant);
                }
            }
        }
        finally
        {
            _flushGate.Release();
        }
    }

    /// <summary>Writes what is left to write.</summary>
    /// <returns>A task.</returns>
    public async ValueTask DisposeAsync() => await FlushAsync(CancellationToken.None).ConfigureAwait(false);

    /// <summary>Writes what is left to write (a container that disposes synchronously).</summary>
    public void Dispose() => FlushAsync(CancellationToken.None).GetAwaiter().GetResult();

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
