using System.Text.Json.Nodes;
using SyncKit.Testing.Emulator.Http;
using SyncKit.Testing.Emulator.State;

namespace SyncKit.Testing.Emulator;

/// <summary>
/// A local, multi-tenant Xero: the Accounting API, identity (OAuth2), connections and a minimal Practice Manager,
/// with Xero's validation rules and messages, batch semantics, idempotency, rate limits, a virtual clock and
/// seeded fault injection.
/// </summary>
/// <remarks>
/// Use it in-process with <see cref="CreateHandler"/> (no sockets; pass the test's <c>FakeTimeProvider</c> in
/// <see cref="XeroEmulatorOptions.TimeProvider"/>), or over HTTP with <see cref="StartServerAsync"/> (loopback only).
/// Both run the same pipeline; the control API under <c>{base}/_emulator/</c> is available in both modes.
/// </remarks>
public sealed class XeroEmulator : IAsyncDisposable
{
    private static readonly Uri s_defaultBase = new("https://xero.emulator.local/");

    private readonly EmulatorHost _host;
    private readonly Lock _gate = new();
    private EmulatorServer? _server;

    private XeroEmulator(XeroEmulatorOptions options) => _host = new EmulatorHost(options);

    /// <summary>Creates an emulator with no tenants.</summary>
    /// <param name="options">Settings; null takes the defaults (system clock, Xero's limits).</param>
    /// <returns>The emulator; dispose it to stop its server.</returns>
    public static XeroEmulator Create(XeroEmulatorOptions? options = null) => new(options ?? new XeroEmulatorOptions());

    /// <summary>The pipeline behind this emulator (tests reach its seams through it).</summary>
    internal EmulatorHost Host => _host;

    /// <summary>
    /// The base URL: the server's address once <see cref="StartServerAsync"/> has run, otherwise the in-process
    /// address (<see cref="XeroEmulatorOptions.BaseAddress"/>). Xero's paths hang under it: <c>api.xro/2.0/</c>,
    /// <c>connections</c>, <c>connect/token</c>, <c>practicemanager/3.1/</c>.
    /// </summary>
    public Uri BaseAddress => _server?.Address ?? _host.Options.BaseAddress ?? s_defaultBase;

    /// <summary>The emulator's clock (the caller's provider, plus any offset added by <see cref="AdvanceClock"/>).</summary>
    public TimeProvider TimeProvider => _host.Clock;

    /// <summary>A handler that serves requests in process. Requests need absolute URIs (set <c>HttpClient.BaseAddress</c>).</summary>
    /// <returns>A new handler over this emulator.</returns>
    public HttpMessageHandler CreateHandler() => new EmulatorHttpHandler(_host);

    /// <summary>An <see cref="HttpClient"/> over <see cref="CreateHandler"/> with <see cref="BaseAddress"/> set and <c>Accept: application/json</c>.</summary>
    /// <returns>A new client; the caller disposes it.</returns>
    public HttpClient CreateHttpClient()
    {
        var client = new HttpClient(CreateHandler(), disposeHandler: true) { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        return client;
    }

    /// <summary>Starts the emulator on Kestrel, bound to a loopback address.</summary>
    /// <param name="url">Where to listen; defaults to <c>http://127.0.0.1:0</c> (a free port). Non-loopback hosts are refused.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The base address, e.g. <c>http://127.0.0.1:5099/</c>.</returns>
    public async Task<Uri> StartServerAsync(Uri? url = null, CancellationToken cancellationToken = default)
    {
        var target = url ?? new Uri("http://127.0.0.1:0");
        EmulatorServer.LoopbackAddress(target);
        lock (_gate)
        {
            if (_server is not null)
            {
                throw new InvalidOperationException("The emulator server is already running at " + _server.Address + ".");
            }
        }

        var server = await EmulatorServer.StartAsync(_host, target, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            _server = server;
        }

        return server.Address;
    }

    /// <summary>Creates a tenant (organisation, or practice) with a standard chart of accounts, tax rates and tracking, and a connected token set.</summary>
    /// <param name="options">What to create; null takes the defaults.</param>
    /// <param name="cancellationToken">Unused; here for the async convention.</param>
    /// <returns>The tenant id, tokens and the app's client credentials.</returns>
    public Task<EmulatorTenant> CreateTenantAsync(EmulatorTenantOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_host.CreateTenant(options ?? new EmulatorTenantOptions()));
    }

