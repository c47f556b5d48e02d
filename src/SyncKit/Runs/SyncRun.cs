using SyncKit.Records;

namespace SyncKit.Runs;

/// <summary>What started a run.</summary>
public enum SyncTrigger
{
    /// <summary>A user pressed a button (Sync All, re-sync, retry).</summary>
    Manual = 0,

    /// <summary>The scheduler.</summary>
    Scheduled = 1,

    /// <summary>A webhook from the ledger.</summary>
    Webhook = 2,
}

/// <summary>How a run ended.</summary>
public enum RunOutcome
{
    /// <summary>Still running.</summary>
    Running = 0,

    /// <summary>Every record reached a settled state without errors.</summary>
    Completed = 1,

    /// <summary>The run finished; some records failed or wait for a user.</summary>
    CompletedWithErrors = 2,

    /// <summary>The tenant hit its daily limit (or was paused); unsent records stay Pending.</summary>
    Paused = 3,

    /// <summary>The connection must be re-authorised; unsent records stay Pending.</summary>
    Disconnected = 4,

    /// <summary>The run was cancelled (shutdown); unsent records stay Pending.</summary>
    Cancelled = 5,

    /// <summary>The run stopped on an unexpected error; unsent records stay Pending.</summary>
    Failed = 6,

    /// <summary>Another run for the tenant was under way; this one did nothing.</summary>
    AlreadyRunning = 7,

    /// <summary>Not started: the tenant's settings do not push what was asked (a pull-only or off kind); the message says why.</summary>
    Refused = 8,
}

/// <summary>Counts of what a run did.</summary>
public sealed record RunCounts
{
    /// <summary>Records read from sources or the ledger.</summary>
    public int Seen { get; init; }

    /// <summary>Records unchanged since they were synced (nothing sent).</summary>
    public int Unchanged { get; init; }

    /// <summary>Records sent to the ledger.</summary>
    public int Sent { get; init; }

    /// <summary>Records now Synced.</summary>
    public int Synced { get; init; }

    /// <summary>Records now Failed.</summary>
    public int Failed { get; init; }

    /// <summary>Records now RetryScheduled.</summary>
    public int RetryScheduled { get; init; }

    /// <summary>Records now Uncertain.</summary>
    public int Uncertain { get; init; }

    /// <summary>Uncertain records reconciled by lookup.</summary>
    public int Reconciled { get; init; }

    /// <summary>Records now Unmapped.</summary>
    public int Unmapped { get; init; }

    /// <summary>Records now Held.</summary>
    public int Held { get; init; }

    /// <summary>Records now Skipped.</summary>
    public int Skipped { get; init; }

    /// <summary>Records synced with warnings.</summary>
    public int Warnings { get; init; }

    /// <summary>Calls made to the ledger.</summary>
    public int Calls { get; init; }

    /// <summary>Pulled records not applied because the host's record had a local change waiting to be pushed.</summary>
    public int Conflicts { get; init; }

    /// <summary>Pulled records put on (or left on) the reconciliation list: no single host record fits them.</summary>
    public int ToReconcile { get; init; }
}

/// <summary>One run: the activity log's row ("Practice Activity").</summary>
public sealed record SyncRun
{
    /// <summary>The run's id.</summary>
    public required string RunId { get; init; }

    /// <summary>The tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>What started it.</summary>
    public required SyncTrigger Trigger { get; init; }

    /// <summary>Who asked for it (a user name, "scheduler", a webhook id).</summary>
    public string? RequestedBy { get; init; }

    /// <summary>The kinds it covered; all when empty.</summary>
    public IReadOnlyList<RecordKind> Kinds { get; init; } = [];

    /// <summary>A single record's key when the run re-synced one record.</summary>
    public string? RecordKey { get; init; }

    /// <summary>When it started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When it ended.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>How it ended.</summary>
    public RunOutcome Outcome { get; init; }

    /// <summary>What it did.</summary>
    public RunCounts Counts { get; init; } = new();

    /// <summary>When the tenant's sync resumes, for a Paused run.</summary>
    public DateTimeOffset? PausedUntil { get; init; }

    /// <summary>A message for the user (why it stopped).</summary>
    public string? Message { get; init; }

    /// <summary>The duration, once ended.</summary>
    public TimeSpan? Duration => CompletedAt - StartedAt;
}
