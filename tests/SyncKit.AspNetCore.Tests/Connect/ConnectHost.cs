using System.Net;
using System.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using SyncKit.AspNetCore.Connect;
using SyncKit.Records;
using SyncKit.Storage;
using SyncKit.Testing.Emulator;
using SyncKit.Testing.Sources;
using SyncKit.Xero;

namespace SyncKit.AspNetCore.Tests.Connect;

/// <summary>
/// The tests' own web host: <c>AddXeroSync</c> on in-memory storage, <c>MapXeroConnect</c> under <c>/xero</c>, on a
/// TestServer, with an in-process Xero emulator (two organisations, Alpha Ltd and the practice Beta Partners) as Xero.
/// </summary>
internal sealed class ConnectHost : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    private ConnectHost(FakeTimeProvider time, XeroEmulator emulator, EmulatorApp app, EmulatorTenant alpha, EmulatorTenant beta, WebApplication web)
    {
        Time = time;
        Emulator = emulator;
        App = app;
        Alpha = alpha;
        Beta = beta;
        Web = web;
        Client = web.GetTestClient();
    }

    public FakeTimeProvider Time { get; }

    public XeroEmulator Emulator { get; }

    public EmulatorApp App { get; }

    public EmulatorTenant Alpha { get; }

    public EmulatorTenant Beta { get; }

    public string AlphaId => Alpha.TenantId.ToString();

    public string BetaId => Beta.TenantId.ToString();

    public WebApplication Web { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => Web.Services;

    public TenantStore Tenants => Services.GetRequiredService<TenantStore>();

    public XeroAuthorization Authorization => Services.GetRequiredService<XeroAuthorization>();

    public ISyncEngine Engine => Services.GetRequiredService<ISyncEngine>();

    public static async Task<ConnectHost> StartAsync(
        Action<XeroConnectOptions>? connect = null,
        Action<IServiceCollection>? services = null,
        Action<XeroOptions>? xero = null,
        EmulatorAppOptions? app = null)
    {
        var time = new FakeTimeProvider(Start);
        var emulator = XeroEmulator.Create(new XeroEmulatorOptions { TimeProvider = time });
        var alpha = await emulator.CreateTenantAsync(new EmulatorTenantOptions { Name = "Alpha Ltd" });
        var beta = await emulator.CreateTenantAsync(new EmulatorTenantOptions { Name = "Beta Partners", PracticeManager = true });
        var emulatedApp = emulator.CreateApp(app ?? new EmulatorAppOptions { Name = "Connect tests" });

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseTestServer();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        builder.Services
            .AddXeroSync(o =>
            {
                o.ClientId = emulatedApp.ClientId;
                o.ClientSecret = emulatedApp.ClientSecret;
                o.ApiBaseUrl = o.IdentityBaseUrl = o.LoginBaseUrl = emulator.BaseAddress;
                o.TokenEncryptionKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
                o.RedirectUri = new Uri("http://localhost/xero/callback");
                xero?.Invoke(o);
            })
            .UseInMemoryStorage()
            .AddSource(new InMemorySource<ContactRecord>(RecordKind.Contact))
            .ConfigureXeroHttpClients(b => b.ConfigurePrimaryHttpMessageHandler(emulator.CreateHandler));
        services?.Invoke(builder.Services);
        var web = builder.Build();
        web.MapXeroConnect("/xero", connect);
        await web.StartAsync();
        return new ConnectHost(time, emulator, emulatedApp, alpha, beta, web);
    }

    /// <summary>Opens the connect endpoint as a browser would (no redirects followed).</summary>
    public async Task<Begun> BeginAsync(string query = "")
    {
        using var response = await Client.GetAsync(new Uri("/xero/connect" + query, UriKind.Relative));
        var cookie = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.First() : null;
        return new Begun(response.StatusCode, response.Headers.Location, cookie, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The user at Xero's consent page: <paramref name="choice"/> is <c>tenantId=a,b</c> (choose) or <c>deny=true</c> (cancel). Returns where Xero sends the browser.</summary>
    public async Task<Uri> ConsentAtXeroAsync(Begun begun, string choice)
    {
        Assert.Equal(HttpStatusCode.Redirect, begun.Status);
        using var http = Emulator.CreateHttpClient();
        using var response = await http.GetAsync(new Uri(begun.Location + "&" + choice));
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        return response.Headers.Location!;
    }

    /// <summary>The browser arriving at the callback Xero redirected it to, with the consent cookie (or another one).</summary>
    public async Task<Answer> CallbackAsync(Uri redirect, string? cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(redirect.PathAndQuery, UriKind.Relative));
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie.Split(';')[0]);
        }

        using var response = await Client.SendAsync(request);
        return new Answer(response.StatusCode, response.Headers.Location, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The whole flow: connect, choose at Xero, come back.</summary>
    public async Task<Answer> ConnectAsync(string choice, string query = "")
    {
        var begun = await BeginAsync(query);
        var redirect = await ConsentAtXeroAsync(begun, choice);
        return await CallbackAsync(redirect, begun.Cookie);
    }

    public static string Choose(params EmulatorTenant[] tenants) => "tenantId=" + string.Join(',', tenants.Select(t => t.TenantId));

    public static string Query(Uri uri, string name) => HttpUtility.ParseQueryString(uri.Query)[name] ?? string.Empty;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Web.StopAsync();
        await Web.DisposeAsync();
        await Emulator.DisposeAsync();
    }

    internal sealed record Begun(HttpStatusCode Status, Uri? Location, string? Cookie, string Body);

    internal sealed record Answer(HttpStatusCode Status, Uri? Location, string Body);
}
