using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace SyncKit.Xero.RateLimits;

/// <summary>
/// Keeps calls within Xero's limits: per tenant 5 in flight (a <see cref="ConcurrencyLimiter"/>) and a minute
/// window; per app a minute window. Limits start from <see cref="XeroOptions"/> and are lowered by what Xero's
/// <c>X-MinLimit-Remaining</c> / <c>X-AppMinLimit-Remaining</c> headers say is left. A day 429 holds the tenant's
/// calls until its Retry-After. All waiting goes through the <see cref="TimeProvider"/>.
/// </summary>
internal sealed class XeroRateGovernor : IDisposable
{
    private readonly XeroOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, TenantLimits> _tenants = new(StringComparer.Ordinal);

    // The daily budget per tenant (issue 9) lives beside the minute and concurrency limits, not inside them.
    private readonly ConcurrentDictionary<string, DayBudget> _days = new(StringComparer.Ordinal);
    private readonly MinuteWindow _app;
    private long _calls;
    private long _rateLimited;
    private long _waits;

    public XeroRateGovernor(IOptions<XeroOptions> options, TimeProvider timeProvider)
    {
        _options = options.Value;
        _time = timeProvider;
        _app = new MinuteWindow(_options.AppCallsPerMinute, timeProvider);
    }

    /// <summary>Calls let through to Xero.</summary>
    public long CallsMade => Interlocked.Read(ref _calls);

    /// <summary>429 answers seen.</summary>
    public long RateLimitedResponses => Interlocked.Read(ref _rateLimited);

    /// <summary>Times a call waited for a window or a Retry-After.</summary>
    public long Waits => Interlocked.Read(ref _waits);

    /// <summary>The last <c>X-DayLimit-Remaining</c> a tenant's answers carried, or null.</summary>
    public int? DayRemaining(string tenantKey) => _tenants.TryGetValue(tenantKey, out var t) ? t.DayRemaining : null;

    /// <summary>A tenant's daily budget: limit, reserve, what is left and when it is expected to reset.</summary>
    public (int Limit, int Reserve, int Remaining, DateTimeOffset? ResetsAt) DayBudgetOf(string tenantKey)
    {
        var day = Day(tenantKey);
        var (remaining, resetsAt) = day.Snapshot();
        return (day.Limit, day.Reserve, remaining, resetsAt);
    }

    /// <summary>Waits for a slot: the day's budget first (no waiting when it is spent), then in flight, then the tenant's and the app's minute windows.</summary>
    /// <returns>A lease to dispose when the answer arrived, or one whose <see cref="CallLease.DayBlockedFor"/> says the tenant is paused.</returns>
    public async ValueTask<CallLease> AcquireAsync(string tenantKey, CancellationToken cancellationToken = default)
    {
        var tenant = Tenant(tenantKey);
        var now = _time.GetUtcNow();
        if (tenant.DayBlockedUntil is { } until && until > now)
        {
            return new CallLease(null, until - now);
        }

        // Spend the day proactively: background work stops at the reserve, a user's work may use it (outside a run, a
        // call is a user's). Refused here, the call never reaches Xero and never meets a day 429.
        var day = Day(tenantKey);
        if (day.TryTake(SyncKit.Runs.SyncRunContext.Current?.IsUserInitiated ?? true) is { } resetsIn)
        {
            return new CallLease(null, resetsIn);
        }

        RateLimitLease lease;
        try
        {
            lease = await tenant.Concurrency.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            day.Refund();
            throw;
        }

        if (!lease.IsAcquired)
        {
            lease.Dispose();
            day.Refund();
            throw new InvalidOperationException("The Xero concurrency limiter refused a call: its queue is full.");
        }

        try
        {
            if (await tenant.Minute.WaitAsync(cancellationToken).ConfigureAwait(false) | await _app.WaitAsync(cancellationToken).ConfigureAwait(false))
            {
                Interlocked.Increment(ref _waits);
            }
        }
        catch
        {
            lease.Dispose();
            day.Refund();
            throw;
        }

        Interlocked.Increment(ref _calls);
        return new CallLease(lease, null);
    }

