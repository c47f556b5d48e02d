using System.Runtime.CompilerServices;
using SyncKit.Ledger;
using SyncKit.Records;

namespace SyncKit.Sources;

/// <summary>The host's data for one record kind. Implement <see cref="SyncSource{TRecord}"/>.</summary>
public abstract class SyncSource
{
    private protected SyncSource()
    {
    }

    /// <summary>The kind of record this source yields.</summary>
    public abstract RecordKind Kind { get; }

    /// <summary>Told what became of records, so the host can mark its own rows (posted, remote id, error).</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="outcomes">The outcomes, a page at a time (up to the engine's read chunk size).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    /// <remarks>
    /// Called after the outcomes are saved in the ledger and after the kind's read has finished, so the reader of
    /// <see cref="SyncSource{TRecord}.GetChangedAsync"/> is closed and the host may write to the same tables or
    /// connection. Delivery is at least once: outcomes not yet delivered when a process stops are delivered by the
    /// tenant's next run, so make the update idempotent (set the row's state, do not append). An exception here is
    /// logged; those outcomes are offered again in the next run.
    /// </remarks>
    public virtual Task OnOutcomesAsync(string tenantId, IReadOnlyList<RecordOutcome> outcomes, CancellationToken cancellationToken = default) => Task.CompletedTask;

    internal abstract IAsyncEnumerable<SyncRecord> ReadChangedAsync(string tenantId, CancellationToken cancellationToken);

    internal abstract Task<SyncRecord?> ReadOneAsync(string tenantId, string sourceId, CancellationToken cancellationToken);
}

/// <summary>The host's data for one record kind: what is unposted or changed, and one record by id.</summary>
/// <typeparam name="TRecord">The record type.</typeparam>
/// <remarks>
/// Stream records (<see cref="IAsyncEnumerable{T}"/>): a run over a million records holds a batch, not
/// the million. Yield every record the host considers unposted or changed since it was posted — like
/// ConnectWise's Accounting Interface list; SyncKit's content hashing skips what did not change.
/// </remarks>
#pragma warning disable RS0022 // By design: hosts derive from the generic source only, never from the non-generic base.
public abstract class SyncSource<TRecord> : SyncSource
#pragma warning restore RS0022
    where TRecord : SyncRecord
{
    /// <summary>Streams the tenant's unposted or changed records.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The records.</returns>
    public abstract IAsyncEnumerable<TRecord> GetChangedAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>Reads one record by id (single re-sync, retries, reconciliation).</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="sourceId">The host's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The record, or null when the host no longer has it.</returns>
    public abstract Task<TRecord?> GetAsync(string tenantId, string sourceId, CancellationToken cancellationToken = default);

    internal override async IAsyncEnumerable<SyncRecord> ReadChangedAsync(string tenantId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var record in GetChangedAsync(tenantId, cancellationToken).ConfigureAwait(false))
        {
            yield return record;
        }
    }

    internal override async Task<SyncRecord?> ReadOneAsync(string tenantId, string sourceId, CancellationToken cancellationToken) =>
        await GetAsync(tenantId, sourceId, cancellationToken).ConfigureAwait(false);
}

/// <summary>What became of a record after a run.</summary>
public sealed record RecordOutcome
{
    /// <summary>The record's ledger key.</summary>
    public required LedgerKey Key { get; init; }

    /// <summary>The state it is now in.</summary>
    public required LedgerState State { get; init; }

    /// <summary>The ledger's id, when synced.</summary>
    public string? RemoteId { get; init; }

    /// <summary>The classified error, when it failed or waits.</summary>
    public Errors.SyncError? Error { get; init; }

    /// <summary>Warnings recorded with it.</summary>
    public IReadOnlyList<SyncWarning> Warnings { get; init; } = [];

    /// <summary>Whether the ledger now holds the record (the host may mark it posted).</summary>
    public bool Posted => State == LedgerState.Synced;
}

/// <summary>Optional approval policy: holds records until a user releases them ("Pending Action", a billing-status hold).</summary>
public abstract class ApprovalPolicy
{
    /// <summary>Whether a record must wait for a user's release before it is sent.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="record">The record.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>True to hold the record.</returns>
    public abstract ValueTask<bool> ShouldHoldAsync(string tenantId, SyncRecord record, CancellationToken cancellationToken = default);
}
