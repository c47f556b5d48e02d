using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using SyncKit.Testing.Emulator.Accounting;
using SyncKit.Testing.Emulator.Control;
using SyncKit.Testing.Emulator.Faults;
using SyncKit.Testing.Emulator.Http;
using SyncKit.Testing.Emulator.Identity;
using SyncKit.Testing.Emulator.PracticeManager;
using SyncKit.Testing.Emulator.RateLimits;
using SyncKit.Testing.Emulator.State;
using SyncKit.Testing.Emulator.Webhooks;

namespace SyncKit.Testing.Emulator;

/// <summary>The emulator's state and request pipeline, shared by the in-process handler and the Kestrel server.</summary>
internal sealed class EmulatorHost
{
    public const string AccountingPrefix = "/api.xro/2.0/";
    public const string PracticeManagerPrefix = "/practicemanager/3.1/";

    /// <summary>The largest request body the emulator reads (Xero: 10 MB on its newer pages); larger ones get 413.</summary>
    public const int MaxRequestBodyBytes = 10 * 1024 * 1024;

    private readonly ConcurrentDictionary<Guid, TenantState> _tenants = new();
    private readonly AccountingApi _accounting;
    private readonly IdentityApi _identity;
    private readonly ControlApi _control;
    private readonly PracticeManagerApi _practice;

    public EmulatorHost(XeroEmulatorOptions options)
    {
        Options = options;
        Clock = new EmulatorClock(options.TimeProvider ?? TimeProvider.System);
        Ids = new IdGenerator(options.Seed);
        Dice = new IdGenerator(unchecked(options.Seed * 31 + 7));
        Tokens = new TokenStore(Ids, Clock);
        Rates = new RateLimiter(Clock) { AppMinuteLimit = options.AppMinuteLimit };
        Faults = new FaultInjector(Dice);
        Stats = new StatsCollector();
        _accounting = new AccountingApi(this);
        _identity = new IdentityApi(this);
        _control = new ControlApi(this);
        _practice = new PracticeManagerApi(this);
        Webhooks = new WebhookDispatcher(this);
    }

    public XeroEmulatorOptions Options { get; }

    public EmulatorClock Clock { get; }

    public IdGenerator Ids { get; }

    public IdGenerator Dice { get; }

    public TokenStore Tokens { get; }

    public RateLimiter Rates { get; }

    public FaultInjector Faults { get; }

    public StatsCollector Stats { get; }

    public ControlApi Control => _control;

    /// <summary>Apps' webhooks: writes queue events here, a pump of its own delivers them.</summary>
    public WebhookDispatcher Webhooks { get; }

    /// <summary>
    /// Test seam: runs before each element of an Accounting write batch (collection, index). An exception thrown from it
    /// models an unexpected failure inside Xero part-way through a batch.
    /// </summary>
    public Action<string, int>? ElementHook { get; set; }

    public IEnumerable<TenantState> Tenants => _tenants.Values.OrderBy(t => t.CreatedUtc).ThenBy(t => t.TenantId);

    public TenantState? FindTenant(Guid id) => _tenants.GetValueOrDefault(id);

    public EmulatorApp CreateApp(EmulatorAppOptions options)
    {
        var app = Tokens.CreateApp(options.Name, options.CreatedOn, options.Tier, options.CustomConnection, options.ConnectionLimit);
        return new EmulatorApp { ClientId = app.ClientId, ClientSecret = app.ClientSecret, CreatedOn = app.CreatedOn, Tier = app.Tier };
    }

    public EmulatorTenant CreateTenant(EmulatorTenantOptions options)
    {
        var now = Clock.GetUtcNow();
        var tenant = new TenantState(Ids.NewGuid(), options.Name, options.BaseCurrency, now)
        {
            PeriodLockDate = options.PeriodLockDate,
            EndOfYearLockDate = options.EndOfYearLockDate,
            MinuteLimit = options.MinuteLimit ?? Options.MinuteLimit,
            DayLimit = options.DayLimit ?? Options.DayLimit,
            ConcurrentLimit = options.ConcurrentLimit ?? Options.ConcurrentLimit,
        };
        SeedData.Seed(tenant, Ids, now);
        if (options.PracticeManager)
        {
            tenant.Practice = PracticeState.Seed(Ids, options.WipLockDate);
        }

        _tenants[tenant.TenantId] = tenant;
        var app = Tokens.DefaultApp;
        var scope = tenant.IsPractice
            ? "openid profile email offline_access practicemanager"
            : "openid profile email offline_access accounting.transactions accounting.contacts accounting.settings";
        var tokens = Tokens.CreateGrant(app, [tenant.TenantId], scope, withRefreshToken: true);
        return new EmulatorTenant
        {
            TenantId = tenant.TenantId,
            ConnectionId = tokens.Grant.Connections[0].Id,
            Name = tenant.Name,
            AccessToken = tokens.AccessToken,
            RefreshToken = tokens.RefreshToken!,
            ClientId = app.ClientId,
            ClientSecret = app.ClientSecret,
        };
    }

