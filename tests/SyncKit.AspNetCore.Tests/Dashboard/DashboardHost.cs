using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using SyncKit.AspNetCore.Dashboard;
using SyncKit.Authorization;
using SyncKit.Ledger;
using SyncKit.Records;
using SyncKit.Storage;
using SyncKit.Testing.Connectors;
using SyncKit.Testing.Demo;
using SyncKit.Testing.Sources;

namespace SyncKit.AspNetCore.Tests.Dashboard;

/// <summary>
/// The dashboard in process (TestServer) over an engine with in-memory storage and the in-memory ledger, loaded with the
/// demo practice and synced once: the security rules are tested here without a browser.
/// </summary>
internal sealed partial class DashboardHost : IAsyncDisposable
{
    public const string Tenant = "tenant-demo";

    private readonly WebApplication _app;

    private DashboardHost(WebApplication app, string prefix)
    {
        _app = app;
        Prefix = prefix;
    }

    public string Prefix { get; }

    public IServiceProvider Services => _app.Services;

    public List<DashboardAction> Actions { get; } = [];

    /// <summary>Starts a host with the dashboard at <c>/synckit</c> (under <paramref name="pathBase"/> when given).</summary>
    public static async Task<DashboardHost> StartAsync(
        Action<SyncKitDashboardOptions> configure,
        Action<IEndpointConventionBuilder>? conventions = null,
        ISyncAuthorizer? authorizer = null,
        string? pathBase = null,
        bool addDashboardServices = true)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        var sources = new InMemorySourceSet();
        var demo = DemoPractice.Generate(new DateOnly(2026, 11, 1), customers: 5, invoices: 20);
        sources.Load(demo, Tenant);
        var connector = new InMemoryLedgerConnector();
        connector.Ledger(Tenant).Reference = demo.ApplyTo(connector.Ledger(Tenant).Reference);
        sources.AddTo(builder.Services.AddSyncKit(o => { o.RoundingAccountKey = "GL-ROUNDING"; o.RoundingTaxKey = "TAX-NONE"; }).UseInMemoryStorage().UseConnector(connector));
        builder.Services.AddAuthentication(HeaderAuthentication.SchemeName).AddScheme<AuthenticationSchemeOptions, HeaderAuthentication>(HeaderAuthentication.SchemeName, null);
        builder.Services.AddAuthorization(o => o.AddPolicy(HeaderAuthentication.SyncAdmins, p => p.RequireAuthenticatedUser().RequireRole("SyncAdmin")));
        if (authorizer is not null)
        {
            builder.Services.AddSingleton(authorizer);
        }

        if (addDashboardServices)
        {
            builder.Services.AddSyncKitDashboard();
        }

        var app = builder.Build();
        if (pathBase is not null)
        {
            app.UsePathBase(pathBase);
        }

        app.UseAuthentication();
        app.UseAuthorization();
        var host = new DashboardHost(app, (pathBase ?? string.Empty) + "/synckit");
        var options = new SyncKitDashboardOptions
        {
            OnAction = (action, _) =>
            {
                lock (host.Actions)
                {
                    host.Actions.Add(action);
                }

                return ValueTask.CompletedTask;
            },
        };
        configure(options);
        var endpoints = app.MapSyncKitDashboard("/synckit", options);
        conventions?.Invoke(endpoints);

        var mappings = app.Services.GetRequiredService<MappingStore>();
        foreach (var (kind, local, remote) in demo.Mappings)
        {
            await mappings.SetAsync(Tenant, kind, local, remote);
        }

        await app.Services.GetRequiredService<TenantStore>().SaveAsync(new TenantState { TenantId = Tenant, Name = "Demo Organisation", Connection = ConnectionState.Connected });
        await app.Services.GetRequiredService<ISyncEngine>().SyncAsync(new SyncRequest { TenantId = Tenant, RequestedBy = "test set-up" });
        await app.StartAsync();
        return host;
    }

    public HttpClient Client(string? user = null, string? role = null)
    {
        var client = _app.GetTestClient();
        if (user is not null)
        {
            client.DefaultRequestHeaders.Add(HeaderAuthentication.UserHeader, user);
        }

        if (role is not null)
        {
            client.DefaultRequestHeaders.Add(HeaderAuthentication.RoleHeader, role);
        }

        return client;
    }

    public string TenantPath(string path = "") => $"{Prefix}/tenants/{Tenant}{path}";

    public Task<LedgerEntry?> EntryAsync(RecordKind kind, string sourceId) =>
        _app.Services.GetRequiredService<LedgerStore>().GetAsync(new LedgerKey(Tenant, kind, sourceId));

    /// <summary>GETs a page and POSTs a form from it the way a browser would: with the page's antiforgery cookie and token.</summary>
    public static async Task<HttpResponseMessage> PostFromPageAsync(HttpClient client, string pagePath, string actionPath, IEnumerable<KeyValuePair<string, string>> fields)
    {
        using var page = await client.GetAsync(pagePath);
        page.EnsureSuccessStatusCode();
        var html = await page.Content.ReadAsStringAsync();
        var token = TokenField().Match(html);
        Assert.True(token.Success, "The page carries no antiforgery field.");
        using var request = new HttpRequestMessage(HttpMethod.Post, actionPath)
        {
            Content = new FormUrlEncodedContent([.. fields, new(token.Groups[1].Value, WebUtility.HtmlDecode(token.Groups[2].Value))]),
        };
        request.Headers.Add("Cookie", string.Join("; ", page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0])));
        return await client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"(__RequestVerificationToken[^\"]*)\" value=\"([^\"]+)\">")]
    private static partial Regex TokenField();
}
