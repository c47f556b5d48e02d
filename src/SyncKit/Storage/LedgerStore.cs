using SyncKit.Ledger;
using SyncKit.Records;

namespace SyncKit.Storage;

/// <summary>Persists ledger entries. Implemented by storage providers; every provider passes the shared contract suite.</summary>
public abstract class LedgerStore
{
    /// <summary>Reads one entry.</summary>
    /// <param name="key">The entry's key.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entry, or null.</returns>
    public abstract Task<LedgerEntry?> GetAsync(LedgerKey key, CancellationToken cancellationToken = default);

    /// <summary>Reads the entries of many records of one kind.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="kind">The kind.</param>
    /// <param name="sourceIds">The host ids.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entries found, by source id.</returns>
    public abstract Task<IReadOnlyDictionary<string, LedgerEntry>> GetManyAsync(string tenantId, RecordKind kind, IReadOnlyCollection<string> sourceIds, CancellationToken cancellationToken = default);

    /// <summary>Saves entries in one transaction, with optimistic concurrency.</summary>
    /// <param name="entries">The entries; each carries the <see cref="LedgerEntry.Version"/> it was read at (0 for a new one).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The keys whose stored version differed; those were not written, the others were (stored with version + 1).</returns>
    public abstract Task<IReadOnlyList<LedgerKey>> SaveAsync(IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>Pages through entries, ordered by kind then source id.</summary>
    /// <param name="query">The filter and page.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>A page of entries and the token for the next.</returns>
    public abstract Task<LedgerPage> QueryAsync(LedgerQuery query, CancellationToken cancellationToken = default);

    /// <summary>Finds which entries own remote ids, so a lookup never adopts a ledger record another entry already holds.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="kind">The kind of the entries.</param>
    /// <param name="remoteIds">The remote ids.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The owning entry's key by remote id; ids no entry holds are absent.</returns>
    /// <remarks>
    /// Only entries of <paramref name="tenantId"/> and <paramref name="kind"/> are owners. Should several entries hold one id,
    /// the one with the lowest source id (ordinal) is returned. Stores answer a long list of ids in chunks, so any length may be passed.
    /// </remarks>
    public abstract Task<IReadOnlyDictionary<string, LedgerKey>> FindOwnersAsync(string tenantId, RecordKind kind, IReadOnlyCollection<string> remoteIds, CancellationToken cancellationToken = default);

    /// <summary>Clears <see cref="LedgerEntry.OutcomePending"/> on entries whose outcome the host was told of.</summary>
    /// <param name="entries">The entries as they were read; one whose stored version differs has changed since and keeps its flag.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task.</returns>
    /// <remarks>The version is not incremented: delivering an outcome is bookkeeping, not a change of the entry.</remarks>
    public abstract Task AcknowledgeOutcomesAsync(IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>Counts a tenant's entries by state and by error category.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The counts.</returns>
    public abstract Task<LedgerCounts> CountAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>Deletes every ledger entry of a tenant (offboarding).</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>How many were deleted.</returns>
    /// <remarks>Added after the first release: a store written before it refuses with <see cref="NotSupportedException"/>.</remarks>
    public virtual Task<int> DeleteTenantAsync(string tenantId, CancellationToken cancellationToken = default) =>
        throw StoreErasure.NotSupported(GetType());
}

/// <summary>A filter over a tenant's ledger (what a host's "Sync Error" tab lists).</summary>
public sealed record LedgerQuery
{
    /// <summary>The tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>States to include; all when empty.</summary>
    public IReadOnlyList<LedgerState> States { get; init; } = [];

    /// <summary>Kinds to include; all when empty.</summary>
    public IReadOnlyList<RecordKind> Kinds { get; init; } = [];

    /// <summary>Only entries whose error has this category.</summary>
    public string? ErrorCategory { get; init; }

    /// <summary>Only entries waiting for this mapping (<c>Kind:key</c>).</summary>
    public string? MissingMapping { get; init; }

    /// <summary>Only entries not last touched by this run.</summary>
    public string? NotTouchedByRunId { get; init; }

    /// <summary>Only entries last touched by this run (the activity log's "records of this run").</summary>
    public string? TouchedByRunId { get; init; }

    /// <summary>Only entries whose <see cref="LedgerEntry.OutcomePending"/> has this value.</summary>
    public bool? OutcomePending { get; init; }

    /// <summary>Only entries whose <see cref="LedgerEntry.NextAttemptAt"/> is null or at or before this time.</summary>
    public DateTimeOffset? DueAt { get; init; }

    /// <summary>The page size (1–1000).</summary>
    public int PageSize { get; init; } = 100;

    /// <summary>The token from the previous page, or null for the first.</summary>
    public string? ContinuationToken { get; init; }
}

/// <summary>A page of ledger entries.</summary>
public sealed record LedgerPage
{
    /// <summary>The entries.</summary>
    public required IReadOnlyList<LedgerEntry> Entries { get; init; }

    /// <summary>The token for the next page, or null when this was the last.</summary>
    public string? ContinuationToken { get; init; }
}

/// <summary>Counts of a tenant's entries.</summary>
public sealed record LedgerCounts
{
    /// <summary>Entries per state (states with none are absent).</summary>
    public required IReadOnlyDictionary<LedgerState, int> ByState { get; init; }

    /// <summary>Entries with an error, per error category.</summary>
    public required IReadOnlyDictionary<string, int> ByCategory { get; init; }
}
