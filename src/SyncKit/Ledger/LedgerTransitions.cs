using SyncKit.Errors;

namespace SyncKit.Ledger;

/// <summary>
/// The one function that changes a ledger entry's state. Every state × event pair is either defined
/// here or refused with <see cref="InvalidLedgerTransitionException"/>; no other code writes a state.
/// </summary>
internal static class LedgerTransitions
{
    /// <summary>A new entry for a record seen for the first time.</summary>
    public static LedgerEntry New(LedgerKey key, string contentHash, string displayName, DateTimeOffset now) => new()
    {
        TenantId = key.TenantId,
        Kind = key.Kind,
        SourceId = key.SourceId,
        State = LedgerState.Pending,
        ContentHash = contentHash,
        DisplayName = displayName,
        CreatedAt = now,
        UpdatedAt = now,
    };

    /// <summary>Applies an event.</summary>
    /// <exception cref="InvalidLedgerTransitionException">The event is not allowed in the entry's state.</exception>
    public static LedgerEntry Apply(LedgerEntry entry, LedgerEvent @event, DateTimeOffset now)
    {
        var next = Next(entry, @event);
        return next is null
            ? throw new InvalidLedgerTransitionException($"{@event.GetType().Name} is not allowed for {entry.Key} in state {entry.State}.")
            : next with
            {
                UpdatedAt = now,
                SyncedAt = next.State == LedgerState.Synced && entry.State != LedgerState.Synced ? now : next.SyncedAt,
            };
    }

    /// <summary>Whether an event is allowed in the entry's state.</summary>
    public static bool IsAllowed(LedgerEntry entry, LedgerEvent @event) => Next(entry, @event) is not null;

    /// <summary>
    /// Whether a run sends the entry's record without being asked to (a user's re-sync forces more): waiting, unmapped
    /// (a mapping may have arrived), uncertain (looked up first), or a retry whose time has come.
    /// </summary>
    public static bool IsDue(LedgerEntry entry, DateTimeOffset now) => entry.State switch
    {
        LedgerState.Pending or LedgerState.Unmapped or LedgerState.Uncertain => true,
        LedgerState.RetryScheduled => entry.NextAttemptAt is null || entry.NextAttemptAt <= now,
        _ => false,
    };

    private static LedgerEntry? Next(LedgerEntry e, LedgerEvent ev)
    {
        var s = e.State;
        return ev switch
        {
            LedgerEvent.Observed o => Observe(e, o),

            LedgerEvent.MappingMissing m when s is LedgerState.Pending or LedgerState.Unmapped or LedgerState.RetryScheduled or LedgerState.Uncertain =>
                e with { State = LedgerState.Unmapped, Error = m.Error, MissingMapping = m.MissingMapping, NextAttemptAt = null },

            LedgerEvent.MappingAdded when s is LedgerState.Unmapped =>
                ToPending(e),

            LedgerEvent.HeldByPolicy when s is LedgerState.Pending or LedgerState.Unmapped =>
                e with { State = LedgerState.Held, Error = null, MissingMapping = null },

            // Not from InFlight or Uncertain: a push that may have landed is settled first.
            LedgerEvent.HeldForConflict h when s is LedgerState.Pending or LedgerState.Unmapped or LedgerState.RetryScheduled or LedgerState.Failed or LedgerState.Synced or LedgerState.Held =>
                e with { State = LedgerState.Held, Error = h.Reason, MissingMapping = null, NextAttemptAt = null },

            LedgerEvent.Released when s is LedgerState.Held =>
                ToPending(e),

            LedgerEvent.Claimed c when s is LedgerState.Pending or LedgerState.Unmapped or LedgerState.RetryScheduled or LedgerState.Uncertain or LedgerState.Failed or LedgerState.Synced =>
                e with
                {
                    State = LedgerState.InFlight,
                    PreviousState = s,
                    RunId = c.RunId,
                    IdempotencyKey = c.IdempotencyKey,
                    Attempts = e.Attempts + 1,
                    NextAttemptAt = null,
                    MissingMapping = null,
                },

            LedgerEvent.ClaimReturned when s is LedgerState.InFlight =>
                e with { State = e.PreviousState ?? LedgerState.Pending, PreviousState = null, Attempts = Math.Max(0, e.Attempts - 1) },

            LedgerEvent.ClaimAbandoned abandoned when s is LedgerState.InFlight =>
                e with { State = LedgerState.Uncertain, Error = abandoned.Error, PreviousState = null, NextAttemptAt = null },

            LedgerEvent.Succeeded ok when s is LedgerState.InFlight =>
                e with
                {
                    State = LedgerState.Synced,
                    RemoteId = ok.RemoteId,
                    SyncedHash = e.ContentHash,
                    Warnings = ok.Warnings,
                    Error = null,
                    MissingMapping = null,
                    NextAttemptAt = null,
                    PreviousState = null,
                    Attempts = 0,
                },

            LedgerEvent.Failed f when s is LedgerState.InFlight or LedgerState.Pending or LedgerState.Unmapped or LedgerState.RetryScheduled or LedgerState.Uncertain =>
                Fail(e, f),

            LedgerEvent.ReconciledFound found when s is LedgerState.Uncertain or LedgerState.InFlight =>
                e with
                {
                    State = LedgerState.Synced,
                    RemoteId = found.RemoteId,
                    SyncedHash = e.ContentHash,
                    Error = null,
                    NextAttemptAt = null,
                    PreviousState = null,
                    Attempts = 0,
                },

            LedgerEvent.ReconciledNotFound when s is LedgerState.Uncertain =>
                e with { State = LedgerState.Pending, Error = null, NextAttemptAt = null },

            LedgerEvent.SkipRequested skip when s is not LedgerState.InFlight and not LedgerState.Uncertain =>
                e with { State = LedgerState.Skipped, Error = skip.Error with { RuleId = UserSkipRuleId }, MissingMapping = null, NextAttemptAt = null },

            LedgerEvent.UnskipRequested when s is LedgerState.Skipped =>
                ToPending(e),

            // A record waiting for the user to choose between candidates is looked up again, never simply re-sent.
            LedgerEvent.RetryRequested when s is LedgerState.Failed && NeedsReconciliation(e) =>
                e with { State = LedgerState.Uncertain, NextAttemptAt = null, Attempts = 0 },

            LedgerEvent.RetryRequested when s is LedgerState.Failed or LedgerState.RetryScheduled or LedgerState.Unmapped =>
                ToPending(e),

            LedgerEvent.SendAsNewRequested when s is LedgerState.Failed && NeedsReconciliation(e) =>
                ToPending(e),

            // An uncertain write is never simply re-sent: it stays Uncertain, due now, so the next run looks it up first.
            LedgerEvent.RetryRequested when s is LedgerState.Uncertain =>
                e with { NextAttemptAt = null, Attempts = 0 },

            LedgerEvent.MarkedResolved r when s is LedgerState.Failed or LedgerState.Unmapped or LedgerState.RetryScheduled or LedgerState.Uncertain or LedgerState.Held or LedgerState.Pending or LedgerState.Skipped =>
                e with
                {
                    State = LedgerState.Synced,
                    RemoteId = r.RemoteId ?? e.RemoteId,
                    SyncedHash = e.ContentHash,
                    Error = null,
                    MissingMapping = null,
                    NextAttemptAt = null,
                    Attempts = 0,
                },

            _ => null,
        };
    }

