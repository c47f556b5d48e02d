using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SyncKit.AspNetCore.Connect;
using SyncKit.Authorization;
using SyncKit.Offboarding;
using SyncKit.Storage;

namespace SyncKit.AspNetCore.Tests.Connect;

public sealed class ConnectEndpointTests
{
    [Fact]
    public async Task Connect_RedirectsToXerosConsentPage_WithStatePkceAndTheScopesOfTheOptions()
    {
        await using var host = await ConnectHost.StartAsync(xero: o =>
        {
            o.Scopes.Add("offline_access");
            o.Scopes.Add("accounting.invoices");
            o.Scopes.Add("accounting.settings.read");
        });

        var begun = await host.BeginAsync();

        Assert.Equal(HttpStatusCode.Redirect, begun.Status);
        Assert.StartsWith(host.Emulator.BaseAddress + "identity/connect/authorize?", begun.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal("offline_access accounting.invoices accounting.settings.read", ConnectHost.Query(begun.Location, "scope"));
        Assert.True(ConnectHost.Query(begun.Location, "state").Length >= 43);
        Assert.True(ConnectHost.Query(begun.Location, "code_challenge").Length >= 43);
        Assert.Equal("S256", ConnectHost.Query(begun.Location, "code_challenge_method"));
        Assert.Equal("http://localhost/xero/callback", ConnectHost.Query(begun.Location, "redirect_uri"));
        Assert.Contains("httponly", begun.Cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", begun.Cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(ConnectHost.Query(begun.Location, "state"), begun.Cookie, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Callback_RegistersEveryOrganisationChosen_WithItsNameTypeAndConnection()
    {
        await using var host = await ConnectHost.StartAsync();

        var answer = await host.ConnectAsync(ConnectHost.Choose(host.Alpha, host.Beta));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Contains("Alpha Ltd", answer.Body, StringComparison.Ordinal);
        Assert.Contains("Beta Partners", answer.Body, StringComparison.Ordinal);
        var alpha = await host.Tenants.GetAsync(host.AlphaId);
        var beta = await host.Tenants.GetAsync(host.BetaId);
        Assert.NotNull(alpha);
        Assert.NotNull(beta);
        Assert.Equal(("Alpha Ltd", TenantType.Organisation, ConnectionState.Connected), (alpha.Name, alpha.Type, alpha.Connection));
        Assert.Equal(("Beta Partners", TenantType.Practice, ConnectionState.Connected), (beta.Name, beta.Type, beta.Connection));
        Assert.Equal(alpha.ConnectionKey, beta.ConnectionKey);
        Assert.NotEqual(alpha.ConnectionId, beta.ConnectionId);
        Assert.Equal(ConnectHost.Start, alpha.ConnectedAt);
    }

    [Fact]
    public async Task Callback_WithAStateThatIsNotTheOneStarted_IsRefused_AndConnectsNothing()
    {
        await using var host = await ConnectHost.StartAsync();
        var begun = await host.BeginAsync();
        var redirect = await host.ConsentAtXeroAsync(begun, ConnectHost.Choose(host.Alpha));
        var forged = new Uri(redirect.ToString().Replace("state=", "state=x", StringComparison.Ordinal));

        var answer = await host.CallbackAsync(forged, begun.Cookie);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains("does not match", answer.Body, StringComparison.Ordinal);
        Assert.Empty(await host.Tenants.ListAsync());
    }

    [Fact]
    public async Task Callback_WithoutTheConsentCookie_IsRefused_AndConnectsNothing()
    {
        await using var host = await ConnectHost.StartAsync();
        var begun = await host.BeginAsync();
        var redirect = await host.ConsentAtXeroAsync(begun, ConnectHost.Choose(host.Alpha));

        var answer = await host.CallbackAsync(redirect, cookie: null);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains("not started in this browser", answer.Body, StringComparison.Ordinal);
        Assert.Empty(await host.Tenants.ListAsync());
    }

    [Fact]
    public async Task Callback_WithAnotherBrowsersConsentCookie_IsRefused()
    {
        await using var host = await ConnectHost.StartAsync();
        var mine = await host.BeginAsync();
        var theirs = await host.BeginAsync();
        var redirect = await host.ConsentAtXeroAsync(mine, ConnectHost.Choose(host.Alpha));

        var answer = await host.CallbackAsync(redirect, theirs.Cookie);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Empty(await host.Tenants.ListAsync());
    }

    [Fact]
    public async Task Callback_AfterTheConsentExpired_IsRefused()
    {
        await using var host = await ConnectHost.StartAsync(connect: o => o.ConsentLifetime = TimeSpan.FromMinutes(5));
        var begun = await host.BeginAsync();
        var redirect = await host.ConsentAtXeroAsync(begun, ConnectHost.Choose(host.Alpha));
        host.Time.Advance(TimeSpan.FromMinutes(6));

        var answer = await host.CallbackAsync(redirect, begun.Cookie);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains("expired", answer.Body, StringComparison.Ordinal);
        Assert.Empty(await host.Tenants.ListAsync());
    }

    [Fact]
    public async Task Callback_UsedTwice_IsRefusedTheSecondTime()
    {
        await using var host = await ConnectHost.StartAsync();
        var begun = await host.BeginAsync();
        var redirect = await host.ConsentAtXeroAsync(begun, ConnectHost.Choose(host.Alpha));
        Assert.Equal(HttpStatusCode.OK, (await host.CallbackAsync(redirect, begun.Cookie)).Status);

        var again = await host.CallbackAsync(redirect, cookie: null);

        Assert.Equal(HttpStatusCode.BadRequest, again.Status);
    }

    [Fact]
    public async Task UserCancellingAtXero_GetsTheCancelPage_AndNothingIsConnected()
    {
        await using var host = await ConnectHost.StartAsync();

        var answer = await host.ConnectAsync("deny=true");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Contains("You cancelled connecting to Xero", answer.Body, StringComparison.Ordinal);
        Assert.Empty(await host.Tenants.ListAsync());
    }

    [Fact]
    public async Task XeroError_AtConsent_GetsTheErrorPageWithXerosReason()
    {
        // An app created after 2 March 2026 asking for the broad scope is refused at consent: no code comes back.
        await using var host = await ConnectHost.StartAsync(xero: o => o.Scopes.Add("accounting.transactions"));

        var answer = await host.ConnectAsync(ConnectHost.Choose(host.Alpha));

        Assert.Equal(HttpStatusCode.BadGateway, answer.Status);
        Assert.Contains("Invalid scope", answer.Body, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(await host.Tenants.ListAsync());
    }

    [Fact]
    public async Task ConnectionLimitReached_ShowsTheLimitPage_WithoutSendingTheUserToXero()
    {
        await using var host = await ConnectHost.StartAsync(connect: o => o.ConnectionLimit = 1);
        Assert.Equal(HttpStatusCode.OK, (await host.ConnectAsync(ConnectHost.Choose(host.Alpha))).Status);

        var begun = await host.BeginAsync();

        Assert.Equal(HttpStatusCode.Conflict, begun.Status);
        Assert.Null(begun.Location);
        Assert.Contains("allows 1 connected organisations", begun.Body, StringComparison.Ordinal);
        Assert.Null(await host.Tenants.GetAsync(host.BetaId));
    }

    [Fact]
    public async Task ConnectionLimit_FollowsTheTierOfTheXeroOptions()
    {
        // Starter allows 5 connections; five connected organisations fill it.
        await using var host = await ConnectHost.StartAsync(xero: o => o.Tier = Xero.XeroTier.Starter);
        for (var i = 0; i < 5; i++)
        {
            await host.Tenants.SaveAsync(new TenantState { TenantId = "org-" + i, Connection = ConnectionState.Connected, UpdatedAt = ConnectHost.Start });
        }

        var begun = await host.BeginAsync();

        Assert.Equal(HttpStatusCode.Conflict, begun.Status);
        Assert.Contains("allows 5 connected organisations", begun.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReconnectBringingBackAnotherOrganisation_IsRefusedWithAClearMessage_AndChangesNothing()
    {
        await using var host = await ConnectHost.StartAsync();
        await host.ConnectAsync(ConnectHost.Choose(host.Alpha));
        await host.Authorization.DisconnectTenantAsync(host.AlphaId, TenantDataRetention.Keep);

        var answer = await host.ConnectAsync(ConnectHost.Choose(host.Beta), "?tenantId=" + host.AlphaId);

        Assert.Equal(HttpStatusCode.Conflict, answer.Status);
        Assert.Contains("Reconnecting &#x27;Alpha Ltd&#x27; connected &#x27;Beta Partners&#x27; instead", answer.Body, StringComparison.Ordinal);
        Assert.Equal(ConnectionState.Disconnected, (await host.Tenants.GetAsync(host.AlphaId))?.Connection);
        Assert.Null(await host.Tenants.GetAsync(host.BetaId));
    }

    [Fact]
    public async Task ReconnectOfTheSameOrganisation_ConnectsItAgain_UnderItsOwnConnection()
    {
        await using var host = await ConnectHost.StartAsync();
        await host.ConnectAsync(ConnectHost.Choose(host.Alpha));
        var key = (await host.Tenants.GetAsync(host.AlphaId))!.ConnectionKey;
        await host.Authorization.DisconnectTenantAsync(host.AlphaId, TenantDataRetention.Keep);

        var answer = await host.ConnectAsync(ConnectHost.Choose(host.Alpha), "?tenantId=" + host.AlphaId);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Contains("Alpha Ltd is connected again", answer.Body, StringComparison.Ordinal);
        var alpha = await host.Tenants.GetAsync(host.AlphaId);
        Assert.Equal((ConnectionState.Connected, key), (alpha?.Connection, alpha?.ConnectionKey));
    }

    [Fact]
    public async Task ReconnectOfAnUnknownTenant_IsRefused_BeforeXero()
    {
        await using var host = await ConnectHost.StartAsync();

        var begun = await host.BeginAsync("?tenantId=not-a-tenant");

        Assert.Equal(HttpStatusCode.NotFound, begun.Status);
        Assert.Null(begun.Location);
        Assert.Contains("No organisation with id &#x27;not-a-tenant&#x27; was ever connected", begun.Body, StringComparison.Ordinal);
        Assert.Empty(await host.Tenants.ListAsync());
    }

    [Fact]
    public async Task Connect_IsAskedOfTheHostsAuthorizer_AndRefusedWhenItSaysNo()
    {
        var authorizer = new RecordingAuthorizer(allow: false);
        await using var host = await ConnectHost.StartAsync(services: s => s.AddSingleton<ISyncAuthorizer>(authorizer));

        var begun = await host.BeginAsync();

        Assert.Equal(HttpStatusCode.Forbidden, begun.Status);
        Assert.Null(begun.Location);
        var asked = Assert.Single(authorizer.Requests);
        Assert.Equal((SyncPermission.Connect, (string?)null), (asked.Permission, asked.TenantId));
    }

    [Fact]
    public async Task Reconnect_AsksTheAuthorizerForThatTenant()
    {
        var authorizer = new RecordingAuthorizer(allow: true);
        await using var host = await ConnectHost.StartAsync(services: s => s.AddSingleton<ISyncAuthorizer>(authorizer));
        await host.ConnectAsync(ConnectHost.Choose(host.Alpha));
        authorizer.Requests.Clear();

        await host.BeginAsync("?tenantId=" + host.AlphaId);

        Assert.Equal((SyncPermission.Connect, host.AlphaId), (authorizer.Requests[0].Permission, authorizer.Requests[0].TenantId));
    }

    [Fact]
    public async Task HostOutcomeCallback_AnswersInsteadOfSyncKitsPage()
    {
        XeroConnectOutcome? seen = null;
        await using var host = await ConnectHost.StartAsync(connect: o => o.OnOutcome = (_, outcome) =>
        {
            seen = outcome;
            return Task.FromResult<IResult?>(Results.Redirect("/settings/xero?connected=" + outcome.Connections.Count));
        });

        var answer = await host.ConnectAsync(ConnectHost.Choose(host.Alpha, host.Beta), "?returnUrl=/settings/xero");

        Assert.Equal(HttpStatusCode.Redirect, answer.Status);
        Assert.Equal("/settings/xero?connected=2", answer.Location?.ToString());
        Assert.Equal((XeroConnectResult.Connected, "/settings/xero"), (seen?.Result, seen?.ReturnUrl));
    }

    [Fact]
    public async Task ReturnUrl_ThatIsNotLocal_IsIgnored()
    {
        XeroConnectOutcome? seen = null;
        await using var host = await ConnectHost.StartAsync(connect: o => o.OnOutcome = (_, outcome) =>
        {
            seen = outcome;
            return Task.FromResult<IResult?>(null);
        });

        await host.ConnectAsync(ConnectHost.Choose(host.Alpha), "?returnUrl=//evil.example/phish");

        Assert.Null(seen?.ReturnUrl);
    }

    [Fact]
    public async Task SignedInUser_IsTheDefaultConnectionKey()
    {
        await using var host = await ConnectHost.StartAsync(services: s => s.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter>(new SignedInAs("user-7")));

        await host.ConnectAsync(ConnectHost.Choose(host.Alpha));

        Assert.Equal("user:user-7", (await host.Tenants.GetAsync(host.AlphaId))?.ConnectionKey);
    }

    internal sealed class RecordingAuthorizer(bool allow) : ISyncAuthorizer
    {
        public List<SyncAuthorizationRequest> Requests { get; } = [];

        public ValueTask<bool> IsAllowedAsync(SyncAuthorizationRequest request, CancellationToken cancellationToken = default)
        {
            lock (Requests)
            {
                Requests.Add(request);
            }

            return ValueTask.FromResult(allow);
        }
    }

    /// <summary>Signs every request in as one user (the host's authentication, reduced to what the endpoints read).</summary>
    private sealed class SignedInAs(string userId) : Microsoft.AspNetCore.Hosting.IStartupFilter
    {
        public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
        {
            app.Use(nextMiddleware => context =>
            {
                context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, userId)], "test"));
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
