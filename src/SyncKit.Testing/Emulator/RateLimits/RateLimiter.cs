using System.Globalization;
using SyncKit.Testing.Emulator.Http;
using SyncKit.Testing.Emulator.State;

namespace SyncKit.Testing.Emulator.RateLimits;

/// <summary>
/// Xero's limits: per tenant calls in flight, per minute and per day; per app calls per minute. Windows are fixed
/// and start at a tenant's first call, so they reset at different times per tenant, as Xero's do.
/// </summary>
internal sealed class RateLimiter
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    private readonly Lock _gate = new();
    private readonly TimeProvider _clock;
    private readonly Dictionary<Guid, TenantWindows> _tenants = [];
    private readonly Dictionary<string, Window> _apps = new(StringComparer.Ordinal);

    public RateLimiter(TimeProvider clock) => _clock = clock;

    public int AppMinuteLimit { get; set; }

    /// <summary>Admits a call or says which limit it met; <paramref name="tierDayLimit"/> is the app's tier's daily limit (Starter: 1,000), if lower.</summary>
    public Decision TryAcquire(TenantState tenant, string clientId, int? tierDayLimit = null)
    {
        lock (_gate)
        {
            var dayLimit = Math.Min(tenant.DayLimit, tierDayLimit ?? int.MaxValue);
            var now = _clock.GetUtcNow();
            var windows = Windows(tenant.TenantId);
            var app = _apps.TryGetValue(clientId, out var a) ? a : _apps[clientId] = new Window();
            windows.Minute.Roll(now, Minute);
            windows.Day.Roll(now, Day);
            app.Roll(now, Minute);

            string? problem = null;
            var retryAfter = 0;
            if (windows.Day.Count >= dayLimit)
            {
                problem = "day";
                retryAfter = windows.Day.SecondsLeft(now, Day);
            }
            else if (app.Count >= AppMinuteLimit)
            {
                problem = "appminute";
                retryAfter = app.SecondsLeft(now, Minute);
            }
            else if (windows.Minute.Count >= tenant.MinuteLimit)
            {
                problem = "minute";
                retryAfter = windows.Minute.SecondsLeft(now, Minute);
            }
            else if (windows.InFlight >= tenant.ConcurrentLimit)
            {
                problem = "concurrent";
                retryAfter = 1;
            }
            else
            {
                windows.Minute.Count++;
                windows.Day.Count++;
                app.Count++;
                windows.InFlight++;
            }

            return new Decision(
                problem,
                retryAfter,
                Math.Max(0, tenant.MinuteLimit - windows.Minute.Count),
                Math.Max(0, dayLimit - windows.Day.Count),
                Math.Max(0, AppMinuteLimit - app.Count));
        }
    }

    public void Release(Guid tenantId)
    {
        lock (_gate)
        {
            var windows = Windows(tenantId);
            windows.InFlight = Math.Max(0, windows.InFlight - 1);
        }
    }

    private TenantWindows Windows(Guid tenantId) =>
        _tenants.TryGetValue(tenantId, out var w) ? w : _tenants[tenantId] = new TenantWindows();

    internal sealed record Decision(string? Problem, int RetryAfterSeconds, int MinuteRemaining, int DayRemaining, int AppMinuteRemaining)
    {
        public bool Allowed => Problem is null;

        public void Apply(EmulatorResponse response)
        {
            response.Headers["X-MinLimit-Remaining"] = MinuteRemaining.ToString(CultureInfo.InvariantCulture);
            response.Headers["X-DayLimit-Remaining"] = DayRemaining.ToString(CultureInfo.InvariantCulture);
            response.Headers["X-AppMinLimit-Remaining"] = AppMinuteRemaining.ToString(CultureInfo.InvariantCulture);
        }
    }

    private sealed class TenantWindows
    {
        public Window Minute { get; } = new();

        public Window Day { get; } = new();

        public int InFlight { get; set; }
    }

    private sealed class Window
    {
        private DateTimeOffset? _start;

        public int Count { get; set; }

        public void Roll(DateTimeOffset now, TimeSpan length)
        {
            if (_start is null || now >= _start.Value + length)
            {
                _start = now;
                Count = 0;
            }
        }

        public int SecondsLeft(DateTimeOffset now, TimeSpan length) =>
            Math.Max(1, (int)Math.Ceiling((_start!.Value + length - now).TotalSeconds));
    }
}