    public async Task<EmulatorResponse> HandleAsync(EmulatorRequest request, CancellationToken cancellationToken)
    {
        if (request.BodyTooLarge || request.Body.Length > MaxRequestBodyBytes)
        {
            return EmulatorResponse.Text(HttpStatusCode.RequestEntityTooLarge, XeroMessages.RequestEntityTooLarge.Template);
        }

        try
        {
            return await RouteAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A bug in the emulator, not bad input (bad input has its own 4xx): answer as Xero does, never drop the call.
            return UnhandledError(500);
        }
    }

    private async Task<EmulatorResponse> RouteAsync(EmulatorRequest request, CancellationToken cancellationToken)
    {
        var path = request.Path;
        if (path.StartsWith("/_emulator/", StringComparison.OrdinalIgnoreCase) || path.Equals("/_emulator", StringComparison.OrdinalIgnoreCase))
        {
            return _control.Handle(request);
        }

        if (path.StartsWith("/connect/", StringComparison.OrdinalIgnoreCase) || path.StartsWith("/identity/connect/", StringComparison.OrdinalIgnoreCase))
        {
            return await WithIdentityFaultsAsync(request, () => _identity.HandleIdentity(request), cancellationToken).ConfigureAwait(false);
        }

        if (path.StartsWith("/connections", StringComparison.OrdinalIgnoreCase))
        {
            return await WithIdentityFaultsAsync(request, () => _identity.HandleConnections(request), cancellationToken).ConfigureAwait(false);
        }

        var isAccounting = path.StartsWith(AccountingPrefix, StringComparison.OrdinalIgnoreCase);
        var isPractice = path.StartsWith(PracticeManagerPrefix, StringComparison.OrdinalIgnoreCase);
        if (!isAccounting && !isPractice)
        {
            return EmulatorResponse.Text(HttpStatusCode.NotFound, XeroMessages.NotFound.Template);
        }

        return await HandleApiAsync(request, isAccounting, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Faults on identity paths apply only to rules that name a path (e.g. <c>/connect/token</c>), so a path-less
    /// rule aimed at the API never breaks token refresh by accident.
    /// </summary>
    private async Task<EmulatorResponse> WithIdentityFaultsAsync(EmulatorRequest request, Func<EmulatorResponse> handle, CancellationToken cancellationToken)
    {
        var drop = false;
        foreach (var fault in Faults.Match(request.Method, request.Path, tenantId: null, requirePath: true))
        {
            Stats.Fault(fault.Kind);
            switch (fault.Kind)
            {
                case EmulatorFaultKind.Latency:
                    await Task.Delay(fault.Latency, Clock.Inner, cancellationToken).ConfigureAwait(false);
                    break;
                case EmulatorFaultKind.ServerError or EmulatorFaultKind.OrganisationOffline:
                    return EmulatorResponse.Text((HttpStatusCode)(fault.Kind == EmulatorFaultKind.ServerError ? fault.StatusCode : 503), XeroMessages.UnhandledError.Template);
                case EmulatorFaultKind.RateLimit:
                    Stats.RateLimited(fault.RateLimitProblem);
                    return TooManyRequests(fault.RateLimitProblem, fault.RetryAfterSeconds, decision: null);
                case EmulatorFaultKind.CommitThenDrop:
                    drop = true;
                    break;
            }
        }

        var response = handle();
        response.DropConnection = drop;
        return response;
    }

    private async Task<EmulatorResponse> HandleApiAsync(EmulatorRequest request, bool isAccounting, CancellationToken cancellationToken)
    {
        var bearer = Bearer(request);
        var grant = Tokens.Authenticate(bearer, out var failure);
        if (grant is null)
        {
            return EmulatorResponse.Problem(HttpStatusCode.Unauthorized, "Unauthorized", failure!, Ids.NewGuid());
        }

        var connections = Tokens.ActiveConnections(grant);
        var tenantHeader = request.Header("xero-tenant-id");
        Guid tenantId;
        if (tenantHeader is null && connections.Count == 1)
        {
            tenantId = connections[0].TenantId;
        }
        else if (!Guid.TryParse(tenantHeader, out tenantId) || connections.All(c => c.TenantId != tenantId))
        {
            return EmulatorResponse.Problem(HttpStatusCode.Forbidden, "Forbidden", XeroMessages.Forbidden.Template, Ids.NewGuid());
        }

        var tenant = FindTenant(tenantId);
        if (tenant is null || tenant.IsPractice == isAccounting)
        {
            return EmulatorResponse.Problem(HttpStatusCode.Forbidden, "Forbidden", XeroMessages.Forbidden.Template, Ids.NewGuid());
        }

        if (isAccounting && Options.RequireJsonAccept && !AcceptsJson(request))
        {
            return EmulatorResponse.Text(HttpStatusCode.NotAcceptable, XeroMessages.NotAcceptable.Template);
        }

        if (!ScopeRules.Permits(grant.Scopes, isAccounting, Resource(request, isAccounting), HttpMethods.IsGet(request.Method)))
        {
            // Outside the token's scopes: consenting again fixes it, refreshing does not.
            var denied = EmulatorResponse.Problem(HttpStatusCode.Unauthorized, "Unauthorized", XeroMessages.InsufficientScope.Template, Ids.NewGuid());
            denied.Headers["WWW-Authenticate"] = "Bearer error=\"insufficient_scope\", error_description=\"The access token does not have the scope required for this resource\"";
            return denied;
        }

        var endpoint = Endpoint(request, isAccounting);
        Stats.Call(tenantId, endpoint);

        var decision = Rates.TryAcquire(tenant, grant.ClientId, Tokens.FindApp(grant.ClientId)?.DayLimit);
        if (!decision.Allowed)
        {
            Stats.RateLimited(decision.Problem!);
            var limited = TooManyRequests(decision.Problem!, decision.RetryAfterSeconds, decision);
            Stats.Egress(grant.ClientId, tenantId, endpoint, limited.Body.Length);
            return limited;
        }

        try
        {
            var response = await HandleAdmittedAsync(request, tenant, grant, isAccounting, cancellationToken).ConfigureAwait(false);
            decision.Apply(response);

            // Egress is what the app pulls: every answer's body, write echoes included; the Organisation endpoint is exempt.
            if (!endpoint.EndsWith(" Organisation", StringComparison.OrdinalIgnoreCase))
            {
                Stats.Egress(grant.ClientId, tenantId, endpoint, response.Body.Length);
            }

            return response;
        }
        finally
        {
            Rates.Release(tenantId);
        }
    }

    /// <summary>
    /// An admitted call. A keyed write (Idempotency-Key on PUT/POST/DELETE) is first looked up: the same request within
    /// the window gets the stored answer exactly (before any fault is drawn), a different one a 400. Otherwise faults are
    /// drawn and the call is handled as one transaction — an exception rolls the tenant back and answers 500 — and every
    /// answer from here on (200, 4xx, the 500, an injected 5xx or offline 503) is stored under the key. 429s and 401s
    /// come from in front of the API and are not stored.
    /// </summary>
    private async Task<EmulatorResponse> HandleAdmittedAsync(EmulatorRequest request, TenantState tenant, TokenStore.Grant grant, bool isAccounting, CancellationToken cancellationToken)
    {
        var isWrite = !HttpMethods.IsGet(request.Method);
        var key = isWrite ? request.Header("Idempotency-Key") : null;
        string? fingerprint = null;
        if (!string.IsNullOrEmpty(key))
        {
            if (key.Length > IdempotencyStore.MaxKeyLength)
            {
                return ValidationMessage(XeroMessages.IdempotencyKeyTooLong.Format(key));
            }

            fingerprint = Fingerprint(request);
            lock (tenant.Gate)
            {
                if (Replay(tenant, key, fingerprint) is { } replay)
                {
                    Stats.Write(tenant.TenantId);
                    return replay;
                }
            }
        }

        var drop = false;
        EmulatorResponse? faulted = null;
        foreach (var fault in Faults.Match(request.Method, request.Path, tenant.TenantId, requirePath: false))
        {
            Stats.Fault(fault.Kind);
            switch (fault.Kind)
            {
                case EmulatorFaultKind.Latency:
                    await Task.Delay(fault.Latency, Clock.Inner, cancellationToken).ConfigureAwait(false);
                    break;
                case EmulatorFaultKind.ServerError:
                    faulted = fault.StatusCode == 503
                        ? EmulatorResponse.Text(HttpStatusCode.ServiceUnavailable, XeroMessages.ApiUnavailable.Template)
                        : UnhandledError(fault.StatusCode);
                    break;
                case EmulatorFaultKind.OrganisationOffline:
                    faulted = EmulatorResponse.Text(HttpStatusCode.ServiceUnavailable, XeroMessages.OrganisationOffline.Template);
                    break;
                case EmulatorFaultKind.RateLimit:
                    Stats.RateLimited(fault.RateLimitProblem);
                    return TooManyRequests(fault.RateLimitProblem, fault.RetryAfterSeconds, decision: null);
                case EmulatorFaultKind.RevokeToken:
                    Tokens.RevokeGrant(grant.Id);
                    return EmulatorResponse.Problem(HttpStatusCode.Unauthorized, "Unauthorized", XeroMessages.TokenInvalid.Template, Ids.NewGuid());
                case EmulatorFaultKind.CommitThenDrop:
                    drop = true;
                    break;
            }

            if (faulted is not null)
            {
                break;
            }
        }

        if (isWrite && faulted is null)
        {
            Stats.Write(tenant.TenantId);
        }

        EmulatorResponse response;
        lock (tenant.Gate)
        {
            // A concurrent call with the same key may have finished while this one waited.
            if (key is { Length: > 0 } && Replay(tenant, key, fingerprint!) is { } replay)
            {
                return replay;
            }

            response = faulted
                ?? (tenant.Offline
                    ? EmulatorResponse.Text(HttpStatusCode.ServiceUnavailable, XeroMessages.OrganisationOffline.Template)
                    : Transaction(tenant, isWrite, () => isAccounting ? _accounting.Handle(request, tenant) : _practice.Handle(request, tenant)));
            if (key is { Length: > 0 })
            {
                tenant.Idempotency.Store(key, fingerprint!, response, Clock.GetUtcNow());
            }
        }

        response.DropConnection = drop;
        return response;
    }

    /// <summary>The stored answer for the key (a copy), a 400 when the key was used with another request, or null.</summary>
    private EmulatorResponse? Replay(TenantState tenant, string key, string fingerprint)
    {
        var existing = tenant.Idempotency.Find(key, Clock.GetUtcNow());
        if (existing is null)
        {
            return null;
        }

        return existing.Fingerprint == fingerprint
            ? existing.Response.Copy()
            : ValidationMessage(XeroMessages.IdempotencyKeyReused.Format(key));
    }

    /// <summary>Runs a call; if it throws, a write is rolled back (nothing of it stays) and the answer is Xero's 500.</summary>
    /// <summary>
    /// A user working in Xero's own screens: an Accounting write (POST, <c>summarizeErrors=false</c>) applied straight to the
    /// tenant's books, as the API would apply it, but with no token, no rate limit and no call counted against the app.
    /// </summary>
    public EmulatorResponse ActAsUser(TenantState tenant, string collection, byte[] body, string method = "POST")
    {
        var request = new EmulatorRequest
        {
            Method = method,
            Path = AccountingPrefix + collection,
            RawQuery = "summarizeErrors=false",
            Query = EmulatorRequest.ParseQuery("summarizeErrors=false"),
            Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Content-Type"] = "application/json" },
            Body = body,
        };
        return Transaction(tenant, isWrite: true, () => _accounting.Handle(request, tenant));
    }

    /// <summary>
    /// A user working in Practice Manager's own screens: a Practice Manager call (<paramref name="path"/> such as
    /// <c>client.api/add</c>) applied to the practice as the API would apply it, with no token, rate limit or counted call.
    /// </summary>
    public EmulatorResponse ActAsPracticeUser(TenantState tenant, string method, string path, byte[] body)
    {
        var request = new EmulatorRequest
        {
            Method = method,
            Path = PracticeManagerPrefix + path.TrimStart('/'),
            RawQuery = string.Empty,
            Query = EmulatorRequest.ParseQuery(string.Empty),
            Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Content-Type"] = "application/xml" },
            Body = body,
        };
        lock (tenant.Gate)
        {
            return Transaction(tenant, isWrite: true, () => _practice.Handle(request, tenant));
        }
    }

    private EmulatorResponse Transaction(TenantState tenant, bool isWrite, Func<EmulatorResponse> handle)
    {
        var snapshot = isWrite ? tenant.Capture() : null;
        var watched = isWrite ? Webhooks.Watch(tenant) : null;
        try
        {
            var response = handle();
            if (watched is not null)
            {
                Webhooks.Changed(tenant, watched);
            }

            return response;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (snapshot is not null)
            {
                tenant.Restore(snapshot);
            }

            return UnhandledError(500);
        }
    }

    private static string Fingerprint(EmulatorRequest request) =>
        request.Method.ToUpperInvariant() + " " + request.Path.ToUpperInvariant() + "?" + request.RawQuery + "#"
        + Convert.ToHexString(SHA256.HashData(request.Body));

    /// <summary>Xero's 500 (or other 5xx) body: "An unhandled error with the Xero API".</summary>
    public EmulatorResponse UnhandledError(int status) => EmulatorResponse.Json((HttpStatusCode)status, new System.Text.Json.Nodes.JsonObject
    {
        ["Title"] = "An error occurred",
        ["Detail"] = XeroMessages.UnhandledError.Template,
        ["Status"] = status,
        ["Instance"] = Ids.NewGuid().ToString(),
    });

    /// <summary>Xero's 400 for a body its JSON binding cannot read: ErrorNumber 14, PostDataInvalidException.</summary>
    public static EmulatorResponse PostDataInvalid(string detail) => EmulatorResponse.Json(HttpStatusCode.BadRequest, new System.Text.Json.Nodes.JsonObject
    {
        ["ErrorNumber"] = 14,
        ["Type"] = "PostDataInvalidException",
        ["Message"] = XeroMessages.PostDataInvalid.Format(detail),
    });

    public static EmulatorResponse ValidationMessage(string message) => EmulatorResponse.Json(HttpStatusCode.BadRequest, new System.Text.Json.Nodes.JsonObject
    {
        ["ErrorNumber"] = 10,
        ["Type"] = "ValidationException",
        ["Message"] = message,
    });

    private static EmulatorResponse TooManyRequests(string problem, int retryAfter, RateLimiter.Decision? decision)
    {
        var response = EmulatorResponse.Text((HttpStatusCode)429, XeroMessages.RateLimitExceeded.Template);
        response.Headers["Retry-After"] = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["X-Rate-Limit-Problem"] = problem;
        decision?.Apply(response);
        return response;
    }

    private static string? Bearer(EmulatorRequest request)
    {
        var header = request.Header("Authorization");
        return header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
    }

    private static bool AcceptsJson(EmulatorRequest request)
    {
        var accept = request.Header("Accept");
        return accept is not null && accept.Contains("json", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The resource a call addresses: the Accounting collection (<c>Invoices</c>) or the XPM API (<c>job.api</c>).</summary>
    private static string Resource(EmulatorRequest request, bool isAccounting)
    {
        var rest = request.Path[(isAccounting ? AccountingPrefix.Length : PracticeManagerPrefix.Length)..];
        var first = rest.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return first ?? string.Empty;
    }

    private static string Endpoint(EmulatorRequest request, bool isAccounting)
    {
        var rest = request.Path[(isAccounting ? AccountingPrefix.Length : PracticeManagerPrefix.Length)..];
        var segments = rest.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var resource = isAccounting
            ? (segments.Length > 0 ? segments[0] : string.Empty)
            : string.Join('/', segments.Take(2));
        return request.Method.ToUpperInvariant() + " " + resource;
    }

    private static class HttpMethods
    {
        public static bool IsGet(string method) => string.Equals(method, "GET", StringComparison.OrdinalIgnoreCase) || string.Equals(method, "HEAD", StringComparison.OrdinalIgnoreCase);
    }
}
