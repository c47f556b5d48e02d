using SyncKit.Records;

namespace SyncKit.Storage;

/// <summary>Where a pull of one kind for one tenant stands: the watermark, and the page reached by a pull under way.</summary>
public sealed record PullCursor
{
    /// <summary>The tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>The kind pulled.</summary>
    public required RecordKind Kind { get; init; }

    /// <summary>The newest change time seen by the last completed pull (null before the first): the next pull reads from here, less a skew margin.</summary>
    public DateTimeOffset? Watermark { get; init; }

    /// <summary>The modified-since time of a pull under way (or stopped by a crash or pause), or null when none is.</summary>
    public DateTimeOffset? InProgressSince { get; init; }

    /// <summary>Whether a pull is under way: it resumes at <see cref="NextPage"/> with <see cref="InProgressSince"/>.</summary>
    public bool InProgress { get; init; }

    /// <summary>The page a pull under way reads next (1-based).</summary>
    public int NextPage { get; init; } = 1;

    /// <summary>The continuation token of a token-paged list (Practice Manager's <c>paged-list</c>) reached so far, or null.</summary>
    public string? PageToken { get; init; }

    /// <summary>The newest change time seen so far by the pull under way.</summary>
    public DateTimeOffset? MaxSeen { get; init; }

    /// <summary>When the cursor last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>What became of one record pulled from the ledger.</summary>
public enum InboundState
{
    /// <summary>Handed to the host's target; the outcome was not recorded yet (a crash here offers it again, flagged).</summary>
    Applying = 1,

    /// <summary>The host holds it.</summary>
    Applied = 2,

    /// <summary>No single host record fits it (a payment with no or several candidate invoices): tried again every pull.</summary>
    NeedsReconciliation = 3,

    /// <summary>A user said it needs nothing from the host: never tried again.</summary>
    Dismissed = 4,

    /// <summary>The host's record had a local change waiting to be pushed: the host's version was kept (and, under the kind's
    /// <c>Ask</c> policy, the pulled version is kept until a user chooses).</summary>
    Conflict = 5,

    /// <summary>The host's record had a local change waiting to be pushed: the pulled version is kept and applied by the first
    /// pull after the push lands (conflict policy <c>ApplyAfterPush</c>).</summary>
    Deferred = 6,

    /// <summary>A user chose the ledger's version of a conflict: the next pull applies it.</summary>
    Accepted = 7,
}

/// <summary>One record pulled from the ledger, keyed by the ledger's id: how a pull imports it exactly once.</summary>
public sealed record InboundRecord
{
    /// <summary>The tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>The kind.</summary>
    public required RecordKind Kind { get; init; }

    /// <summary>The ledger's id.</summary>
    public required string RemoteId { get; init; }

    /// <summary>Its state.</summary>
    public required InboundState State { get; init; }

    /// <summary>The host's id of the record, once the host holds it.</summary>
    public string? HostId { get; init; }

    /// <summary>The host's id of the record it belongs to (a payment's invoice), once matched.</summary>
    public string? ParentHostId { get; init; }

    /// <summary>The host ids that could fit it (a payment's candidate invoices), for the user choosing.</summary>
    public IReadOnlyList<string> Candidates { get; init; } = [];

    /// <summary>Why it is in its state, for the reconciliation list.</summary>
    public string? Message { get; init; }

    /// <summary>A label for the user.</summary>
    public string? DisplayName { get; init; }

    /// <summary>The ledger's change time of the version last handled.</summary>
    public DateTimeOffset RemoteUpdatedAt { get; init; }

    /// <summary>The pulled record as the engine serialised it, so it can be retried without reading the ledger again.</summary>
    public string? PayloadJson { get; init; }

    /// <summary>How many times it was tried.</summary>
    public int Attempts { get; init; }

    /// <summary>When it was first pulled.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>Persists pull cursors (watermarks, page reached) and the records pulled (the reconciliation list).</summary>
/// <remarks>Members added in later versions arrive virtual with a safe default.</remarks>
public abstract class InboundStore
{
    /// <summary>Reads a cursor.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="kind">The kind.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The cursor, or null before the first pull.</returns>
    public abstract Task<PullCursor?> GetCursorAsync(string tenantId, RecordKind kind, CancellationToken cancellationToken = default);

    /// <summary>Adds or replaces a cursor.</summary>
    /// <param name="cursor">The cursor.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task.</returns>
    public abstract Task SaveCursorAsync(PullCursor cursor, CancellationToken cancellationToken = default);

    /// <summary>Reads the records held for some ledger ids.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="kind">The kind.</param>
    /// <param name="remoteIds">The ledger ids.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The records found, by ledger id.</returns>
    public abstract Task<IReadOnlyDictionary<string, InboundRecord>> GetRecordsAsync(string tenantId, RecordKind kind, IReadOnlyCollection<string> remoteIds, CancellationToken cancellationToken = default);

    /// <summary>Adds or replaces a record.</summary>
    /// <param name="record">The record.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task.</returns>
    public abstract Task SaveRecordAsync(InboundRecord record, CancellationToken cancellationToken = default);

    /// <summary>Lists a tenant's records in some states, ordered by kind then ledger id.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="states">The states wanted (all when empty).</param>
    /// <param name="limit">The most rows.</param>
    /// <param name="after">Only records after this (kind, ledger id), for paging; null for the first page.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The records.</returns>
    public abstract Task<IReadOnlyList<InboundRecord>> ListRecordsAsync(string tenantId, IReadOnlyCollection<InboundState> states, int limit, (RecordKind Kind, string RemoteId)? after = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes every inbound record and pull cursor of a tenant (offboarding).</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>How many were deleted.</returns>
    /// <remarks>Added after the first release: a store written before it refuses with <see cref="NotSupportedException"/>.</remarks>
    public virtual Task<int> DeleteTenantAsync(string tenantId, CancellationToken cancellationToken = default) =>
        throw StoreErasure.NotSupported(GetType());
}