    /// <summary>Creates an app with a creation date and a tier: apps created on or after 2 March 2026 are refused broad scopes, and the tier caps connections and daily calls.</summary>
    /// <param name="options">What to create; null takes a Starter app created on 2 March 2026.</param>
    /// <returns>The app's client credentials.</returns>
    /// <remarks>Tenants made with <see cref="CreateTenantAsync"/> are connected through a default app from before 2026 (broad scopes, no cap); connect them to a new app with the consent flow.</remarks>
    public EmulatorApp CreateApp(EmulatorAppOptions? options = null) => _host.CreateApp(options ?? new EmulatorAppOptions());

    /// <summary>Moves the emulator's clock forward (advances a <c>FakeTimeProvider</c>, or adds an offset to a real clock).</summary>
    /// <param name="delta">How far; must not be negative.</param>
    public void AdvanceClock(TimeSpan delta)
    {
        _host.Clock.Advance(delta);
        _host.Webhooks.Wake();
    }

    /// <summary>
    /// Creates the app's webhook (one per app, as in Xero's developer portal) with a new webhook key; nothing is delivered
    /// until <see cref="SendIntentToReceiveAsync"/> has been answered rightly. Then every write to a Contact, Invoice or
    /// CreditNote of a tenant the app is connected to — through the API or as a user — is delivered, signed with the key, by
    /// the emulator's own pump (never inside the request that wrote), retried less and less often on the virtual clock, and
    /// the webhook is disabled after 24 hours of failures.
    /// </summary>
    /// <param name="url">The receiver's URL; a loopback address.</param>
    /// <param name="clientId">The app; null for the default app that <see cref="CreateTenantAsync"/> connects tenants through.</param>
    /// <returns>The webhook (status <see cref="EmulatorWebhookStatus.Pending"/>) with its key.</returns>
    public EmulatorWebhook CreateWebhook(Uri url, string? clientId = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        return _host.Webhooks.Create(App(clientId), url);
    }

    /// <summary>
    /// Sends Xero's intent-to-receive check (the portal's button): a delivery with a good signature (wants 200) and one with a
    /// bad signature (wants 401), and waits for the answers.
    /// </summary>
    /// <param name="clientId">The app; null for the default app.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The webhook: <see cref="EmulatorWebhookStatus.Active"/> or <see cref="EmulatorWebhookStatus.IntentToReceiveFailed"/>.</returns>
    public async Task<EmulatorWebhook> SendIntentToReceiveAsync(string? clientId = null, CancellationToken cancellationToken = default)
    {
        var app = App(clientId);
        if (!_host.Webhooks.QueueIntentToReceive(app))
        {
            throw new InvalidOperationException("The app " + app + " has no webhook; create it with CreateWebhook first.");
        }

        await _host.Webhooks.DeliverDueAsync(cancellationToken).ConfigureAwait(false);
        return _host.Webhooks.Find(app)!;
    }

    /// <summary>Sends every webhook delivery due now on the virtual clock (first attempts and retries) and returns when they are answered.</summary>
    /// <param name="cancellationToken">Cancels the sending.</param>
    /// <returns>How many delivery attempts were made.</returns>
    /// <remarks>The pump sends them anyway; a test awaits this to know they were sent.</remarks>
    public Task<int> DeliverWebhooksAsync(CancellationToken cancellationToken = default) => _host.Webhooks.DeliverDueAsync(cancellationToken);

    /// <summary>An app's webhook, or null when it has none.</summary>
    /// <param name="clientId">The app; null for the default app.</param>
    /// <returns>A snapshot of the webhook.</returns>
    public EmulatorWebhook? GetWebhook(string? clientId = null) => _host.Webhooks.Find(clientId ?? _host.Tokens.DefaultApp.ClientId);

    /// <summary>Makes webhook deliveries fail without reaching the receiver (an outage; they are retried), or stops doing so.</summary>
    /// <param name="drop">True to drop them.</param>
    public void DropWebhooks(bool drop) => _host.Webhooks.Drop = drop;

    /// <summary>Holds new webhook deliveries back this long (virtual time) before their first attempt.</summary>
    /// <param name="delay">The delay; zero for none.</param>
    public void DelayWebhooks(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        _host.Webhooks.Delay = delay;
    }

    /// <summary>Adds a fault rule.</summary>
    /// <param name="fault">The rule.</param>
    /// <returns>The rule's id.</returns>
    /// <exception cref="ArgumentException">The rule is not valid (e.g. a <see cref="EmulatorFaultKind.ServerError"/> status outside 5xx, a probability outside 0..1).</exception>
    public Guid AddFault(EmulatorFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        if (Control.ControlApi.Validate(fault) is { } error)
        {
            throw new ArgumentException(error, nameof(fault));
        }

        return _host.Faults.Add(fault, _host.Ids.NewGuid());
    }

