namespace SyncKit.Testing.Emulator;

/// <summary>Settings for a <see cref="XeroEmulator"/>.</summary>
public sealed class XeroEmulatorOptions
{
    /// <summary>
    /// The emulator's clock. Pass the test's <c>FakeTimeProvider</c> so token expiry, rate-limit windows and
    /// dates follow the test; defaults to the system clock (advanced through an offset).
    /// </summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>Seed for ids, tokens and probabilistic faults; the same seed and calls give the same state.</summary>
    public int Seed { get; init; } = 20260101;

    /// <summary>Base address used by the in-process handler. Defaults to <c>https://xero.emulator.local/</c>.</summary>
    public Uri? BaseAddress { get; init; }

    /// <summary>Calls per minute per app across all tenants (Xero: 10,000).</summary>
    public int AppMinuteLimit { get; init; } = 10_000;

    /// <summary>Default calls per minute per tenant (Xero: 60).</summary>
    public int MinuteLimit { get; init; } = 60;

    /// <summary>Default calls per day per tenant (Xero: 5,000).</summary>
    public int DayLimit { get; init; } = 5_000;

    /// <summary>Default calls in flight per tenant (Xero: 5).</summary>
    public int ConcurrentLimit { get; init; } = 5;

    /// <summary>When true (the default, as Xero) a call without <c>Accept: application/json</c> gets 406.</summary>
    public bool RequireJsonAccept { get; init; } = true;

    /// <summary>The <c>ProviderName</c> in response envelopes (Xero echoes the app's name).</summary>
    public string ProviderName { get; init; } = "SyncKit Xero Emulator";

    /// <summary>
    /// What webhook deliveries are sent through: null for real HTTP to the registered loopback URL; a test's in-process
    /// server handler (ASP.NET Core's <c>TestServer.CreateHandler()</c>) to deliver without sockets.
    /// </summary>
    public HttpMessageHandler? WebhookHandler { get; init; }
}
