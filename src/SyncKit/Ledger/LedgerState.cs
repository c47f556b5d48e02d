namespace SyncKit.Ledger;

/// <summary>Where a record stands between the host and the ledger.</summary>
public enum LedgerState
{
    /// <summary>New or changed since last push; goes in the next run.</summary>
    Pending = 0,

    /// <summary>A mapping it needs is missing (organisation/client, GL account, tax, item); adding the mapping returns it to Pending.</summary>
    Unmapped = 1,

    /// <summary>An approval policy holds it until a user releases it ("Pending Action").</summary>
    Held = 2,

    /// <summary>A run holds it ("Pending Sync"): nothing else may push or overwrite it.</summary>
    InFlight = 3,

    /// <summary>The ledger holds the current version; the remote id is known. May carry warnings.</summary>
    Synced = 4,

    /// <summary>Rejected by the ledger or by validation; needs the user action named by its error.</summary>
    Failed = 5,

    /// <summary>A transient failure; tried again automatically at <see cref="LedgerEntry.NextAttemptAt"/>.</summary>
    RetryScheduled = 6,

    /// <summary>A write may have landed; reconciled by a lookup before anything is created again.</summary>
    Uncertain = 7,

    /// <summary>A rule or a user said not to send it.</summary>
    Skipped = 8,
}
