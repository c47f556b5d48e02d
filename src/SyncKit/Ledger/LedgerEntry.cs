using SyncKit.Errors;
using SyncKit.Records;

namespace SyncKit.Ledger;

/// <summary>What SyncKit knows of one record: its state, remote id, last pushed content, and why it failed.</summary>
/// <remarks>Entries are changed only through the ledger's transition function; stores persist them as they are.</remarks>
public sealed record LedgerEntry
{
    /// <summary>The tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>The record kind.</summary>
    public required RecordKind Kind { get; init; }

    /// <summary>The host's id of the record.</summary>
    public required string SourceId { get; init; }

    /// <summary>The state.</summary>
    public required LedgerState State { get; init; }

    /// <summary>A human label (document number or name) for lists.</summary>
    public string? DisplayName { get; init; }

    /// <summary>The ledger's id of the record once known.</summary>
    public string? RemoteId { get; init; }

    /// <summary>The hash of the content that the ledger holds (set when Synced).</summary>
    public string? SyncedHash { get; init; }

    /// <summary>The hash of the newest content seen from the host.</summary>
    public string? ContentHash { get; init; }

    /// <summary>The idempotency key of the push in flight or last made, stored before the call.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>How many pushes were attempted since the record last changed or was retried by a user.</summary>
    public int Attempts { get; init; }

    /// <summary>When a RetryScheduled entry is due.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>The classified error of a Failed, RetryScheduled, Unmapped, Uncertain or Skipped entry.</summary>
    public SyncError? Error { get; init; }

    /// <summary>Warnings recorded with the last push (rounding applied, missing billing contact, ...).</summary>
    public IReadOnlyList<SyncWarning> Warnings { get; init; } = [];

    /// <summary>The mapping an Unmapped entry waits for, as <c>Kind:key</c> (for example <c>Account:4000</c>).</summary>
    public string? MissingMapping { get; init; }

    /// <summary>The run that holds an InFlight entry, or last touched it.</summary>
    public string? RunId { get; init; }

    /// <summary>The state to return to when an InFlight claim is given back unused.</summary>
    public LedgerState? PreviousState { get; init; }

    /// <summary>When the entry first appeared.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the entry last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When the record was last synced.</summary>
    public DateTimeOffset? SyncedAt { get; init; }

    /// <summary>Whether the entry's latest outcome is still to be told to the host's source (<c>OnOutcomesAsync</c>).</summary>
    public bool OutcomePending { get; init; }

    /// <summary>Optimistic concurrency version: 0 for an entry never saved; stores increment it on each save.</summary>
    public long Version { get; init; }

    /// <summary>The key of this entry.</summary>
    public LedgerKey Key => new(TenantId, Kind, SourceId);
}

/// <summary>A warning recorded on a record that was still sent (or that the user should review).</summary>
public sealed record SyncWarning
{
    /// <summary>A stable code, for example <c>Rounding</c> or <c>MissingBillingContact</c>.</summary>
    public required string Code { get; init; }

    /// <summary>The message for the user.</summary>
    public required string Message { get; init; }
}
