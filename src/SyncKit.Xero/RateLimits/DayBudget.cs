namespace SyncKit.Xero.RateLimits;

/// <summary>
/// One tenant's daily call budget, spent before Xero says no: the limit comes from options (the tier) and is corrected by
/// <c>X-DayLimit-Remaining</c>; background work stops while a reserve is left, which only user-initiated work may spend.
/// </summary>
/// <remarks>
/// Xero's day windows are fixed and start at different times per tenant, and no header says when one ends. The budget
/// takes the window to start at the first call it admits (or, after a day 429, to end at its Retry-After), which is never
/// earlier than Xero's own reset: a pause may end a little late, never early.
/// </remarks>
internal sealed class DayBudget(int limit, int reserve, TimeProvider time)
{
    private static readonly TimeSpan s_day = TimeSpan.FromDays(1);

    // Calls that may be in flight between a header being written and read: a header this much above our count is a reset.
    private const int ResetMargin = 10;

    private readonly Lock _lock = new();
    private readonly int _limit = Math.Max(1, limit);
    private readonly int _reserve = Math.Clamp(reserve, 0, Math.Max(0, limit - 1));
    private DateTimeOffset? _start;
    private int _remaining;

    // Changes since the window was last saved to the usage store (counted, so a save races no change).
    private long _changes;
    private long _saved;

    public int Limit => _limit;

    public int Reserve => _reserve;

    /// <summary>Takes a call from the budget, or says how long until the window resets when none is left for this caller.</summary>
    public TimeSpan? TryTake(bool userInitiated)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            Roll(now);
            if (_remaining <= (userInitiated ? 0 : _reserve))
            {
                return _start!.Value + s_day - now;
            }

            _remaining--;
            _changes++;
            return null;
        }
    }

    /// <summary>Gives back a call that was taken but never sent.</summary>
    public void Refund()
    {
        lock (_lock)
        {
            _remaining = Math.Min(_limit, _remaining + 1);
            _changes++;
        }
    }

    /// <summary>Xero says <paramref name="remaining"/> calls are left today.</summary>
    public void Learn(int remaining)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            Roll(now);
            if (remaining > _remaining + ResetMargin)
            {
                // Xero's window began again (earlier than ours would have): count from now.
                _start = now;
            }

            _remaining = remaining > _remaining + ResetMargin ? Math.Min(remaining, _limit) : Math.Min(_remaining, remaining);
            _changes++;
        }
    }

    /// <summary>A day 429: nothing is left until <paramref name="retryAfter"/>.</summary>
    public void Exhaust(TimeSpan retryAfter)
    {
        lock (_lock)
        {
            _start = time.GetUtcNow() + retryAfter - s_day;
            _remaining = 0;
            _changes++;
        }
    }

    /// <summary>What is left and when the window is expected to reset (null before the first call).</summary>
    public (int Remaining, DateTimeOffset? ResetsAt) Snapshot()
    {
        lock (_lock)
        {
            // Reading never starts a window: before the first call of a day the whole limit is left.
            var now = time.GetUtcNow();
            return _start is { } start && now < start + s_day ? (_remaining, start + s_day) : (_limit, null);
        }
    }

    /// <summary>Takes up a window saved before a restart, when it has not ended yet.</summary>
    public void Restore(DateTimeOffset resetsAt, int remaining)
    {
        lock (_lock)
        {
            if (time.GetUtcNow() < resetsAt)
            {
                _start = resetsAt - s_day;
                _remaining = Math.Clamp(remaining, 0, _limit);
                _saved = _changes;
            }
        }
    }

    /// <summary>The window to save when it changed since the last save (and marks it saved), or null.</summary>
    public (DateTimeOffset ResetsAt, int Remaining)? TakeUnsaved()
    {
        lock (_lock)
        {
            if (_changes == _saved || _start is not { } start)
            {
                return null;
            }

            _saved = _changes;
            return (start + s_day, _remaining);
        }
    }

    /// <summary>Marks the window unsaved again (its save failed).</summary>
    public void MarkUnsaved()
    {
        lock (_lock)
        {
            _saved = -1;
        }
    }

    private void Roll(DateTimeOffset now)
    {
        if (_start is null || now >= _start.Value + s_day)
        {
            _start = now;
            _remaining = _limit;
        }
    }
}
