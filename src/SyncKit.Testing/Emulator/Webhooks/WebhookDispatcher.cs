using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using SyncKit.Testing.Emulator.Http;
using SyncKit.Testing.Emulator.State;

namespace SyncKit.Testing.Emulator.Webhooks;

/// <summary>
/// Xero's webhooks, emulated: one webhook per app, events for every write to a Contact, Invoice or CreditNote of a tenant the
/// app is connected to, signed deliveries to a loopback URL, retries with decreasing frequency on the virtual clock, and
/// the webhook disabled after 24 hours of failures. A write only queues its delivery: sending happens on a pump of its own
/// (or <see cref="DeliverDueAsync"/>), never inside the request that wrote.
/// </summary>
internal sealed class WebhookDispatcher : IAsyncDisposable
{
    /// <summary>Xero's categories, with the collection each watches and the id field its records carry.</summary>
    private static readonly (string Category, string Collection, string IdField)[] s_watched =
        [("CONTACT", "Contacts", "ContactID"), ("INVOICE", "Invoices", "InvoiceID"), ("CREDITNOTE", "CreditNotes", "CreditNoteID")];

    /// <summary>After the n-th failed attempt the next comes this much later (the last step repeats): less and less often.</summary>
    private static readonly TimeSpan[] s_retryAfter =
        [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(4), TimeSpan.FromHours(8)];

    /// <summary>Xero disables a webhook whose deliveries have failed for this long.</summary>
    public static readonly TimeSpan DisableAfter = TimeSpan.FromHours(24);

    private readonly EmulatorHost _host;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Subscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly List<Delivery> _queue = [];
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpClient _http;
    private Task? _pump;
    private long _sequence;

