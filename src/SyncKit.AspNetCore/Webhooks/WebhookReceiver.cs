using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SyncKit.Storage;
using SyncKit.Xero;

namespace SyncKit.AspNetCore.Webhooks;

/// <summary>
/// The endpoint Xero posts to: checks the signature over the raw body, stores the events in the durable inbox, answers.
/// Nothing is pulled here — Xero wants its 200 within 5 seconds — the background processor does that.
/// </summary>
internal sealed partial class WebhookReceiver(WebhookInbox inbox, IOptionsMonitor<XeroWebhookOptions> options, TimeProvider time, ILogger<WebhookReceiver> logger)
{
    public async Task<IResult> ReceiveAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var body = await ReadBodyAsync(request, settings.MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        // Also Xero's "intent to receive" check: it sends good and bad signatures and wants 200 and 401.
        if (!XeroWebhooks.IsSignatureValid(body, request.Headers["x-xero-signature"].ToString(), settings.WebhookKey))
        {
            LogBadSignature(logger, body.Length);
            return Results.StatusCode(StatusCodes.Status401Unauthorized);
        }

        IReadOnlyList<XeroWebhookEvent> events;
        try
        {
            events = XeroWebhooks.ParseEvents(body);
        }
        catch (JsonException)
        {
            // Signed by Xero but not a payload we can read: a 400 makes Xero retry; reconciliation covers it meanwhile.
            LogUnreadable(logger, body.Length);
            return Results.StatusCode(StatusCodes.Status400BadRequest);
        }

        var now = time.GetUtcNow();
        var stored = events
            .Where(e => e.TenantId.Length > 0 && e.ResourceId.Length > 0)
            .Select(e => new WebhookEvent
            {
                EventId = WebhookEventIdentity.Of(e),
                TenantId = e.TenantId,
                Category = e.Category.ToUpperInvariant(),
                EventType = e.Type.ToUpperInvariant(),
                ResourceId = e.ResourceId,
                OccurredAt = e.OccurredAt,
                ReceivedAt = now,
            })
            .DistinctBy(e => e.EventId)
            .ToList();
        var added = stored.Count == 0 ? 0 : await inbox.AddAsync(stored, cancellationToken).ConfigureAwait(false);
        LogReceived(logger, events.Count, added);
        return Results.Ok();
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    [LoggerMessage(2001, LogLevel.Warning, "A Xero webhook delivery of {Bytes} bytes had a missing or wrong x-xero-signature; answered 401 (Xero's intent-to-receive check sends such deliveries on purpose).")]
    private static partial void LogBadSignature(ILogger logger, int bytes);

    [LoggerMessage(2002, LogLevel.Warning, "A signed Xero webhook delivery of {Bytes} bytes is not a webhook payload; answered 400.")]
    private static partial void LogUnreadable(ILogger logger, int bytes);

    [LoggerMessage(2003, LogLevel.Debug, "Xero webhook delivery: {Events} events, {Added} new, stored for the background processor.")]
    private static partial void LogReceived(ILogger logger, int events, int added);
}
