using System.Data.Common;

namespace SyncKit.Storage.Relational;

/// <summary>The webhook inbox in a relational database: claims are one UPDATE each, so two nodes never claim one event.</summary>
internal class RelationalWebhookInbox(RelationalDatabase database) : WebhookInbox
{
    private readonly RelationalSql _sql = database.Sql;
    private readonly RelationalDialect _dialect = database.Dialect;

    public override async Task<int> AddAsync(IReadOnlyList<WebhookEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        var added = 0;

        // One insert per event, each idempotent: a delivery stopped part-way is redelivered and the rest lands.
        foreach (var e in events)
        {
            added += await database.WriteAsync(
                _sql.WebhookAdd,
                c =>
                {
                    _dialect.AddText(c, "event_id", e.EventId);
                    _dialect.AddText(c, "tenant_id", e.TenantId);
                    _dialect.AddText(c, "category", e.Category);
                    _dialect.AddText(c, "event_type", e.EventType);
                    _dialect.AddText(c, "resource_id", e.ResourceId);
                    _dialect.AddTime(c, "occurred_at", e.OccurredAt);
                    _dialect.AddTime(c, "received_at", e.ReceivedAt);
                },
                cancellationToken).ConfigureAwait(false);
        }

        return added;
    }

    public override async Task<IReadOnlyList<WebhookEvent>> ClaimAsync(string claimId, DateTimeOffset now, DateTimeOffset claimUntil, DateTimeOffset receivedBefore, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(claimId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var claimed = new List<WebhookEvent>();
        await database.ReadAllAsync(
            _sql.WebhookClaim,
            c =>
            {
                _dialect.AddText(c, "claim_id", claimId);
                _dialect.AddTime(c, "claim_until", claimUntil);
                _dialect.AddTime(c, "now", now);
                _dialect.AddTime(c, "received_before", receivedBefore);
                _dialect.AddInteger(c, "limit", limit);
            },
            r => claimed.Add(Read(r)),
            cancellationToken).ConfigureAwait(false);
        return [.. claimed.OrderBy(e => e.ReceivedAt).ThenBy(e => e.EventId, StringComparer.Ordinal)];
    }

    public override Task<int> CompleteAsync(string claimId, IReadOnlyCollection<string> eventIds, WebhookEventState state, string? message, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        return eventIds.Count == 0
            ? Task.FromResult(0)
            : database.WriteAsync(
                _sql.WebhookComplete,
                c =>
                {
                    _dialect.AddText(c, "claim_id", claimId);
                    _dialect.AddTexts(c, "event_ids", eventIds);
                    _dialect.AddInteger(c, "state", (int)state);
                    _dialect.AddText(c, "message", message);
                    _dialect.AddTime(c, "now", now);
                },
                cancellationToken);
    }

    public override Task<int> ReleaseAsync(string claimId, IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        return eventIds.Count == 0
            ? Task.FromResult(0)
            : database.WriteAsync(
                _sql.WebhookRelease,
                c =>
                {
                    _dialect.AddText(c, "claim_id", claimId);
                    _dialect.AddTexts(c, "event_ids", eventIds);
                },
                cancellationToken);
    }

    public override async Task<IReadOnlyDictionary<string, WebhookEvent>> GetAsync(IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        var found = new Dictionary<string, WebhookEvent>(StringComparer.Ordinal);
        if (eventIds.Count == 0)
        {
            return found;
        }

        await database.ReadAllAsync(
            _sql.WebhookGetMany,
            c => _dialect.AddTexts(c, "event_ids", eventIds),
            r =>
            {
                var e = Read(r);
                found[e.EventId] = e;
            },
            cancellationToken).ConfigureAwait(false);
        return found;
    }

    public override async Task<DateTimeOffset?> GetLastReceivedAsync(string? tenantId = null, CancellationToken cancellationToken = default)
    {
        DateTimeOffset? last = null;
        await database.ReadAllAsync(
            _sql.WebhookLastReceived,
            c => _dialect.AddText(c, "tenant_id", tenantId),
            r => last = _dialect.ReadNullableTime(r, 0),
            cancellationToken).ConfigureAwait(false);
        return last;
    }

    private WebhookEvent Read(DbDataReader r) => new()
    {
        EventId = r.GetString(0),
        TenantId = r.GetString(1),
        Category = r.GetString(2),
        EventType = r.GetString(3),
        ResourceId = r.GetString(4),
        OccurredAt = _dialect.ReadNullableTime(r, 5),
        ReceivedAt = _dialect.ReadTime(r, 6),
        State = (WebhookEventState)r.GetInt32(7),
        Attempts = r.GetInt32(8),
        CompletedAt = _dialect.ReadNullableTime(r, 9),
        Message = RelationalDialect.ReadNullableString(r, 10),
    };
}
