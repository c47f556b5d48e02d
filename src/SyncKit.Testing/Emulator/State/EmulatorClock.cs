using Microsoft.Extensions.Time.Testing;

namespace SyncKit.Testing.Emulator.State;

/// <summary>
/// The emulator's time. Wraps the caller's <see cref="TimeProvider"/>; advancing moves a
/// <see cref="FakeTimeProvider"/> (so timers fire) or, for a real clock, adds an offset.
/// </summary>
internal sealed class EmulatorClock : TimeProvider
{
    private readonly TimeProvider _inner;
    private readonly Lock _gate = new();
    private TimeSpan _offset;

    public EmulatorClock(TimeProvider inner) => _inner = inner;

    public TimeProvider Inner => _inner;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _inner.GetUtcNow() + _offset;
        }
    }

    public override long GetTimestamp() => _inner.GetTimestamp();

    public override long TimestampFrequency => _inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        _inner.CreateTimer(callback, state, dueTime, period);

    public DateOnly Today => DateOnly.FromDateTime(GetUtcNow().UtcDateTime);

    public void Advance(TimeSpan delta)
    {
        if (delta < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(delta), "The emulator clock only moves forward.");
        }

        if (_inner is FakeTimeProvider fake)
        {
            fake.Advance(delta);
            return;
        }

        lock (_gate)
        {
            _offset += delta;
        }
    }
}
