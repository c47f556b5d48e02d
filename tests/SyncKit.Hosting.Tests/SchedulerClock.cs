using Microsoft.Extensions.Time.Testing;

namespace SyncKit.Hosting.Tests;

/// <summary>
/// A fake clock (a <see cref="FakeTimeProvider"/> underneath) that knows whether anyone is waiting on it: a timer that
/// has been created and has neither fired nor been disposed.
/// </summary>
/// <remarks>
/// The scheduler reads the clock, then starts a relative wait (<c>Task.Delay(due - now, time)</c>) on a thread of its
/// own. A test that advances the clock between those two steps moves the timer's due time past the instant the test
/// advanced to, and the run it awaits never comes. <see cref="WhenWaitedOnAsync"/> lets the harness advance only once
/// the scheduler's wait is registered.
/// </remarks>
internal sealed class SchedulerClock : TimeProvider
{
    private readonly FakeTimeProvider _fake;
    private readonly Lock _gate = new();
    private readonly HashSet<WatchedTimer> _pending = [];
    private TaskCompletionSource _timerRegistered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SchedulerClock(DateTimeOffset start) => _fake = new FakeTimeProvider(start);

    public override TimeZoneInfo LocalTimeZone => _fake.LocalTimeZone;

    public override long TimestampFrequency => _fake.TimestampFrequency;

    public override DateTimeOffset GetUtcNow() => _fake.GetUtcNow();

    public override long GetTimestamp() => _fake.GetTimestamp();

    /// <summary>
    /// Timers due this far off or further are not the scheduler waiting (the engine's lease heartbeat, which the
    /// harness makes beat every few days, so no test's hours of virtual time ever expire a live run's lease).
    /// </summary>
    public TimeSpan? UnwatchedFrom { get; set; }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        if (dueTime >= UnwatchedFrom)
        {
            return _fake.CreateTimer(callback, state, dueTime, period);
        }

        var timer = new WatchedTimer(this, dueTime, period);
        timer.Inner = _fake.CreateTimer(
            s =>
            {
                timer.OnFired();
                callback(s);
            },
            state,
            dueTime,
            period);
        timer.OnRegistered();
        return timer;
    }

    /// <summary>Moves the clock on, firing every timer due by then. Nothing else moves it.</summary>
    public void Advance(TimeSpan by) => _fake.Advance(by);

    /// <summary>Completes once a timer is pending on this clock (hang protection only: 30 seconds).</summary>
    public async Task WhenWaitedOnAsync()
    {
        while (true)
        {
            Task registered;
            lock (_gate)
            {
                if (_pending.Count > 0)
                {
                    return;
                }

                registered = _timerRegistered.Task;
            }

            await registered.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    private void SetPending(WatchedTimer timer, bool pending)
    {
        TaskCompletionSource? registered = null;
        lock (_gate)
        {
            if (!pending)
            {
                _pending.Remove(timer);
            }
            else if (_pending.Add(timer))
            {
                registered = _timerRegistered;
                _timerRegistered = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        registered?.TrySetResult();
    }

    private sealed class WatchedTimer(SchedulerClock clock, TimeSpan dueTime, TimeSpan period) : ITimer
    {
        private readonly Lock _gate = new();
        private bool _scheduled = dueTime != Timeout.InfiniteTimeSpan;
        private TimeSpan _period = period;
        private bool _firedOnce;
        private bool _disposed;

        public ITimer Inner { get; set; } = null!;

        /// <summary>The inner timer is registered (it may have fired already): from now on it counts as pending.</summary>
        public void OnRegistered()
        {
            lock (_gate)
            {
                Update();
            }
        }

        public void OnFired()
        {
            lock (_gate)
            {
                _firedOnce = true;
                Update();
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (_gate)
            {
                _scheduled = dueTime != Timeout.InfiniteTimeSpan;
                _period = period;
                _firedOnce = false;
            }

            var changed = Inner.Change(dueTime, period);
            OnRegistered();
            return changed;
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _disposed = true;
                Update();
            }

            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }

        private void Update()
        {
            var done = _disposed || (_firedOnce && (_period == Timeout.InfiniteTimeSpan || _period == TimeSpan.Zero));
            clock.SetPending(this, _scheduled && !done);
        }
    }
}