    private static LedgerEntry Observe(LedgerEntry e, LedgerEvent.Observed o)
    {
        var changed = !string.Equals(e.ContentHash, o.ContentHash, StringComparison.Ordinal);
        var seen = e with { ContentHash = o.ContentHash, DisplayName = o.DisplayName };
        return e.State switch
        {
            // The host changed a synced record: it goes again (an update).
            LedgerState.Synced when !string.Equals(e.SyncedHash, o.ContentHash, StringComparison.Ordinal) => ToPending(seen),

            // The user fixed the record in the host: try again from scratch (but a question of what is already in the
            // ledger is not answered by an edit: it still needs the user's choice).
            LedgerState.Failed when changed && !NeedsReconciliation(e) => ToPending(seen),

            // A sending policy skipped it ($0 unpaid, negative): a change (now paid, corrected) lets the policy look again.
            // A user's "do not send" stays.
            LedgerState.Skipped when changed && !IsUserSkip(e) => ToPending(seen),

            // A record in flight keeps the content the run is pushing ("Pending Sync" protection);
            // the newer content is picked up on the next run because the hash will differ from SyncedHash.
            LedgerState.InFlight => e,

            _ => seen,
        };
    }

    // An uncertain write stays uncertain until a lookup settles it; anything else goes again as Pending.
    private static LedgerState StateBeforeClaim(LedgerEntry e) => e.State != LedgerState.InFlight
        ? e.State
        : e.PreviousState == LedgerState.Uncertain ? LedgerState.Uncertain : LedgerState.Pending;

    /// <summary>The rule id a user's skip is recorded with (whatever rule classified it), so a policy skip can be told apart.</summary>
    public const string UserSkipRuleId = "engine.skipped-by-user";

    private static bool IsUserSkip(LedgerEntry e) => string.Equals(e.Error?.RuleId, UserSkipRuleId, StringComparison.Ordinal);

    private static bool NeedsReconciliation(LedgerEntry e) => string.Equals(e.Error?.Category, ErrorCategories.NeedsReconciliation, StringComparison.Ordinal);

    private static LedgerEntry ToPending(LedgerEntry e) => e with
    {
        State = LedgerState.Pending,
        Error = null,
        MissingMapping = null,
        NextAttemptAt = null,
        Attempts = 0,
        PreviousState = null,
    };

    private static LedgerEntry Fail(LedgerEntry e, LedgerEvent.Failed f)
    {
        var cleared = e with { PreviousState = null, Error = f.Error, MissingMapping = null };
        return f.Error.Disposition switch
        {
            ErrorDisposition.RetryLater when f.RetryAt is { } at => cleared with { State = LedgerState.RetryScheduled, NextAttemptAt = at },
            ErrorDisposition.RetryLater => cleared with { State = LedgerState.Failed, NextAttemptAt = null },
            ErrorDisposition.UserAction => cleared with { State = LedgerState.Failed, NextAttemptAt = null },
            ErrorDisposition.Unmapped => cleared with { State = LedgerState.Unmapped, NextAttemptAt = null },
            ErrorDisposition.Reconcile => cleared with { State = LedgerState.Uncertain, NextAttemptAt = null },
            ErrorDisposition.Skip => cleared with { State = LedgerState.Skipped, NextAttemptAt = null },

            // The tenant stops (paused or disconnected); the record was not taken, so it goes in the next run.
            ErrorDisposition.PauseTenant or ErrorDisposition.Reconnect or ErrorDisposition.StopRun => cleared with
            {
                State = StateBeforeClaim(e),
                Attempts = Math.Max(0, e.Attempts - 1),
                NextAttemptAt = null,
            },
            _ => null!,
        };
    }
}
