using SyncKit.Errors;
using SyncKit.Ledger;
using SyncKit.Records;

namespace SyncKit.Connectors;

/// <summary>The boundary through which the engine reaches a ledger system (Xero, or a test double).</summary>
/// <remarks>
/// A connector turns SyncKit's canonical records into the ledger's wire format and back. It never
/// decides states: it reports per-element outcomes and failures, and the engine classifies them.
/// Members added in later versions arrive virtual with a safe default.
/// </remarks>
public abstract class LedgerConnector
{
    /// <summary>The connector's name, for logs and the activity log.</summary>
    public abstract string Name { get; }

    /// <summary>Whether the connector can push a kind.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>True when supported.</returns>
    public virtual bool Supports(RecordKind kind) => true;

    /// <summary>The most elements one push may carry for a kind.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The batch size (Xero: 50).</returns>
    public virtual int MaxBatchSize(RecordKind kind) => 50;

    /// <summary>Why the connector may not send a kind for a tenant now (a permission its connection lacks), or null when it may.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="kind">The kind.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The failure every record of the kind gets without a call, or null.</returns>
    /// <remarks>
    /// Asked once per kind per run, before any record of the kind is sent. Records refused this way wait as Failed in
    /// <see cref="ErrorCategories.MissingScope"/>; they go again by themselves in the first run where the check passes.
    /// The default allows everything.
    /// </remarks>
    public virtual ValueTask<SyncFailure?> CheckAccessAsync(string tenantId, RecordKind kind, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<SyncFailure?>(null);

    /// <summary>The tenant's permissions and what it has spent of the ledger's limits, for its status.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The usage, or null when the connector keeps none (the default).</returns>
    /// <remarks>Read by <see cref="ISyncEngine.GetStatusAsync"/>; it must not call the ledger.</remarks>
    public virtual ValueTask<LedgerUsage?> GetUsageAsync(string tenantId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<LedgerUsage?>(null);

    /// <summary>Whether a tenant the engine has never seen is one this connector can reach (it was connected).</summary>
    /// <param name="tenantId">The tenant, unknown to the tenant store.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>True to let the engine register and sync it; false to refuse the call with <see cref="UnknownTenantException"/>, storing nothing.</returns>
    /// <remarks>Asked only for tenants the tenant store does not know. The default accepts every tenant.</remarks>
    public virtual ValueTask<bool> IsKnownTenantAsync(string tenantId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(true);

    /// <summary>How many batches of a kind the engine may have in flight at once for one tenant.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>At least 1 (the default: one batch at a time).</returns>
    /// <remarks>
    /// Batches of one kind never depend on each other (dependencies run between kinds, which the engine sends one after
    /// another), so a ledger that accepts several calls at once (Xero: 5 per tenant) is kept busy while answers travel.
    /// </remarks>
    public virtual int MaxBatchesInFlight(RecordKind kind) => 1;

    /// <summary>Reads the tenant's reference data.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The reference data.</returns>
    public abstract Task<ReferenceData> LoadReferenceDataAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>Reads the tenant's reference data again, given the set read before (the cached one, now past its age).</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="previous">The set read before, with the time it was read (<see cref="ReferenceData.FetchedAt"/>).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The reference data now.</returns>
    /// <remarks>
    /// A ledger that answers "what changed since" (Xero's <c>If-Modified-Since</c>) reads only that and merges it into
    /// <paramref name="previous"/>. The engine asks this only for background runs with a cache that was not dropped for
    /// a failure; runs a user starts read everything. The default reads everything.
    /// </remarks>
    public virtual Task<ReferenceData> RevalidateReferenceDataAsync(string tenantId, ReferenceData previous, CancellationToken cancellationToken = default) =>
        LoadReferenceDataAsync(tenantId, cancellationToken);

    /// <summary>Pushes a batch of records of one kind and reports an outcome per element.</summary>
    /// <param name="batch">The batch; its idempotency key is already stored in the ledger.</param>
    /// <param name="cancellationToken">Cancels the push.</param>
    /// <returns>The outcome of each element, or a failure of the whole batch.</returns>
    /// <remarks>
    /// An exception means nothing is known of the outcome: the engine treats every element as possibly
    /// written (Uncertain) and reconciles by lookup before sending again.
    /// </remarks>
    public abstract Task<PushResult> PushAsync(PushBatch batch, CancellationToken cancellationToken = default);

    /// <summary>
    /// Finds every record in the ledger that fits an element's identifying fields, to reconcile a write that may have landed.
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="element">The element as it would be pushed.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>Every candidate (empty when the ledger has none).</returns>
    /// <remarks>
    /// Return all candidates, never a guess: the engine drops those another ledger entry already owns, adopts a single
    /// remaining one, and asks the user when several remain. Match on keys the ledger keeps unique (an invoice number, a
    /// contact name, an item code) wherever the kind has one, and on every identifying field where it has none.
    /// </remarks>
    public abstract Task<IReadOnlyList<RemoteMatch>> FindCandidatesAsync(string tenantId, PushElement element, CancellationToken cancellationToken = default);

    /// <summary>Whether the connector can pull a kind from the ledger.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>True when <see cref="ReadChangesAsync"/> serves it.</returns>
    public virtual bool SupportsPull(RecordKind kind) => false;

    /// <summary>Reads one page of the records of a kind changed in the ledger since a time, ordered by change time then id.</summary>
    /// <param name="request">The tenant, kind, modified-since time and page.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The page.</returns>
    /// <remarks>A refused read throws <see cref="ConnectorException"/> with the failure, which the engine classifies (pause, reconnect, fail).</remarks>
    public virtual Task<Inbound.PullPage> ReadChangesAsync(Inbound.PullPageRequest request, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"The {Name} connector cannot pull {request?.Kind}.");

    /// <summary>Finds the candidates of many elements at once (the engine reconciles a lost batch this way).</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="elements">The elements as they would be pushed, of one kind.</param>
    /// <param name="cancellationToken">Cancels the lookups.</param>
    /// <returns>The candidates by source id; an element absent from the answer has none.</returns>
    /// <remarks>The default looks each element up on its own; connectors override it to read many in one call.</remarks>
    public virtual async Task<IReadOnlyDictionary<string, IReadOnlyList<RemoteMatch>>> FindCandidatesManyAsync(string tenantId, IReadOnlyList<PushElement> elements, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(elements);
        var matches = new Dictionary<string, IReadOnlyList<RemoteMatch>>(StringComparer.Ordinal);
        foreach (var element in elements)
        {
            var candidates = await FindCandidatesAsync(tenantId, element, cancellationToken).ConfigureAwait(false);
            if (candidates.Count > 0)
            {
                matches[element.Key.SourceId] = candidates;
            }
        }

        return matches;
    }
}

/// <summary>A batch of records of one kind for one tenant.</summary>
public sealed record PushBatch
{
    /// <summary>The tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>The kind of every element.</summary>
    public required RecordKind Kind { get; init; }

    /// <summary>
    /// The idempotency key: derived from the tenant, kind and the exact elements, contents and attempts,
    /// so a retry of the same batch replays and a batch of other composition never reuses a key.
    /// </summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>The elements.</summary>
    public required IReadOnlyList<PushElement> Elements { get; init; }
}

/// <summary>One record ready to push: mapped to the ledger's codes, with its links resolved.</summary>
public sealed record PushElement
{
    /// <summary>The ledger entry's key.</summary>
    public required LedgerKey Key { get; init; }

    /// <summary>The record with host keys replaced by the ledger's codes (account codes, tax types, item codes, tracking names).</summary>
    public required SyncRecord Record { get; init; }

    /// <summary>The ledger's id when the record was synced before (an update), else null (a create).</summary>
    public string? RemoteId { get; init; }

    /// <summary>The ledger ids of the records this one refers to, by <see cref="LinkKey"/>.</summary>
    public IReadOnlyDictionary<string, string> Links { get; init; } = new Dictionary<string, string>();

    /// <summary>The hash of the record's content as the host gave it.</summary>
    public required string ContentHash { get; init; }

    /// <summary>The ledger id of a record this one links to (its contact, invoice, client or job).</summary>
    /// <param name="kind">The linked record's kind.</param>
    /// <param name="sourceId">The host's id of the linked record.</param>
    /// <returns>The remote id, or null.</returns>
    public string? LinkedRemoteId(RecordKind kind, string sourceId) =>
        Links.TryGetValue(LinkKey(kind, sourceId), out var id) ? id : null;

    /// <summary>The key of a link in <see cref="Links"/>.</summary>
    /// <param name="kind">The linked record's kind.</param>
    /// <param name="sourceId">The host's id of the linked record.</param>
    /// <returns><c>Kind:sourceId</c>.</returns>
    public static string LinkKey(RecordKind kind, string sourceId) => $"{kind}:{sourceId}";
}

/// <summary>The answer to a push.</summary>
public sealed record PushResult
{
    /// <summary>One outcome per element that the ledger answered for.</summary>
    public IReadOnlyList<ElementOutcome> Outcomes { get; init; } = [];

    /// <summary>A failure of the whole batch (rate limit, authorisation, offline); elements without an outcome share it.</summary>
    public SyncFailure? BatchFailure { get; init; }

    /// <summary>A result where the whole batch failed.</summary>
    /// <param name="failure">The failure.</param>
    /// <returns>The result.</returns>
    public static PushResult Failed(SyncFailure failure) => new() { BatchFailure = failure };
}

/// <summary>The ledger's answer for one element.</summary>
public sealed record ElementOutcome
{
    /// <summary>The host's id of the element.</summary>
    public required string SourceId { get; init; }

    /// <summary>The ledger's id when the element was written.</summary>
    public string? RemoteId { get; init; }

    /// <summary>The number or reference the ledger gave it (for example an assigned invoice number).</summary>
    public string? RemoteReference { get; init; }

    /// <summary>Warnings the ledger returned with a success.</summary>
    public IReadOnlyList<SyncWarning> Warnings { get; init; } = [];

    /// <summary>The failure when the element was refused.</summary>
    public SyncFailure? Failure { get; init; }

    /// <summary>Whether the element was written.</summary>
    public bool Succeeded => Failure is null && RemoteId is not null;
}

/// <summary>A record found in the ledger.</summary>
public sealed record RemoteMatch
{
    /// <summary>The ledger's id.</summary>
    public required string RemoteId { get; init; }

    /// <summary>Its number or reference.</summary>
    public string? RemoteReference { get; init; }

    /// <summary>A short description for a user choosing between candidates (contact, date, amount, status).</summary>
    public string? Description { get; init; }
}