    public WebhookDispatcher(EmulatorHost host)
    {
        _host = host;
        _http = new HttpClient(host.Options.WebhookHandler ?? new SocketsHttpHandler(), disposeHandler: host.Options.WebhookHandler is null) { Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Deliveries fail without reaching the receiver (as an outage would), and are retried.</summary>
    public bool Drop { get; set; }

    /// <summary>New deliveries wait this long (virtual time) before their first attempt.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Creates (or replaces) an app's webhook with a new key, as the developer portal does: nothing is sent yet.</summary>
    public EmulatorWebhook Create(string clientId, Uri url)
    {
        EmulatorServer.LoopbackAddress(url);
        lock (_gate)
        {
            var subscription = new Subscription(clientId, url, _host.Ids.NewToken(48));
            _subscriptions[clientId] = subscription;
            _queue.RemoveAll(d => d.Subscription.ClientId == clientId);
            return subscription.Snapshot(0);
        }
    }

    /// <summary>
    /// Queues Xero's intent-to-receive check: one delivery signed rightly (wants 200) and one wrongly (wants 401), no events.
    /// Returns false when the app has no webhook.
    /// </summary>
    public bool QueueIntentToReceive(string clientId)
    {
        lock (_gate)
        {
            if (!_subscriptions.TryGetValue(clientId, out var subscription))
            {
                return false;
            }

            subscription.Status = EmulatorWebhookStatus.Pending;
            subscription.IntentAsked = 0;
            subscription.IntentAnswers = 0;
            var now = _host.Clock.GetUtcNow();
            var body = Payload([], 0, 0);
            _queue.Add(new Delivery(subscription, body, 0, now) { Intent = Intent.Good });
            _queue.Add(new Delivery(subscription, body, 0, now) { Intent = Intent.Bad });
            EnsurePump();
            return true;
        }
    }

    public EmulatorWebhook? Find(string clientId)
    {
        lock (_gate)
        {
            return _subscriptions.TryGetValue(clientId, out var s) ? s.Snapshot(Waiting(s)) : null;
        }
    }

    public IReadOnlyList<EmulatorWebhook> All()
    {
        lock (_gate)
        {
            return [.. _subscriptions.Values.OrderBy(s => s.ClientId, StringComparer.Ordinal).Select(s => s.Snapshot(Waiting(s)))];
        }
    }

    /// <summary>Before a write: what the watched collections hold, or null when no active webhook could hear of the tenant.</summary>
    public Dictionary<(string Category, string Id), (JsonObject Entity, string? Updated)>? Watch(TenantState tenant)
    {
        lock (_gate)
        {
            if (!_subscriptions.Values.Any(s => s.Status == EmulatorWebhookStatus.Active))
            {
                return null;
            }
        }

        return Index(tenant);
    }

    /// <summary>After a write: queues an event per record created or changed, for each active webhook of an app connected to the tenant.</summary>
    public void Changed(TenantState tenant, Dictionary<(string Category, string Id), (JsonObject Entity, string? Updated)> before)
    {
        var now = _host.Clock.GetUtcNow();
        var events = new List<JsonObject>();
        foreach (var (key, after) in Index(tenant))
        {
            var type = !before.TryGetValue(key, out var was) ? "CREATE"
                : !ReferenceEquals(was.Entity, after.Entity) || was.Updated != after.Updated ? "UPDATE"
                : null;
            if (type is null)
            {
                continue;
            }

            var collection = s_watched.First(w => w.Category == key.Category).Collection;
            events.Add(new JsonObject
            {
                ["resourceUrl"] = $"https://api.xero.com/api.xro/2.0/{collection}/{key.Id}",
                ["resourceId"] = key.Id,
                ["eventDateUtc"] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture),
                ["eventType"] = type,
                ["eventCategory"] = key.Category,
                ["tenantId"] = tenant.TenantId.ToString(),
                ["tenantType"] = "ORGANISATION",
            });
        }

        if (events.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            foreach (var subscription in _subscriptions.Values.Where(s => s.Status == EmulatorWebhookStatus.Active))
            {
                var app = _host.Tokens.FindApp(subscription.ClientId);
                if (app is null || !_host.Tokens.IsConnected(app, tenant.TenantId))
                {
                    continue;
                }

                var first = _sequence + 1;
                _sequence += events.Count;
                var body = Payload([.. events.Select(e => (JsonNode)e.DeepClone())], first, _sequence);
                _queue.Add(new Delivery(subscription, body, events.Count, now + Delay));
            }
        }

        _wake.Release();
    }

    /// <summary>Sends every delivery due now (virtual time), one at a time, and returns how many attempts were made.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        await _sending.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var attempts = 0;
            while (true)
            {
                Delivery? next;
                lock (_gate)
                {
                    var now = _host.Clock.GetUtcNow();
                    next = _queue.Where(d => d.DueAt <= now).OrderBy(d => d.DueAt).ThenBy(d => d.Order).FirstOrDefault();
                    if (next is null)
                    {
                        return attempts;
                    }

                    _queue.Remove(next);
                }

                attempts++;
                var status = next.Intent == Intent.None && Drop ? (HttpStatusCode?)null : await SendAsync(next, cancellationToken).ConfigureAwait(false);
                Settle(next, status);
            }
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>Wakes the pump (the clock moved).</summary>
    public void Wake() => _wake.Release();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_pump is not null)
        {
            try
            {
                await _pump.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
        }

        _http.Dispose();
        _stop.Dispose();
    }

    private void Settle(Delivery delivery, HttpStatusCode? status)
    {
        var now = _host.Clock.GetUtcNow();
        lock (_gate)
        {
            var subscription = delivery.Subscription;
            if (!ReferenceEquals(_subscriptions.GetValueOrDefault(subscription.ClientId), subscription))
            {
                return; // Registered again since: this one's answers no longer count.
            }

            if (delivery.Intent != Intent.None)
            {
                var right = delivery.Intent == Intent.Good ? status == HttpStatusCode.OK : status == HttpStatusCode.Unauthorized;
                subscription.IntentAnswers += right ? 1 : 0;
                subscription.IntentAsked++;
                if (subscription.IntentAsked == 2)
                {
                    subscription.Status = subscription.IntentAnswers == 2 ? EmulatorWebhookStatus.Active : EmulatorWebhookStatus.IntentToReceiveFailed;
                }

                return;
            }

            if (status == HttpStatusCode.OK)
            {
                subscription.Delivered++;
                subscription.EventsDelivered += delivery.Events;
                subscription.FailingSince = null;
                return;
            }

            subscription.FailedAttempts++;
            subscription.FailingSince ??= now;
            if (now - subscription.FailingSince >= DisableAfter)
            {
                // Xero gives up: the webhook is disabled and its deliveries (with their events) are lost.
                subscription.Status = EmulatorWebhookStatus.Disabled;
                _queue.RemoveAll(d => ReferenceEquals(d.Subscription, subscription));
                return;
            }

            var wait = s_retryAfter[Math.Min(delivery.Attempts, s_retryAfter.Length - 1)];
            _queue.Add(delivery with { DueAt = now + wait, Attempts = delivery.Attempts + 1 });
        }
    }

