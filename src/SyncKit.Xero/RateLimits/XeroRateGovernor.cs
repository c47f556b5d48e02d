using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace SyncKit.Xero.RateLimits;

/// <summary>
/// Keeps calls within Xero's limits: per tenant 5 in flight (a <see cref="ConcurrencyLimiter"/>) and a minute
/// window; per app a minute window, shared among waiting tenants first come, first served. Limits start from
/// <see cref="XeroOptions"/> and are lowered by what Xero's <c>X-MinLimit-Remaining</c> / <c>X-AppMinLimit-Remaining</c>
/// headers say is left in the window the call was counted in. A day 429 holds the tenant's calls until its
/// Retry-After. All waiting goes through the <see cref="TimeProvider"/>.
/// </summary>
internal sealed class XeroRateGovernor : IDisposable
{
    private readonly XeroOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, TenantLimits> _tenants = new(StringComparer.Ordinal);

    // The daily budget per tenant (issue 9) lives beside the minute and concurrency limits, not inside them.
    private readonly ConcurrentDictionary<string, DayBudget> _days = new(StringComparer.Ordinal);

    // Day windows saved before a restart are taken up once per tenant, before its first call.
    private readonly SyncKit.Storage.UsageStore? _usage;
    private readonly ConcurrentDictionary<string, Lazy<Task>> _restores = new(StringComparer.Ordinal);
    private readonly MinuteWindow _app;