    /// <summary>Learns from an answer's headers; records a day 429.</summary>
    public void Observe(string tenantKey, HttpResponseMessage response)
    {
        var tenant = Tenant(tenantKey);
        if (Header(response, "X-MinLimit-Remaining") is { } minute)
        {
            tenant.Minute.Learn(minute);
        }

        if (Header(response, "X-AppMinLimit-Remaining") is { } app)
        {
            _app.Learn(app);
        }

        if (Header(response, "X-DayLimit-Remaining") is { } day)
        {
            tenant.DayRemaining = day;
            Day(tenantKey).Learn(day);
        }

        if ((int)response.StatusCode == 429)
        {
            Interlocked.Increment(ref _rateLimited);
            var problem = Errors.XeroErrorParser.RateLimitProblem(response.Headers);
            var retryAfter = Errors.XeroErrorParser.RetryAfter(response.Headers, _time.GetUtcNow());
            switch (problem)
            {
                case "day" when retryAfter is { } wait:
                    tenant.DayBlockedUntil = _time.GetUtcNow() + wait;
                    Day(tenantKey).Exhaust(wait);
                    break;
                case "minute":
                    tenant.Minute.Exhaust(retryAfter);
                    break;
                case "appminute":
                    _app.Exhaust(retryAfter);
                    break;
            }
        }
    }

    /// <summary>Waits through the <see cref="TimeProvider"/>.</summary>
    public Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _waits);
        return delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, _time, cancellationToken);
    }

    public void Dispose()
    {
        foreach (var tenant in _tenants.Values)
        {
            tenant.Concurrency.Dispose();
        }
    }

    private DayBudget Day(string tenantKey) =>
        _days.GetOrAdd(tenantKey, _ => new DayBudget(_options.EffectiveDailyCallLimit, _options.EffectiveDailyCallReserve, _time));

    private TenantLimits Tenant(string tenantKey) =>
        _tenants.GetOrAdd(tenantKey, _ => new TenantLimits(
            new ConcurrencyLimiter(new ConcurrencyLimiterOptions
            {
                PermitLimit = Math.Max(1, _options.MaxConcurrentCallsPerTenant),
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            }),
            new MinuteWindow(_options.CallsPerMinutePerTenant, _time)));

    private static int? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values)
        && int.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    private sealed class TenantLimits(ConcurrencyLimiter concurrency, MinuteWindow minute)
    {
        public ConcurrencyLimiter Concurrency { get; } = concurrency;

        public MinuteWindow Minute { get; } = minute;

        public DateTimeOffset? DayBlockedUntil { get; set; }

        public int? DayRemaining { get; set; }
    }
}

/// <summary>A permit to call Xero; dispose it when the answer arrived.</summary>
internal sealed class CallLease(RateLimitLease? lease, TimeSpan? dayBlockedFor) : IDisposable
{
    /// <summary>Set when the tenant's daily limit is spent: how long until it refreshes.</summary>
    public TimeSpan? DayBlockedFor { get; } = dayBlockedFor;

    public void Dispose() => lease?.Dispose();
}

/// <summary>A fixed one-minute window driven by a <see cref="TimeProvider"/>.</summary>
internal sealed class MinuteWindow(int limit, TimeProvider time)
{
    private static readonly TimeSpan s_window = TimeSpan.FromMinutes(1);
    private readonly Lock _lock = new();
    private readonly int _limit = Math.Max(1, limit);
    private DateTimeOffset _start = DateTimeOffset.MinValue;
    private int _used;
    private DateTimeOffset? _blockedUntil;

    /// <summary>Takes one call from the window, waiting for the next window when it is spent.</summary>
    /// <returns>True when it had to wait.</returns>
    public async ValueTask<bool> WaitAsync(CancellationToken cancellationToken)
    {
        var waited = false;
        while (true)
        {
            TimeSpan wait;
            lock (_lock)
            {
                var now = time.GetUtcNow();
                if (_blockedUntil is { } until && now < until)
                {
                    wait = until - now;
                }
                else
                {
                    if (_blockedUntil is not null)
                    {
                        // Xero's Retry-After marks the start of its next window.
                        _blockedUntil = null;
                        _start = now;
                        _used = 0;
                    }

                    if (now >= _start + s_window)
                    {
                        _start = now;
                        _used = 0;
                    }

                    if (_used < _limit)
                    {
                        _used++;
                        return waited;
                    }

                    wait = _start + s_window - now;
                }
            }

            waited = true;
            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Xero says only <paramref name="remaining"/> calls are left in its window: never use more.</summary>
    public void Learn(int remaining)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (now >= _start + s_window)
            {
                _start = now;
                _used = 0;
            }

            _used = Math.Max(_used, _limit - Math.Max(0, remaining));
        }
    }

    /// <summary>A minute 429: nothing more until Retry-After (or the end of the window).</summary>
    public void Exhaust(TimeSpan? retryAfter)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            _used = _limit;
            if (retryAfter is { } wait)
            {
                _blockedUntil = now + wait;
            }
        }
    }
}
