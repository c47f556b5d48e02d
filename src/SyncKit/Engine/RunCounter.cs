using SyncKit.Errors;
using SyncKit.Ledger;
using SyncKit.Runs;

namespace SyncKit.Engine;

/// <summary>Counts what a run did (one run is one task: no locking needed).</summary>
internal sealed class RunCounter
{
    public int Seen;
    public int Unchanged;
    public int Sent;
    public int Synced;
    public int Failed;
    public int RetryScheduled;
    public int Uncertain;
    public int Reconciled;
    public int Unmapped;
    public int Held;
    public int Skipped;
    public int Warnings;
    public int Calls;
    public int Conflicts;
    public int ToReconcile;

    /// <summary>A record failed for a reason that may mean the cached reference data is out of date.</summary>
    public bool ReferenceDataDoubted;

    /// <summary>The categories whose failures come from, or are checked against, the ledger's reference data.</summary>
    private static readonly HashSet<string> s_referenceCategories = new(StringComparer.Ordinal)
    {
        ErrorCategories.LockDates, ErrorCategories.AccountNotFound, ErrorCategories.AccountArchived, ErrorCategories.AccountWithoutCode,
        ErrorCategories.PaymentsAccount, ErrorCategories.TaxType, ErrorCategories.Currency, ErrorCategories.JobState, ErrorCategories.JobDeleted,
    };

    public void CountSettled(LedgerEntry entry)
    {
        if (entry.State == LedgerState.Failed && entry.Error is { } error && s_referenceCategories.Contains(error.Category))
        {
            ReferenceDataDoubted = true;
        }

        switch (entry.State)
        {
            case LedgerState.Synced:
                Synced++;
                if (entry.Warnings.Count > 0)
                {
                    Warnings++;
                }

                break;
            case LedgerState.Failed: Failed++; break;
            case LedgerState.RetryScheduled: RetryScheduled++; break;
            case LedgerState.Uncertain: Uncertain++; break;
            case LedgerState.Unmapped: Unmapped++; break;
            case LedgerState.Held: Held++; break;
            case LedgerState.Skipped: Skipped++; break;
        }
    }

    public bool HasProblems => Failed + RetryScheduled + Uncertain + Unmapped + ToReconcile > 0;

    public RunCounts ToCounts() => new()
    {
        Seen = Seen,
        Unchanged = Unchanged,
        Sent = Sent,
        Synced = Synced,
        Failed = Failed,
        RetryScheduled = RetryScheduled,
        Uncertain = Uncertain,
        Reconciled = Reconciled,
        Unmapped = Unmapped,
        Held = Held,
        Skipped = Skipped,
        Warnings = Warnings,
        Calls = Calls,
        Conflicts = Conflicts,
        ToReconcile = ToReconcile,
    };
}

/// <summary>Ends a run early: the tenant was paused or disconnected, or the lease was lost.</summary>
internal sealed class RunStoppedException : Exception
{
    public RunStoppedException(RunOutcome outcome, string message, DateTimeOffset? pausedUntil = null)
        : base(message)
    {
        Outcome = outcome;
        PausedUntil = pausedUntil;
    }

    public RunStoppedException()
    {
    }

    public RunStoppedException(string message)
        : base(message)
    {
    }

    public RunStoppedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RunOutcome Outcome { get; }

    public DateTimeOffset? PausedUntil { get; }
}
