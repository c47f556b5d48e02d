namespace SyncKit.Storage;

/// <summary>What became of one webhook event received from the ledger.</summary>
public enum WebhookEventState
{
    /// <summary>Received and stored; waiting for the background processor (or claimed by it and not finished).</summary>
    Received = 1,

    /// <summary>Its record was pulled.</summary>
    Processed = 2,

    /// <summary>Nothing to do: a category SyncKit does not sync, or a tenant it does not know.</summary>
    Ignored = 3,
}

/// <summary>One webhook event as the receiver stored it: ids only (the record is read by a targeted pull).</summary>
public sealed record WebhookEvent
{
    /// <summary>
    /// The event's identity: the same event delivered twice (Xero retries, a replayed request) has the same id, so it is
    /// stored once.
    /// </summary>
    public required string EventId { get; init; }

    /// <summary>The tenant (Xero's organisation id).</summary>
    public required string TenantId { get; init; }

    /// <summary>The ledger's category: CONTACT, INVOICE, CREDITNOTE, or one added since.</summary>
    public required string Category { get; init; }

    /// <summary>CREATE or UPDATE.</summary>
    public required string EventType { get; init; }

    /// <summary>The id of the record that changed.</summary>
    public required string ResourceId { get; init; }

    /// <summary>When it happened in the ledger.</summary>
    public DateTimeOffset? OccurredAt { get; init; }

    /// <summary>When the receiver stored it.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>Its state.</summary>
    public WebhookEventState State { get; init; } = WebhookEventState.Received;

    /// <summary>How many times a processor claimed it (more than one: a processor stopped part-way and another took it over).</summary>
    public int Attempts { get; init; }

    /// <summary>When it was processed or ignored.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Why it was ignored, or what the pull said.</summary>
    public string? Message { get; init; }
}

/// <summary>
/// The durable inbox of webhook events: the receiver stores each delivery's events here before it answers, and a background
/// processor claims them (one node at a time, with a claim that expires so a crash re-processes) and pulls their records.
/// </summary>
/// <remarks>Members added in later versions arrive virtual with a safe default.</remarks>
public abstract class WebhookInbox
{
    /// <summary>Stores events not stored before (by <see cref="WebhookEvent.EventId"/>); events already held are left as they are.</summary>
    /// <param name="events">The events.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>How many were new.</returns>
    public abstract Task<int> AddAsync(IReadOnlyList<WebhookEvent> events, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims up to <paramref name="limit"/> events in state <see cref="WebhookEventState.Received"/>, received at or before
    /// <paramref name="receivedBefore"/>, that no one holds (never claimed, or whose claim ran out), oldest first: each is
    /// claimed by one caller only, until <paramref name="claimUntil"/>, and its attempts go up by one.
    /// </summary>
    /// <param name="claimId">The claimer's id for this claim (given back to <see cref="CompleteAsync"/>).</param>
    /// <param name="now">The time now: claims that ran out before it are free.</param>
    /// <param name="claimUntil">When this claim runs out.</param>
    /// <param name="receivedBefore">Only events received at or before this time (the debounce).</param>
    /// <param name="limit">The most events.</param>
    /// <param name="cancellationToken">Cancels the claim.</param>
    /// <returns>The events claimed.</returns>
    public abstract Task<IReadOnlyList<WebhookEvent>> ClaimAsync(string claimId, DateTimeOffset now, DateTimeOffset claimUntil, DateTimeOffset receivedBefore, int limit, CancellationToken cancellationToken = default);

    /// <summary>Marks events done, when (and only when) <paramref name="claimId"/> still holds them.</summary>
    /// <param name="claimId">The claim.</param>
    /// <param name="eventIds">The events.</param>
    /// <param name="state"><see cref="WebhookEventState.Processed"/> or <see cref="WebhookEventState.Ignored"/>.</param>
    /// <param name="message">What to record.</param>
    /// <param name="now">The time now.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>How many were marked.</returns>
    public abstract Task<int> CompleteAsync(string claimId, IReadOnlyCollection<string> eventIds, WebhookEventState state, string? message, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Gives events back unfinished (a pull that could not run now), so the next claim takes them again.</summary>
    /// <param name="claimId">The claim.</param>
    /// <param name="eventIds">The events.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>How many were released.</returns>
    public abstract Task<int> ReleaseAsync(string claimId, IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken = default);

    /// <summary>Reads events by id.</summary>
    /// <param name="eventIds">The ids.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The events found, by id.</returns>
    public abstract Task<IReadOnlyDictionary<string, WebhookEvent>> GetAsync(IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken = default);

    /// <summary>When the newest event or delivery was received: for one tenant, or for any when <paramref name="tenantId"/> is null.</summary>
    /// <param name="tenantId">The tenant, or null for all.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The time, or null when nothing was ever received.</returns>
    public abstract Task<DateTimeOffset?> GetLastReceivedAsync(string? tenantId = null, CancellationToken cancellationToken = default);
}
