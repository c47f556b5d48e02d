using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace SyncKit.EndToEnd.Tests;

/// <summary>A <see cref="FakeTimeProvider"/> that knows when its armed timers are due, so a test can move time exactly to the next wait's end.</summary>
internal sealed class DrivenTime(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly ConcurrentDictionary<Tracked, DateTimeOffset> _armed = new();

    /// <summary>When the earliest armed timer fires, or null when nothing waits on time.</summary>
    public DateTimeOffset? NextDue => _armed.IsEmpty ? null : _armed.Values.DefaultIfEmpty(DateTimeOffset.MaxValue).Min();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Tracked? tracked = null;
        var inner = base.CreateTimer(
            s =>
            {
                tracked?.Fired();
                callback(s);
            },
            state,
            Timeout.InfiniteTimeSpan,
            Timeout.InfiniteTimeSpan);
        tracked = new Tracked(this, inner);
        tracked.Change(dueTime, period);
        return tracked;
    }

    private sealed class Tracked(DrivenTime owner, ITimer inner) : ITimer
    {
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            _period = period;
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                owner._armed.TryRemove(this, out _);
            }
            else
            {
                owner._armed[this] = owner.GetUtcNow() + dueTime;
            }

            return inner.Change(dueTime, period);
        }

        public void Fired()
        {
            if (_period == Timeout.InfiniteTimeSpan || _period == TimeSpan.Zero)
            {
                owner._armed.TryRemove(this, out _);
            }
            else
            {
                owner._armed[this] = owner.GetUtcNow() + _period;
            }
        }

        public void Dispose()
        {
            owner._armed.TryRemove(this, out _);
            inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            owner._armed.TryRemove(this, out _);
            return inner.DisposeAsync();
        }
    }
}
