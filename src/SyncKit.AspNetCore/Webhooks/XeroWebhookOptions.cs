namespace SyncKit.AspNetCore.Webhooks;

/// <summary>Settings for the Xero webhook receiver and its background processor.</summary>
public sealed class XeroWebhookOptions
{
    /// <summary>The webhook key from the app's Webhooks tab in the Xero developer portal (one per app). Required.</summary>
    public string WebhookKey { get; set; } = string.Empty;

    /// <summary>
    /// How long an event waits in the inbox before its pull: events of one tenant received within this window become one
    /// targeted pull. Defaults to 5 seconds.
    /// </summary>
    public TimeSpan Debounce { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the background processor looks for events to pull. Defaults to 2 seconds.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a processor holds the events it claimed: a node that stops part-way loses them after this, and another
    /// node pulls them. Longer than a pull takes. Defaults to 10 minutes.
    /// </summary>
    public TimeSpan ClaimFor { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The most events claimed at once. Defaults to 500.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>
    /// How often every tenant is pulled from its watermarks (<c>If-Modified-Since</c>), whatever the webhooks said: Xero
    /// delivers no history and disables a webhook after 24 hours of failed deliveries, so this catches what they missed.
    /// Defaults to 1 hour; <see cref="TimeSpan.Zero"/> turns it off.
    /// </summary>
    public TimeSpan ReconcileEvery { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Whether an Invoice event also pulls payments from their watermark (Xero sends no payment events; a paid invoice is
    /// an Invoice event). Only when the host registered a payment target. Defaults to true.
    /// </summary>
    public bool PullPaymentsOnInvoiceEvents { get; set; } = true;

    /// <summary>The largest delivery body read (Xero's are small: ids only). Larger ones get 413. Defaults to 1 MB.</summary>
    public int MaxBodyBytes { get; set; } = 1024 * 1024;
}
