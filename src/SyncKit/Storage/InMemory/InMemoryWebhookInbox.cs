namespace SyncKit.Storage.InMemory;

/// <summary>Webhook events held in memory (one process: the claims only guard its own processors).</summary>
internal sealed class InMemoryWebhookInbox : WebhookInbox
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (WebhookEvent Event, string? ClaimId, DateTimeOffset? ClaimUntil)> _events = new(StringComparer.Ordinal);

    public override Task<int> AddAsync(IReadOnlyList<WebhookEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        cancellationToken.ThrowIfCancellationRequested();
        var added = 0;
        lock (_gate)
        {
            foreach (var e in events)
            {
                if (_events.TryAdd(e.EventId, (e, null, null)))
                {
                    added++;
                }
            }
        }

        return Task.FromResult(added);
    }

    public override Task<IReadOnlyList<WebhookEvent>> ClaimAsync(string claimId, DateTimeOffset now, DateTimeOffset claimUntil, DateTimeOffset receivedBefore, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(claimId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var free = _events.Values
                .Where(v => v.Event.State == WebhookEventState.Received && v.Event.ReceivedAt <= receivedBefore && (v.ClaimUntil is null || v.ClaimUntil < now))
                .OrderBy(v => v.Event.ReceivedAt).ThenBy(v => v.Event.EventId, StringComparer.Ordinal)
                .Take(limit)
                .Select(v => v.Event with { Attempts = v.Event.Attempts + 1 })
                .ToList();
            foreach (var e in free)
            {
                _events[e.EventId] = (e, claimId, claimUntil);
            }

            return Task.FromResult<IReadOnlyList<WebhookEvent>>(free);
        }
    }

    public override Task<int> CompleteAsync(string claimId, IReadOnlyCollection<string> eventIds, WebhookEventState state, string? message, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        cancellationToken.ThrowIfCancellationRequested();
        var done = 0;
        lock (_gate)
        {
            foreach (var id in eventIds)
            {
                if (_events.TryGetValue(id, out var held) && held.ClaimId == claimId && held.Event.State == WebhookEventState.Received)
                {
                    _events[id] = (held.Event with { State = state, Message = message, CompletedAt = now }, null, null);
                    done++;
                }
            }
        }

        return Task.FromResult(done);
    }

    public override Task<int> ReleaseAsync(string claimId, IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        cancellationToken.ThrowIfCancellationRequested();
        var released = 0;
        lock (_gate)
        {
            foreach (var id in eventIds)
            {
                if (_events.TryGetValue(id, out var held) && held.ClaimId == claimId && held.Event.State == WebhookEventState.Received)
                {
                    _events[id] = (held.Event, null, null);
                    released++;
                }
            }
        }

        return Task.FromResult(released);
    }

    public override Task<IReadOnlyDictionary<string, WebhookEvent>> GetAsync(IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyDictionary<string, WebhookEvent> found = eventIds
                .Distinct(StringComparer.Ordinal)
                .Where(_events.ContainsKey)
                .ToDictionary(id => id, id => _events[id].Event, StringComparer.Ordinal);
            return Task.FromResult(found);
        }
    }

    public override Task<DateTimeOffset?> GetLastReceivedAsync(string? tenantId = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var received = _events.Values.Where(v => tenantId is null || v.Event.TenantId == tenantId).Select(v => (DateTimeOffset?)v.Event.ReceivedAt);
            return Task.FromResult(received.Max());
        }
    }
}
