namespace SyncKit.Testing.Emulator;

/// <summary>Where an app's webhook stands in the emulator.</summary>
public enum EmulatorWebhookStatus
{
    /// <summary>Registered; the intent-to-receive check has not been answered yet.</summary>
    Pending = 0,

    /// <summary>The receiver answered the intent-to-receive check rightly (200 for a good signature, 401 for a bad one): events are delivered.</summary>
    Active = 1,

    /// <summary>The receiver answered the intent-to-receive check wrongly: nothing is delivered until it is registered again.</summary>
    IntentToReceiveFailed = 2,

    /// <summary>Deliveries failed for 24 hours (virtual time): Xero disabled the webhook, and the events are gone.</summary>
    Disabled = 3,
}

/// <summary>An app's webhook in the emulator: its delivery URL, its key, and what became of its deliveries.</summary>
public sealed record EmulatorWebhook
{
    /// <summary>The app's client id.</summary>
    public required string ClientId { get; init; }

    /// <summary>Where deliveries go (a loopback URL).</summary>
    public required Uri Url { get; init; }

    /// <summary>The webhook key deliveries are signed with (the app's Webhooks tab).</summary>
    public required string WebhookKey { get; init; }

    /// <summary>Its status.</summary>
    public required EmulatorWebhookStatus Status { get; init; }

    /// <summary>Deliveries the receiver answered 200.</summary>
    public int Delivered { get; init; }

    /// <summary>Delivery attempts that failed (dropped, refused, or answered other than 200).</summary>
    public int FailedAttempts { get; init; }

    /// <summary>Deliveries waiting (for their time, or for a retry).</summary>
    public int Waiting { get; init; }

    /// <summary>Events in deliveries the receiver answered 200.</summary>
    public int EventsDelivered { get; init; }
}
