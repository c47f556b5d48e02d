using System.Net;
using System.Text.Json;
using System.Web;
using Microsoft.Extensions.DependencyInjection;
using SyncKit.Ledger;
using SyncKit.Mapping;
using SyncKit.Records;
using SyncKit.Runs;
using SyncKit.Storage;
using SyncKit.Testing.Emulator;
using SyncKit.Testing.Sources;
using SyncKit.Xero;

namespace SyncKit.EndToEnd.Tests;

/// <summary>
/// A host wired as a product would wire it — <c>AddXeroSync</c>, in-memory storage, a source per kind — whose Xero
/// is an in-process emulator sharing the test's <see cref="FakeTimeProvider"/>.
/// </summary>
internal sealed class XeroHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    private XeroHarness(DrivenTime time, XeroEmulator emulator)
    {
        Time = time;
        Emulator = emulator;
        Driver = new EmulatorTimeDriver(time, emulator);
    }

    public static readonly Uri RedirectUri = new("https://host.invalid/xero/callback");

    public DrivenTime Time { get; }

    /// <summary>Moves <see cref="Time"/> while work waits, and counts the calls it makes.</summary>
    public EmulatorTimeDriver Driver { get; }

    /// <summary>Requests the connector made to the token endpoint (refreshes, code exchanges).</summary>
    public int TokenRequests => Driver.TokenRequests;

    public XeroEmulator Emulator { get; }

    public EmulatorTenant Tenant { get; private set; } = null!;

    public string TenantId => Tenant.TenantId.ToString();

    public ServiceProvider Services { get; private set; } = null!;

    public ISyncEngine Engine => Services.GetRequiredService<ISyncEngine>();

    public LedgerStore LedgerStore => Services.GetRequiredService<LedgerStore>();

    public InMemorySourceSet Sources { get; } = new();











    /// <summary>Creates an emulator, one tenant in it and a host connected to that tenant.</summary>
    public static async Task<XeroHarness> CreateAsync(
        EmulatorTenantOptions? tenant = null,
        Action<XeroOptions>? xero = null,
        Action<SyncOptions>? engine = null,
        int seed = 42,
        bool passThroughCodes = true,
        EmulatorAppOptions? app = null,
        Action<ISyncKitBuilder>? configure = null)
    {
        var time = new DrivenTime(Start);
        var emulator = XeroEmulator.Create(new XeroEmulatorOptions { TimeProvider = time, Seed = seed });
        var harness = new XeroHarness(time, emulator);
        harness.Tenant = await emulator.CreateTenantAsync(tenant ?? new EmulatorTenantOptions { Name = "End to End Pty Ltd" });
        harness.App = app is null ? null : emulator.CreateApp(app);

        harness._build = () => Build(harness, time, emulator, xero, engine, passThroughCodes, configure);
        harness.Services = harness._build();
        if (harness.App is null)
        {
            await harness.ConnectAsync(harness.TenantId, harness.Tenant);
        }

        return harness;
    }

    /// <summary>Stops the host (its services disposed) and starts it again with the same configuration and storage.</summary>
    /// <remarks>Only a durable store (SQLite through <c>configure</c>) keeps anything across; the emulator keeps running.</remarks>
    public async Task RestartAsync()
    {
        await Services.DisposeAsync();
        Services = _build!();
    }

    private Func<ServiceProvider>? _build;

    private static ServiceProvider Build(
        XeroHarness harness,
        DrivenTime time,
        XeroEmulator emulator,
        Action<XeroOptions>? xero,
        Action<SyncOptions>? engine,
        bool passThroughCodes,
        Action<ISyncKitBuilder>? configure)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddLogging();
        var synckit = services
            .AddXeroSync(
                o =>
                {
                    o.ClientId = harness.App?.ClientId ?? harness.Tenant.ClientId;
                    o.ClientSecret = harness.App?.ClientSecret ?? harness.Tenant.ClientSecret;
                    o.ApiBaseUrl = o.IdentityBaseUrl = o.LoginBaseUrl = emulator.BaseAddress;
                    o.TokenEncryptionKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
                    o.RedirectUri = RedirectUri;
                    xero?.Invoke(o);
                },
                o =>
                {
                    if (passThroughCodes)
                    {
                        // The host's keys are Xero's codes already (account codes, tax types).
                        o.PassThroughMappings.Add(MappingKind.Account);
                        o.PassThroughMappings.Add(MappingKind.TaxRate);
                        o.PassThroughMappings.Add(MappingKind.PaymentTerms);
                    }

                    engine?.Invoke(o);
                })
            .UseInMemoryStorage()
            .ConfigureXeroHttpClients(b => b.ConfigurePrimaryHttpMessageHandler(harness.Driver.CreateHandler));
        harness.Sources.AddTo(synckit);
        configure?.Invoke(synckit);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    /// <summary>The app the host uses when the test made one (it then connects through consent); null for the emulator's default app.</summary>
    public EmulatorApp? App { get; private set; }

    /// <summary>Sends the user through consent for the harness's tenant: the redirect back, as the host's callback would see it.</summary>
    public async Task<System.Collections.Specialized.NameValueCollection> ConsentRedirectAsync()
    {
        var consent = Services.GetRequiredService<XeroAuthorization>().GetConsentUrl("state-1");
        using var http = Emulator.CreateHttpClient();
        using var response = await http.GetAsync(new Uri(consent + "&tenantId=" + Tenant.TenantId));
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        var location = response.Headers.Location!;
        return location.Query.Length == 0 ? [] : HttpUtility.ParseQueryString(location.Query);
    }

    /// <summary>Stores the emulator tenant's tokens under a connection key, as the consent callback would.</summary>
    public Task ConnectAsync(string connectionKey, EmulatorTenant tenant) =>
        Services.GetRequiredService<XeroAuthorization>().SaveTokensAsync(connectionKey, new XeroTokenSet
        {
            AccessToken = tenant.AccessToken,
            RefreshToken = tenant.RefreshToken,
            ExpiresAt = Time.GetUtcNow().AddMinutes(30),
        });

    /// <summary>Runs the consent flow in the emulator for <paramref name="tenants"/> and stores the tokens under <paramref name="connectionKey"/>.</summary>
    public async Task ConsentAsync(string connectionKey, params Guid[] tenants)
    {
        var authorization = Services.GetRequiredService<XeroAuthorization>();
        var consent = authorization.GetConsentUrl("state-1");
        using var http = Emulator.CreateHttpClient();
        using var response = await http.GetAsync(new Uri(consent + "&tenantId=" + string.Join(',', tenants)));
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        var code = HttpUtility.ParseQueryString(response.Headers.Location!.Query)["code"]!;
        var connections = await authorization.ConnectAsync(connectionKey, code);
        Assert.Equal(tenants.Length, connections.Count);
    }

    /// <summary>A call as a user or another app would make it, straight to the emulator with the tenant's first token.</summary>
    public async Task<string> RawAsync(HttpMethod method, string path, string? body = null, EmulatorTenant? tenant = null, string mediaType = "application/json")
    {
        tenant ??= Tenant;
        using var http = Emulator.CreateHttpClient();
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, mediaType);
        }

        request.Headers.Authorization = new("Bearer", tenant.AccessToken);
        request.Headers.Add("xero-tenant-id", tenant.TenantId.ToString());
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode && !text.Contains("<Status>ERROR</Status>", StringComparison.Ordinal), $"{method} {path}: {(int)response.StatusCode} {text}");
        return text;
    }

    public Task<SyncRun> SyncAsync() => Engine.SyncAsync(new SyncRequest { TenantId = TenantId, RequestedBy = "e2e" });

    /// <summary>
    /// Runs <paramref name="action"/> while driving virtual time: whenever the work is waiting — no new emulator or
    /// token calls for a while, no request in flight — and a timer is armed (a rate window, a Retry-After, a backoff),
    /// the fake clock moves to that timer's due time, by at most <paramref name="maxStep"/> (1 second) at a time, so
    /// that a wrong guess of idleness (CPU-bound work between calls) costs little virtual time. Never a wall-clock sleep;
    /// fails after <paramref name="maxSteps"/> moves.
    /// </summary>
    public Task<T> DriveAsync<T>(Func<Task<T>> action, TimeSpan? maxStep = null, int maxSteps = 100_000) => Driver.DriveAsync(action, maxStep, maxSteps);

    public Task<SyncRun> DriveSyncAsync(TimeSpan? maxStep = null, int maxSteps = 100_000) => DriveAsync(SyncAsync, maxStep, maxSteps);

    public Task<LedgerEntry?> EntryAsync(RecordKind kind, string sourceId) => LedgerStore.GetAsync(new LedgerKey(TenantId, kind, sourceId));

    public async Task<LedgerEntry> RequiredEntryAsync(RecordKind kind, string sourceId) =>
        await EntryAsync(kind, sourceId) ?? throw new InvalidOperationException($"No ledger entry for {kind} {sourceId}.");

    public Task<List<LedgerEntry>> AllEntriesAsync(params LedgerState[] states) => LedgerReads.AllAsync(LedgerStore, TenantId, states);

    public async Task MapAsync(IEnumerable<(MappingKind Kind, string LocalKey, string RemoteKey)> mappings)
    {
        var store = Services.GetRequiredService<MappingStore>();
        foreach (var (kind, local, remote) in mappings)
        {
            await store.SetAsync(TenantId, kind, local, remote);
        }
    }

    /// <summary>The tenant's state in the emulator (its export).</summary>
    public JsonElement Export() => JsonDocument.Parse(Emulator.ExportTenant(Tenant.TenantId)).RootElement;

    public int ApiCalls => Emulator.GetStats().Calls.TryGetValue(Tenant.TenantId, out var calls) ? calls.Values.Sum() : 0;

    public int RateLimited => Emulator.GetStats().RateLimited.Values.Sum();

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}
