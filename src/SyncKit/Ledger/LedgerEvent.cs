using SyncKit.Errors;

namespace SyncKit.Ledger;

/// <summary>Something that happened to a record; the only input to <see cref="LedgerTransitions"/>.</summary>
internal abstract record LedgerEvent
{
    private LedgerEvent()
    {
    }

    /// <summary>The host yielded the record with this content.</summary>
    public sealed record Observed(string ContentHash, string DisplayName) : LedgerEvent;

    /// <summary>A mapping the record needs is missing.</summary>
    public sealed record MappingMissing(SyncError Error, string MissingMapping) : LedgerEvent;

    /// <summary>The mapping the record waited for was added.</summary>
    public sealed record MappingAdded : LedgerEvent;

    /// <summary>The approval policy holds the record.</summary>
    public sealed record HeldByPolicy : LedgerEvent;

    /// <summary>
    /// A pull found the record changed in the ledger too and the kind's policy asks a user to choose: its push is held,
    /// with the reason, until the choice is made.
    /// </summary>
    public sealed record HeldForConflict(SyncError Reason) : LedgerEvent;

    /// <summary>A user released a held record.</summary>
    public sealed record Released : LedgerEvent;

    /// <summary>A run claims the record to push it.</summary>
    public sealed record Claimed(string RunId, string IdempotencyKey) : LedgerEvent;

    /// <summary>A run gives a claim back without pushing (cancelled before the call).</summary>
    public sealed record ClaimReturned : LedgerEvent;

    /// <summary>A claim outlived its run (the node died mid-push): the write may have landed.</summary>
    public sealed record ClaimAbandoned(SyncError Error) : LedgerEvent;

    /// <summary>The ledger holds the record.</summary>
    public sealed record Succeeded(string RemoteId, IReadOnlyList<SyncWarning> Warnings) : LedgerEvent;

    /// <summary>A classified failure: from validation (Pending/Unmapped/RetryScheduled) or from a push (InFlight).</summary>
    public sealed record Failed(SyncError Error, DateTimeOffset? RetryAt) : LedgerEvent;

    /// <summary>A lookup found the uncertain write in the ledger.</summary>
    public sealed record ReconciledFound(string RemoteId) : LedgerEvent;

    /// <summary>A lookup found no trace of the uncertain write: it is safe to create again.</summary>
    public sealed record ReconciledNotFound : LedgerEvent;

    /// <summary>A user (or rule) said not to send the record.</summary>
    public sealed record SkipRequested(SyncError Error) : LedgerEvent;

    /// <summary>A user undid a skip.</summary>
    public sealed record UnskipRequested : LedgerEvent;

    /// <summary>A user asked to retry.</summary>
    public sealed record RetryRequested : LedgerEvent;

    /// <summary>A user chose to send a record that needs reconciliation as a new one (none of the candidates is it).</summary>
    public sealed record SendAsNewRequested : LedgerEvent;

    /// <summary>A user made the record right by hand in the ledger.</summary>
    public sealed record MarkedResolved(string? RemoteId) : LedgerEvent;
}

/// <summary>An event that is not allowed in the entry's state.</summary>
public sealed class InvalidLedgerTransitionException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public InvalidLedgerTransitionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public InvalidLedgerTransitionException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public InvalidLedgerTransitionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