    /// <summary>Removes every fault rule.</summary>
    public void ClearFaults() => _host.Faults.Clear();

    /// <summary>
    /// Acts as a user in Xero's own screens (the control API's <c>POST /_emulator/tenants/{id}/as-user/{collection}</c>):
    /// makes payments, voids invoices (<c>"Status":"VOIDED"</c>), edits contacts. The write is applied as the Accounting API
    /// applies a POST with <c>summarizeErrors=false</c>, but costs the app no call and no rate limit.
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="collection"><c>Payments</c>, <c>Invoices</c>, <c>Contacts</c> or <c>CreditNotes</c>.</param>
    /// <param name="json">The body, as for the API: <c>{"Payments":[...]}</c>.</param>
    /// <returns>The answer's body (every element echoed, with its errors if any).</returns>
    public string ActAsUser(Guid tenantId, string collection, string json)
    {
        var response = _host.Control.Handle(new Http.EmulatorRequest
        {
            Method = "POST",
            Path = $"/_emulator/tenants/{tenantId}/as-user/{collection}",
            RawQuery = string.Empty,
            Query = new Dictionary<string, string>(),
            Headers = new Dictionary<string, string>(),
            Body = System.Text.Encoding.UTF8.GetBytes(json),
        });
        return response.BodyText;
    }

