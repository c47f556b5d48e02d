using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using SyncKit.Records;

namespace SyncKit.Xero;

/// <summary>Reads Xero webhook deliveries: the signature check and the events, CreditNote events (with their <c>data</c>) included.</summary>
/// <remarks>
/// A receiver checks <c>x-xero-signature</c> against the raw body with <see cref="IsSignatureValid"/> (401 when it fails,
/// which is also how Xero's "intent to receive" check is answered for a wrong key), then answers 200 with an empty body
/// within 5 seconds and handles the events afterwards. Xero adds categories without notice (Prepayment is announced):
/// an event of a category SyncKit does not know has a null <see cref="XeroWebhookEvent.Kind"/> and is to be ignored.
/// </remarks>
public static class XeroWebhooks
{
    /// <summary>Whether a delivery's <c>x-xero-signature</c> is the HMAC-SHA256 of its raw body with the webhook key (base64).</summary>
    /// <param name="body">The raw request body, exactly as received.</param>
    /// <param name="signature">The <c>x-xero-signature</c> header.</param>
    /// <param name="webhookKey">The webhook key from the app's Webhooks tab.</param>
    /// <returns>True when they match (compared in constant time).</returns>
    public static bool IsSignatureValid(ReadOnlySpan<byte> body, string? signature, string webhookKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(webhookKey);
        if (string.IsNullOrEmpty(signature))
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(webhookKey), body, expected);
        Span<byte> given = stackalloc byte[64];
        return Convert.TryFromBase64String(signature, given, out var length)
            && length == expected.Length
            && CryptographicOperations.FixedTimeEquals(expected, given[..length]);
    }

    /// <summary>Reads a delivery's events.</summary>
    /// <param name="body">The raw request body.</param>
    /// <returns>The events, in the order sent (an intent-to-receive check has none).</returns>
    /// <exception cref="JsonException">The body is not a webhook payload.</exception>
    public static IReadOnlyList<XeroWebhookEvent> ParseEvents(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        using var document = JsonDocument.ParseValue(ref reader);
        if (document.RootElement.ValueKind != JsonValueKind.Object
            || !document.RootElement.TryGetProperty("events", out var events)
            || events.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException("A Xero webhook body is an object with an 'events' array.");
        }

        var list = new List<XeroWebhookEvent>(events.GetArrayLength());
        foreach (var e in events.EnumerateArray())
        {
            var category = Text(e, "eventCategory") ?? string.Empty;
            list.Add(new XeroWebhookEvent
            {
                Category = category,
                Type = Text(e, "eventType") ?? string.Empty,
                ResourceId = Text(e, "resourceId") ?? string.Empty,
                ResourceUrl = Text(e, "resourceUrl"),
                TenantId = Text(e, "tenantId") ?? string.Empty,
                TenantType = Text(e, "tenantType"),
                OccurredAt = DateTimeOffset.TryParse(Text(e, "eventDateUtc"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) ? at : null,
                Kind = KindOf(category),
                Data = e.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
                    ? data.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.OrdinalIgnoreCase)
                    : new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase),
            });
        }

        return list;
    }

    /// <summary>The kind a category's events are about, or null for a category SyncKit does not sync (subscriptions, ones added later).</summary>
    /// <param name="category">The event's <c>eventCategory</c> (any case).</param>
    /// <returns>The kind, or null.</returns>
    public static RecordKind? KindOf(string category) => category.ToUpperInvariant() switch
    {
        "CONTACT" => RecordKind.Contact,
        "INVOICE" => RecordKind.Invoice,
        "CREDITNOTE" => RecordKind.CreditNote,
        _ => null,
    };

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>One event of a Xero webhook delivery: ids only (read the record to learn what changed).</summary>
public sealed record XeroWebhookEvent
{
    /// <summary>CONTACT, INVOICE, CREDITNOTE, SUBSCRIPTION, or a category added since (an open set).</summary>
    public required string Category { get; init; }

    /// <summary>CREATE or UPDATE (an open set).</summary>
    public required string Type { get; init; }

    /// <summary>The id of the record the event is about.</summary>
    public required string ResourceId { get; init; }

    /// <summary>The API address of the record.</summary>
    public string? ResourceUrl { get; init; }

    /// <summary>The organisation (or, for subscription events, the application).</summary>
    public required string TenantId { get; init; }

    /// <summary>ORGANISATION or APPLICATION.</summary>
    public string? TenantType { get; init; }

    /// <summary>When it happened.</summary>
    public DateTimeOffset? OccurredAt { get; init; }

    /// <summary>The kind to pull for it, or null: an event of a category SyncKit does not sync, to be ignored.</summary>
    public RecordKind? Kind { get; init; }

    /// <summary>Extra data some categories carry: CreditNote events have <c>Type</c> (ACCRECCREDIT, ACCPAYCREDIT) and <c>Status</c>.</summary>
    public IReadOnlyDictionary<string, string> Data { get; init; } = new Dictionary<string, string>();
}
