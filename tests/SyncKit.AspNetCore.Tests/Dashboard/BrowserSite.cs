using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using SyncKit.AspNetCore.Dashboard;
using SyncKit.Authorization;
using SyncKit.Ledger;
using SyncKit.Records;
using SyncKit.Samples.Web;
using SyncKit.Storage;

namespace SyncKit.AspNetCore.Tests.Dashboard;

/// <summary>Whether Debian's chromium is installed: the browser tests drive it, and never download a browser.</summary>
internal static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public const string MissingReason = "Chromium is not installed at /usr/bin/chromium (Debian package 'chromium'; .ci/run installs it), so the browser tests are skipped; the in-process dashboard tests still run.";

    public static bool IsInstalled => File.Exists(ExecutablePath);
}

/// <summary>A test that drives the system's Chromium; skipped, with the reason, when Chromium is not installed.</summary>
internal sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (!Chromium.IsInstalled)
        {
            Skip = Chromium.MissingReason;
        }
    }
}

/// <summary>
/// The web sample's demo site (the Xero emulator, the demo data, SQLite) on a real loopback Kestrel port, under the path
/// base <c>/portal</c>, with three dashboards: <c>/synckit</c> (anonymous, every action), <c>/readonly</c> (read-only) and
/// <c>/secured</c> (the SyncAdmins policy); and a headless Chromium to look at them.
/// </summary>
public sealed class BrowserSite : IAsyncLifetime
{
    private WebApplication? _app;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private DemoSite? _demo;

    public DemoSite Demo => _demo ?? throw new InvalidOperationException("The site is not started.");

    public string Address { get; private set; } = string.Empty;

    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("The site is not started.");

    public async Task InitializeAsync()
    {
        if (!Chromium.IsInstalled)
        {
            return;
        }

        _demo = await DemoSite.StartAsync(null, CancellationToken.None);
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _demo.Register(builder.Services);
        builder.Services.AddSingleton<ISyncAuthorizer, AllowEverything>();
        builder.Services.AddSyncKitDashboard();
        builder.Services.AddAuthentication(HeaderAuthentication.SchemeName).AddScheme<AuthenticationSchemeOptions, HeaderAuthentication>(HeaderAuthentication.SchemeName, null);
        builder.Services.AddAuthorization(o => o.AddPolicy(HeaderAuthentication.SyncAdmins, p => p.RequireAuthenticatedUser().RequireRole("SyncAdmin")));

        _app = builder.Build();
        _app.UsePathBase("/portal");
        _app.UseAuthentication();
        _app.UseAuthorization();
        _app.MapSyncKitDashboard("/synckit", new SyncKitDashboardOptions { AllowAnonymous = true });
        _app.MapSyncKitDashboard("/readonly", new SyncKitDashboardOptions { AllowAnonymous = true, ReadOnly = true });
        _app.MapSyncKitDashboard("/secured", new SyncKitDashboardOptions { AuthorizationPolicy = HeaderAuthentication.SyncAdmins });
        await _demo.PrepareAsync(_app.Services, CancellationToken.None);
        await _app.StartAsync();
        Address = _app.Urls.Single();

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium.ExecutablePath,
            Headless = true,

            // Root in a container has no user namespaces for Chromium's sandbox.
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
        Assertions.SetDefaultExpectTimeout(60_000);
    }

    /// <summary>A fresh browser context (its own cookies) and page, addressed relative to the site.</summary>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 900, IDictionary<string, string>? headers = null)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Address,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ExtraHTTPHeaders = headers,
        });
        return await context.NewPageAsync();
    }

    public string Dashboard(string mount, string tenantId, string path = "") => $"/portal/{mount}/tenants/{tenantId}{path}";

    public Task<LedgerEntry?> EntryAsync(string tenantId, RecordKind kind, string sourceId) =>
        Services.GetRequiredService<LedgerStore>().GetAsync(new LedgerKey(tenantId, kind, sourceId));

    /// <summary>Saves a full-page screenshot to TestResults/screenshots at the clone's top (the docs' images are copies).</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var folder = Environment.GetEnvironmentVariable("SYNCKIT_SCREENSHOTS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(RepositoryRoot(), "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_app is not null)
        {
            _demo?.Gate.Open();
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (_demo is not null)
        {
            await _demo.DisposeAsync();
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SyncKit.sln")))
            {
                return dir.FullName;
            }
        }

        return AppContext.BaseDirectory;
    }

    private sealed class AllowEverything : ISyncAuthorizer
    {
        public ValueTask<bool> IsAllowedAsync(SyncAuthorizationRequest request, CancellationToken cancellationToken = default) => ValueTask.FromResult(true);
    }
}