    private async Task<HttpStatusCode?> SendAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        var key = delivery.Intent == Intent.Bad ? delivery.Subscription.Key + "-wrong" : delivery.Subscription.Key;
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Subscription.Url)
        {
            Content = new ByteArrayContent(delivery.Body),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("x-xero-signature", Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), delivery.Body)));
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null; // Timed out.
        }
    }

    private void EnsurePump()
    {
        _pump ??= Task.Run(() => PumpAsync(_stop.Token));
        _wake.Release();
    }

    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await DeliverDueAsync(cancellationToken).ConfigureAwait(false);
            TimeSpan? wait;
            lock (_gate)
            {
                wait = _queue.Count == 0 ? null : _queue.Min(d => d.DueAt) - _host.Clock.GetUtcNow();
            }

            using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var waits = new List<Task> { _wake.WaitAsync(cancellationToken) };
            if (wait is { } w)
            {
                waits.Add(Task.Delay(w > TimeSpan.Zero ? w : TimeSpan.Zero, _host.Clock, timer.Token));
            }

            await Task.WhenAny(waits).ConfigureAwait(false);
            await timer.CancelAsync().ConfigureAwait(false);
        }
    }

    private int Waiting(Subscription subscription) => _queue.Count(d => ReferenceEquals(d.Subscription, subscription) && d.Intent == Intent.None);

    private static Dictionary<(string Category, string Id), (JsonObject Entity, string? Updated)> Index(TenantState tenant)
    {
        var index = new Dictionary<(string, string), (JsonObject, string?)>();
        foreach (var (category, collection, idField) in s_watched)
        {
            foreach (var entity in tenant.Set(collection).All)
            {
                if (XeroJson.GetString(entity, idField) is { } id)
                {
                    index[(category, id)] = (entity, XeroJson.GetString(entity, "UpdatedDateUTC"));
                }
            }
        }

        return index;
    }

    private byte[] Payload(JsonNode[] events, long first, long last) => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["events"] = new JsonArray(events),
        ["firstEventSequence"] = first,
        ["lastEventSequence"] = last,
        ["entropy"] = _host.Ids.NewHex(20),
    }.ToJsonString());

    private enum Intent
    {
        None = 0,
        Good = 1,
        Bad = 2,
    }

    private sealed class Subscription(string clientId, Uri url, string key)
    {
        public string ClientId { get; } = clientId;

        public Uri Url { get; } = url;

        public string Key { get; } = key;

        public EmulatorWebhookStatus Status { get; set; }

        public int IntentAsked { get; set; }

        public int IntentAnswers { get; set; }

        public int Delivered { get; set; }

        public int EventsDelivered { get; set; }

        public int FailedAttempts { get; set; }

        public DateTimeOffset? FailingSince { get; set; }

        public EmulatorWebhook Snapshot(int waiting) => new()
        {
            ClientId = ClientId,
            Url = Url,
            WebhookKey = Key,
            Status = Status,
            Delivered = Delivered,
            FailedAttempts = FailedAttempts,
            Waiting = waiting,
            EventsDelivered = EventsDelivered,
        };
    }

    private static long s_order;

    private sealed record Delivery(Subscription Subscription, byte[] Body, int Events, DateTimeOffset DueAt)
    {
        public Intent Intent { get; init; }

        public int Attempts { get; init; }

        public long Order { get; } = Interlocked.Increment(ref s_order);
    }
}