    // First in, first out: the app window's calls go to waiting tenants in the order they asked.
    private readonly ConcurrencyLimiter _appQueue = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = 1,
        QueueLimit = int.MaxValue,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });
    private long _calls;
    private long _rateLimited;
    private long _waits;

    public XeroRateGovernor(IOptions<XeroOptions> options, TimeProvider timeProvider, SyncKit.Storage.UsageStore? usage = null)
    {
        _usage = usage;
        _options = options.Value;
        _time = timeProvider;
        // Nodes sharing the app each budget their share of it (XeroOptions.AppBudgetNodes).
        _app = new MinuteWindow(_options.AppCallsPerMinute / Math.Max(1, _options.AppBudgetNodes), timeProvider);
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

    /// <summary>
    /// Waits for a slot: the day's budget first (no waiting when it is spent), then in flight, then the tenant's minute window, then — in arrival order among every tenant — the
    /// app's minute window; the tenant's and the app's calls are then taken together.
    /// </summary>
    /// <returns>A lease to dispose when the answer arrived, or one whose <see cref="CallLease.DayBlockedFor"/> says the tenant is paused.</returns>
    /// <remarks>
    /// Two rules make the app window fair and keep tenants' own windows whole: only the one call at the head of the app
    /// queue (a first-in, first-out turnstile) may wait for, or take from, the app window, so a tenant that has waited
    /// longest goes first and none starves; and a call joins that queue only once its tenant's window has room, taking
    /// its tenant's call only together with the app's, so no tenant's minute is spent on a call still waiting for the app.
    /// </remarks>
    public async ValueTask<CallLease> AcquireAsync(string tenantKey, CancellationToken cancellationToken = default)
    {
        var tenant = Tenant(tenantKey);
        if (DayBlocked(tenant) is { } blocked)
        {
            return new CallLease(null, blocked, 0, 0);
        }

        // Spend the day proactively: background work stops at the reserve, a user's work may use it (outside a run, a
        // call is a user's). Refused here, the call never reaches Xero and never meets a day 429.
        await RestoreDayAsync(tenantKey, cancellationToken).ConfigureAwait(false);
        var day = Day(tenantKey);
        if (day.TryTake(SyncKit.Runs.SyncRunContext.Current?.IsUserInitiated ?? true) is { } resetsIn)
        {
            return new CallLease(null, resetsIn, 0, 0);
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
            var waited = false;
            while (true)
            {
                if (tenant.Minute.TimeUntilFree() is var tenantWait && tenantWait > TimeSpan.Zero)
                {
                    waited = true;
                    await Task.Delay(tenantWait, _time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                using var turn = await _appQueue.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
                while (_app.TimeUntilFree() is var appWait && appWait > TimeSpan.Zero)
                {
                    waited = true;
                    await Task.Delay(appWait, _time, cancellationToken).ConfigureAwait(false);
                }

                // A day 429 from another call may have arrived while this one queued: it is not sent.
                if (DayBlocked(tenant) is { } blockedNow)
                {
                    lease.Dispose();
                    day.Refund();
                    return new CallLease(null, blockedNow, 0, 0);
                }

                if (tenant.Minute.TryTake(out var tenantWindow))
                {
                    if (_app.TryTake(out var appWindow))
                    {
                        if (waited)
                        {
                            Interlocked.Increment(ref _waits);
                        }

                        Interlocked.Increment(ref _calls);
                        return new CallLease(lease, null, tenantWindow, appWindow);
                    }

                    tenant.Minute.GiveBack(tenantWindow);
                }

                // Xero's headers shrank a window while this call queued: it waits again, behind the others.
            }
        }
        catch
        {
            lease.Dispose();
            day.Refund();
            throw;
        }
    }

    /// <summary>Learns from an answer's headers (only for the windows the call was counted in); records a day 429.</summary>
    public void Observe(string tenantKey, HttpResponseMessage response, CallLease lease)
    {
        var tenant = Tenant(tenantKey);
        if (Header(response, "X-MinLimit-Remaining") is { } minute)
        {
            tenant.Minute.Learn(minute, lease.TenantWindow);
        }

        if (Header(response, "X-AppMinLimit-Remaining") is { } app)
        {
            // The header counts every node's calls: each node takes its share of what is left.
            _app.Learn(app / Math.Max(1, _options.AppBudgetNodes), lease.AppWindow);
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

    /// <summary>Takes up the tenant's day window saved by an earlier process (once), so a restart keeps the day's budget.</summary>
    public Task RestoreDayAsync(string tenantKey, CancellationToken cancellationToken)
    {
        if (_usage is null)
        {
            return Task.CompletedTask;
        }

        var restore = _restores.GetOrAdd(tenantKey, key => new Lazy<Task>(() => RestoreCoreAsync(key)));
        return restore.Value.IsCompletedSuccessfully ? Task.CompletedTask : restore.Value.WaitAsync(cancellationToken);
    }

    /// <summary>The day windows changed since they were last taken here, to save.</summary>
    public IReadOnlyList<(string TenantKey, DateTimeOffset ResetsAt, int Remaining)> TakeUnsavedDays()
    {
        var unsaved = new List<(string, DateTimeOffset, int)>();
        foreach (var (key, day) in _days)
        {
            if (day.TakeUnsaved() is { } window)
            {
                unsaved.Add((key, window.ResetsAt, window.Remaining));
            }
        }

        return unsaved;
    }

    /// <summary>A save of a tenant's day window failed: it is saved again at the next flush.</summary>
    public void MarkDayUnsaved(string tenantKey)
    {
        if (_days.TryGetValue(tenantKey, out var day))
        {
            day.MarkUnsaved();
        }
    }

    private async Task RestoreCoreAsync(string tenantKey)
    {
        try
        {
            // Not the caller's token: a restore shared by several callers must not fail for one that gave up.
            if (await _usage!.GetCallWindowAsync(tenantKey, CancellationToken.None).ConfigureAwait(false) is { } saved)
            {
                // Spent before the restart (0 left): every call, a user's too, waits for the reset as it did.
                Day(tenantKey).Restore(saved.ResetsAt, saved.Remaining);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // An unreadable store must not stop calls: Xero's X-DayLimit-Remaining corrects the count on the first answer.
            _restores.TryRemove(tenantKey, out _);
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
        _appQueue.Dispose();
        foreach (var tenant in _tenants.Values)
        {
            tenant.Concurrency.Dispose();
        }
    }

    private DayBudget Day(string tenantKey) =>
        _days.GetOrAdd(tenantKey, _ => new DayBudget(_options.EffectiveDailyCallLimit, _options.EffectiveDailyCallReserve, _time));

    private TimeSpan? DayBlocked(TenantLimits tenant)
    {
        var now = _time.GetUtcNow();
        return tenant.DayBlockedUntil is { } until && until > now ? until - now : null;
    }

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
internal sealed class CallLease(RateLimitLease? lease, TimeSpan? dayBlockedFor, long tenantWindow, long appWindow) : IDisposable
{
    /// <summary>Set when the tenant's daily limit is spent: how long until it refreshes.</summary>
    public TimeSpan? DayBlockedFor { get; } = dayBlockedFor;

    /// <summary>The tenant's minute window the call was counted in.</summary>
    public long TenantWindow { get; } = tenantWindow;

    /// <summary>The app's minute window the call was counted in.</summary>
    public long AppWindow { get; } = appWindow;

    public void Dispose() => lease?.Dispose();
}

/// <summary>
/// A fixed one-minute window driven by a <see cref="TimeProvider"/>. Like Xero's, a window starts with the first call
/// after the last one ended, so ours and Xero's start together (ours held open a second longer for the call's trip); each window has a number, so what Xero's headers say
/// about one window is never applied to the next.
/// </summary>
internal sealed class MinuteWindow(int limit, TimeProvider time)
{
    /// <summary>
    /// A call counts in our window when it leaves and in Xero's when it arrives, so Xero's window starts (and ends) up
    /// to one trip later than ours. Holding ours open a second longer means calls of our next window never reach Xero
    /// while its last window is still full — at the cost of 1.6% of the minute.
    /// </summary>
    private static readonly TimeSpan s_window = TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1);
    private readonly Lock _lock = new();
    private readonly int _limit = Math.Max(1, limit);
    private DateTimeOffset _start = DateTimeOffset.MinValue;
    private long _number;
    private int _used;
    private DateTimeOffset? _blockedUntil;

    /// <summary>How long until the window has a call to give: zero when it has one now.</summary>
    public TimeSpan TimeUntilFree()
    {
        lock (_lock)
        {
            return FreeIn(time.GetUtcNow());
        }
    }

    /// <summary>Takes one call when the window has one, starting a new window when the last has ended.</summary>
    /// <param name="window">The number of the window the call was counted in.</param>
    public bool TryTake(out long window)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (FreeIn(now) > TimeSpan.Zero)
            {
                window = 0;
                return false;
            }

            if (now >= _start + s_window)
            {
                _start = now;
                _used = 0;
                _number++;
            }

            _used++;
            window = _number;
            return true;
        }
    }

    /// <summary>Returns a call taken from <paramref name="window"/> but never sent.</summary>
    public void GiveBack(long window)
    {
        lock (_lock)
        {
            if (window == _number && _used > 0)
            {
                _used--;
            }
        }
    }

    /// <summary>
    /// Xero says only <paramref name="remaining"/> calls were left in its window when it counted a call made in
    /// <paramref name="window"/>: never use more. An answer that arrives after that window ended says nothing of the
    /// current one (applying it would shut a fresh window), so it is ignored.
    /// </summary>
    public void Learn(int remaining, long window)
    {
        lock (_lock)
        {
            if (window != _number || time.GetUtcNow() >= _start + s_window)
            {
                return;
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

    private TimeSpan FreeIn(DateTimeOffset now)
    {
        if (_blockedUntil is { } until)
        {
            if (now < until)
            {
                return until - now;
            }

            // Xero's Retry-After marks the end of its window: the next call starts a new one.
            _blockedUntil = null;
            _start = DateTimeOffset.MinValue;
        }

        return now >= _start + s_window || _used < _limit ? TimeSpan.Zero : _start + s_window - now;
    }
}
