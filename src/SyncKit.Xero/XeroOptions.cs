namespace SyncKit.Xero;

/// <summary>Options of the Xero connector.</summary>
/// <remarks>
/// The base URLs default to Xero's production hosts. To use the SyncKit emulator, point all three at it
/// (for example <c>http://127.0.0.1:5080/</c>): the connector appends <c>api.xro/2.0/</c>, <c>connections</c>,
/// <c>connect/token</c>, <c>identity/connect/authorize</c> and <c>practicemanager/3.1/</c> itself.
/// </remarks>
public sealed class XeroOptions
{
    /// <summary>The app's OAuth2 client id (from the Xero developer portal). Required.</summary>
    public string? ClientId { get; set; }

    /// <summary>The app's client secret. Required for custom connections and confidential (web) apps; omit for PKCE-only public clients.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The redirect URI registered for the app; required for the authorization-code flow.</summary>
    public Uri? RedirectUri { get; set; }

    /// <summary>
    /// The scopes to ask for at consent (and for custom connections, at the client-credentials grant). Empty (the default):
    /// SyncKit derives granular scopes from the kinds the host syncs — see <see cref="XeroScopes"/>.
    /// </summary>
    /// <remarks>
    /// Set it only for an app created before 2 March 2026 that keeps the broad scopes (for example
    /// <c>offline_access accounting.transactions accounting.contacts accounting.settings</c>): apps created since then are
    /// refused at consent when they ask for <c>accounting.transactions</c>. Whatever is asked for, SyncKit reads the
    /// scopes the connection was granted from the token answer and never calls Xero for a kind they do not cover.
    /// </remarks>
    public IList<string> Scopes { get; } = [];

    /// <summary>The app's Xero developer tier (since March 2026); sets the daily call limit and egress allowance unless they are set.</summary>
    public XeroTier? Tier { get; set; }

    /// <summary>Calls per organisation per day; by default the tier's (Starter 1,000; otherwise 5,000). Xero's <c>X-DayLimit-Remaining</c> lowers it further.</summary>
    public int? DailyCallLimit { get; set; }

    /// <summary>
    /// Calls per organisation per day kept for work a user started (a re-sync, Sync All): background runs stop when only
    /// this many are left (default: a tenth of the daily limit).
    /// </summary>
    public int? DailyCallReserve { get; set; }

    /// <summary>Bytes the app may pull from Xero a month before egress is billed; by default the tier's (Core 10 GB, Plus 50 GB, Advanced 250 GB).</summary>
    public long? MonthlyEgressAllowanceBytes { get; set; }

    /// <summary>Use a custom connection (client-credentials grant, one organisation, no refresh token).</summary>
    public bool UseCustomConnection { get; set; }

    /// <summary>The host of the Accounting, connections and Practice Manager APIs (<c>https://api.xero.com/</c>).</summary>
    public Uri ApiBaseUrl { get; set; } = new("https://api.xero.com/");

    /// <summary>The host of the token endpoint (<c>https://identity.xero.com/</c>).</summary>
    public Uri IdentityBaseUrl { get; set; } = new("https://identity.xero.com/");

    /// <summary>The host of the consent page (<c>https://login.xero.com/</c>).</summary>
    public Uri LoginBaseUrl { get; set; } = new("https://login.xero.com/");

    /// <summary>
    /// The 32-byte AES key (base64) that protects stored tokens when no other <see cref="ITokenProtector"/>
    /// is registered. Keep it in a secret store; losing it means every connection must be made again.
    /// </summary>
    public string? TokenEncryptionKey { get; set; }

    /// <summary>Earlier token encryption keys (base64, 32 bytes each), still accepted for reading while a key is rotated.</summary>
    /// <remarks>
    /// To rotate: set <see cref="TokenEncryptionKey"/> to the new key and add the old one here; tokens are then read with
    /// either and written with the new one. Run <see cref="Identity.XeroTokenReEncryptor.ReEncryptAllAsync"/> once to
    /// rewrite every stored token under the new key, then remove the old key. No connection has to be made again.
    /// </remarks>
    public IList<string> PreviousTokenEncryptionKeys { get; } = [];