    /// <summary>
    /// Acts as a user in Xero allocating a credit note to invoices (the control API's
    /// <c>POST /_emulator/tenants/{id}/as-user/CreditNotes/{creditNoteId}/Allocations</c>): applied as the Accounting API's
    /// <c>PUT /CreditNotes/{id}/Allocations</c>, refusals included, at no call or rate limit to the app.
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="creditNoteId">The credit note's id.</param>
    /// <param name="json">The body, as for the API: <c>{"Allocations":[{"Invoice":{"InvoiceID":"..."},"Amount":10,"Date":"2026-11-20"}]}</c>.</param>
    /// <returns>The answer's body.</returns>
    public string AllocateCreditNoteAsUser(Guid tenantId, string creditNoteId, string json)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(creditNoteId);
        var response = _host.Control.Handle(new Http.EmulatorRequest
        {
            Method = "POST",
            Path = $"/_emulator/tenants/{tenantId}/as-user/CreditNotes/{Uri.EscapeDataString(creditNoteId)}/Allocations",
            RawQuery = string.Empty,
            Query = new Dictionary<string, string>(),
            Headers = new Dictionary<string, string>(),
            Body = System.Text.Encoding.UTF8.GetBytes(json),
        });
        return response.BodyText;
    }

    /// <summary>
    /// Acts as a user in Practice Manager's own screens (the control API's <c>POST /_emulator/tenants/{id}/as-user/{api}/{method}</c>):
    /// adds or updates clients and jobs, archives clients, sets job states. Applied as the Practice Manager API applies the
    /// call, but costs the app no call and no rate limit.
    /// </summary>
    /// <param name="tenantId">The practice's tenant id.</param>
    /// <param name="path">The call, for example <c>client.api/add</c> or <c>job.api/state</c>.</param>
    /// <param name="xml">The body, as for the API: <c>&lt;Client&gt;...&lt;/Client&gt;</c>.</param>
    /// <param name="method">POST (the default) or PUT.</param>
    /// <returns>The answer's XML.</returns>
    public string ActAsPracticeUser(Guid tenantId, string path, string xml, string method = "POST")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var response = _host.Control.Handle(new Http.EmulatorRequest
        {
            Method = "POST",
            Path = $"/_emulator/tenants/{tenantId}/as-user/{path.Trim('/')}",
            RawQuery = "method=" + method,
            Query = Http.EmulatorRequest.ParseQuery("method=" + method),
            Headers = new Dictionary<string, string>(),
            Body = System.Text.Encoding.UTF8.GetBytes(xml),
        });
        return response.BodyText;
    }

    /// <summary>Defines a Practice Manager custom field, and sets its value on clients or jobs.</summary>
    /// <param name="tenantId">The practice's tenant id.</param>
    /// <param name="name">The field's name.</param>
    /// <param name="type">Text, Number, Decimal, Boolean, Date or LinkURL.</param>
    /// <param name="values">The values by client UUID or job number.</param>
    /// <returns>The definition's UUID.</returns>
    public Guid DefineCustomField(Guid tenantId, string name, string type, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var tenant = _host.FindTenant(tenantId) ?? throw new ArgumentException($"No tenant {tenantId}.", nameof(tenantId));
        var practice = tenant.Practice ?? throw new InvalidOperationException("The tenant is not a Practice Manager practice.");
        lock (tenant.Gate)
        {
            var definition = new PracticeManager.PracticeState.CustomFieldDefinition(_host.Ids.NewGuid(), name, type, LinkClient: true, LinkJob: true);
            practice.CustomFieldDefinitions.Add(definition);
            foreach (var (owner, value) in values)
            {
                practice.CustomFieldValues[(owner, definition.Uuid)] = value;
            }

            return definition.Uuid;
        }
    }

    /// <summary>Calls per tenant and endpoint, writes, 429s by problem and faults injected so far.</summary>
    /// <returns>A snapshot.</returns>
    public EmulatorStats GetStats() => _host.Stats.Snapshot();

    /// <summary>The tenant's whole state as JSON (what <c>GET /_emulator/tenants/{id}/export</c> returns).</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <returns>JSON text.</returns>
    public string ExportTenant(Guid tenantId) => _host.Control.Export(Tenant(tenantId)).ToJsonString(XeroJson.Options);

    /// <summary>Sets or clears the tenant's lock dates.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="periodLockDate">Period lock date, or null for none.</param>
    /// <param name="endOfYearLockDate">End of year lock date, or null for none.</param>
    public void SetLockDates(Guid tenantId, DateOnly? periodLockDate, DateOnly? endOfYearLockDate) => Patch(tenantId, new JsonObject
    {
        ["periodLockDate"] = periodLockDate is { } p ? XeroJson.IsoDate(p) : null,
        ["endOfYearLockDate"] = endOfYearLockDate is { } e ? XeroJson.IsoDate(e) : null,
    });

    /// <summary>Puts the organisation offline (every API call gets 503 "The Organisation is offline") or back online.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="offline">True to take it offline.</param>
    public void SetOffline(Guid tenantId, bool offline) => Patch(tenantId, new JsonObject { ["offline"] = offline });

    /// <summary>Archives an account by code (or id), as a user would in Xero.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="accountCode">The account's code.</param>
    public void ArchiveAccount(Guid tenantId, string accountCode) => Patch(tenantId, new JsonObject { ["archiveAccount"] = accountCode });

    /// <summary>Changes a tenant's rate limits.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="minuteLimit">Calls per minute, or null to keep.</param>
    /// <param name="dayLimit">Calls per day, or null to keep.</param>
    /// <param name="concurrentLimit">Calls in flight, or null to keep.</param>
    public void SetRateLimits(Guid tenantId, int? minuteLimit = null, int? dayLimit = null, int? concurrentLimit = null) => Patch(tenantId, new JsonObject
    {
        ["minuteLimit"] = minuteLimit,
        ["dayLimit"] = dayLimit,
        ["concurrentLimit"] = concurrentLimit,
    });

    /// <summary>Sets a Practice Manager practice's WIP lock date.</summary>
    /// <param name="tenantId">The practice's tenant id.</param>
    /// <param name="wipLockDate">The date, or null for none.</param>
    public void SetWipLockDate(Guid tenantId, DateOnly? wipLockDate) =>
        Patch(tenantId, new JsonObject { ["wipLockDate"] = wipLockDate is { } w ? XeroJson.IsoDate(w) : null });

    /// <summary>Sets a Practice Manager job's state (by name, e.g. "Completed", or interface code).</summary>
    /// <param name="tenantId">The practice's tenant id.</param>
    /// <param name="jobNumber">The job number, e.g. <c>J000001</c>.</param>
    /// <param name="state">The state.</param>
    public void SetJobState(Guid tenantId, string jobNumber, string state) =>
        Patch(tenantId, new JsonObject { ["jobState"] = new JsonObject { ["job"] = jobNumber, ["state"] = state } });

    /// <summary>Stops the server, if one was started.</summary>
    /// <returns>A task that completes when the server has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        EmulatorServer? server;
        lock (_gate)
        {
            server = _server;
            _server = null;
        }

        if (server is not null)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }

        await _host.Webhooks.DisposeAsync().ConfigureAwait(false);
    }

    private void Patch(Guid tenantId, JsonObject patch)
    {
        var error = _host.Control.ApplyPatch(Tenant(tenantId), patch);
        if (error is not null)
        {
            throw new InvalidOperationException(error);
        }
    }

    private string App(string? clientId)
    {
        var app = clientId ?? _host.Tokens.DefaultApp.ClientId;
        return _host.Tokens.FindApp(app) is null ? throw new ArgumentException("No app " + app + " in this emulator.", nameof(clientId)) : app;
    }

    private TenantState Tenant(Guid tenantId) =>
        _host.FindTenant(tenantId) ?? throw new ArgumentException("No tenant " + tenantId + " in this emulator.", nameof(tenantId));
}