    /// <summary>The token-store key of the connection that serves a tenant; by default the tenant id itself.</summary>
    /// <remarks>A refresh token covers every organisation its user connected: hosts that connect several organisations with one consent map them all to one key.</remarks>
    public Func<string, string>? ConnectionKeyForTenant { get; set; }

    /// <summary>The Xero tenant id (the <c>xero-tenant-id</c> header) of a SyncKit tenant; by default the tenant id itself.</summary>
    public Func<string, string>? XeroTenantIdForTenant { get; set; }

    /// <summary>Whether tenants also use Xero Practice Manager: reference data then includes the practice's current jobs.</summary>
    public bool UsePracticeManager { get; set; }

    /// <summary>
    /// Whether a SyncKit tenant is a Practice Manager practice only (Xero tenant type PRACTICEMANAGER), not an
    /// accounting organisation: its reference data is then read from Practice Manager alone. By default no tenant is.
    /// </summary>
    public Func<string, bool>? IsPracticeManagerTenant { get; set; }

    /// <summary>The Practice Manager tenant id (the practice's <c>xero-tenant-id</c>) of a SyncKit tenant; by default the Xero tenant id.</summary>
    public Func<string, string>? PracticeManagerTenantIdForTenant { get; set; }

    /// <summary>How long before expiry an access token is refreshed (default 5 minutes).</summary>
    public TimeSpan TokenRefreshSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Elements per Accounting write (Xero's guidance: 50; 1–100).</summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>Items per write (Xero allows up to 500; default 50).</summary>
    public int ItemBatchSize { get; set; } = 50;

    /// <summary>Calls in flight per tenant (Xero: 5).</summary>
    public int MaxConcurrentCallsPerTenant { get; set; } = 5;

    /// <summary>Calls per minute per tenant (Xero: 60); lowered further by <c>X-MinLimit-Remaining</c>.</summary>
    public int CallsPerMinutePerTenant { get; set; } = 60;

    /// <summary>Calls per minute for the whole app, all tenants (Xero: 10,000); lowered further by <c>X-AppMinLimit-Remaining</c>.</summary>
    public int AppCallsPerMinute { get; set; } = 10_000;

    /// <summary>
    /// How many nodes share the app's calls a minute (default 1). Each node budgets <see cref="AppCallsPerMinute"/> ÷ this,
    /// and takes only that share of what <c>X-AppMinLimit-Remaining</c> says is left: the header counts every node's
    /// calls, and without a share each node would spend all of what remains at once (429 storms near the app limit).
    /// </summary>
    public int AppBudgetNodes { get; set; } = 1;

    /// <summary>How many times a minute, app-minute or concurrent 429 is waited out and retried (default 3).</summary>
    public int MaxRateLimitRetries { get; set; } = 3;

    /// <summary>Retries of a GET, or of a write that carries an Idempotency-Key, after a 5xx or transport error (default 3).</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>The first retry delay; later ones back off exponentially with jitter (default 2 seconds).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The timeout of one attempt (default 100 seconds: large batches are slow).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Read page size (1–1000; default 100).</summary>
    public int PageSize { get; set; } = 100;

    /// <summary>The daily call limit in force: <see cref="DailyCallLimit"/>, else the tier's, else 5,000.</summary>
    internal int EffectiveDailyCallLimit => DailyCallLimit ?? (Tier is { } tier ? XeroTiers.DailyCallLimit(tier) : XeroTiers.DefaultDailyCallLimit);

    /// <summary>The calls a day kept for user-initiated work: <see cref="DailyCallReserve"/>, else a tenth of the limit.</summary>
    internal int EffectiveDailyCallReserve => DailyCallReserve ?? EffectiveDailyCallLimit / 10;

    /// <summary>The monthly egress allowance in force, or null when none is known.</summary>
    internal long? EffectiveMonthlyEgressAllowanceBytes => MonthlyEgressAllowanceBytes ?? (Tier is { } tier ? XeroTiers.MonthlyEgressAllowanceBytes(tier) : null);

    /// <summary>The Practice Manager job states that accept costs (default "In Progress").</summary>
    public IList<string> JobStatesAcceptingCosts { get; } = ["In Progress"];
}
