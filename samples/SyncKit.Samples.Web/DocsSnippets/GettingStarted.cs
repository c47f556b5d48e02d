using SyncKit.Offboarding;
using SyncKit.Xero;

namespace SyncKit.Samples.Web.DocsSnippets;

/// <summary>docs/getting-started.md's web host, compiled here; a test runs it against the Xero emulator.</summary>
public static class GettingStarted
{
    /// <summary>Builds the web host of the guide.</summary>
    /// <param name="args">The command line (the guide's configuration keys may come from it).</param>
    /// <param name="substitute">What a test changes before the app is built (the emulator in place of Xero); the guide has none.</param>
    /// <returns>The app, not started.</returns>
    public static WebApplication CreateApp(string[] args, Action<WebApplicationBuilder>? substitute = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddDataProtection();                  // protects the consent's state cookie
        builder.Services.AddXeroSync(o =>
            {
                o.ClientId = builder.Configuration["Xero:ClientId"];
                o.ClientSecret = builder.Configuration["Xero:ClientSecret"];
                o.TokenEncryptionKey = builder.Configuration["Xero:TokenEncryptionKey"];
                o.RedirectUri = new Uri(builder.Configuration["Xero:RedirectUri"]!);  // https://your.app/xero/callback, registered at Xero
            })
            .UseSqliteStorage("synckit.db")
            .AddSource<MyInvoices>()
            .AddScheduledSync(TimeSpan.FromHours(3))
            .AddSyncKitHealthCheck();
        substitute?.Invoke(builder);
        var app = builder.Build();
        app.MapXeroConnect();              // GET /xero/connect → Xero's consent page → GET /xero/callback
        app.MapHealthChecks("/health");
        return app;
    }

    /// <summary>The guide's registration from configuration.</summary>
    /// <param name="builder">The app's builder.</param>
    public static void FromConfiguration(WebApplicationBuilder builder)
    {
        builder.Services.AddXeroSync(builder.Configuration.GetSection("SyncKit"))
            .UseSqliteStorage("synckit.db")
            .AddSource<MyInvoices>();
    }

    /// <summary>The guide's list of connected organisations.</summary>
    /// <param name="services">The app's services.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The tenants.</returns>
    public static async Task<IReadOnlyList<XeroTenantConnection>> ListAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var authorization = services.GetRequiredService<XeroAuthorization>();
        var tenants = await authorization.ListConnectionsAsync(cancellationToken);
        foreach (var tenant in tenants)
        {
            Console.WriteLine($"{tenant.Name} ({tenant.Type}): {tenant.Connection}, last synced {tenant.LastSyncAt:u}");
        }

        return tenants;
    }

    /// <summary>The guide's offboarding of a customer.</summary>
    /// <param name="services">The app's services.</param>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>What was done.</returns>
    public static async Task<XeroDisconnection> OffboardAsync(IServiceProvider services, string tenantId, CancellationToken cancellationToken)
    {
        var authorization = services.GetRequiredService<XeroAuthorization>();
        var done = await authorization.OffboardAsync(tenantId, cancellationToken);     // DELETE /connections/{id} at Xero, then delete its data
        return done;
    }

    /// <summary>The guide's disconnect that keeps the tenant's history.</summary>
    /// <param name="services">The app's services.</param>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>What was done.</returns>
    public static Task<XeroDisconnection> DisconnectKeepingHistoryAsync(IServiceProvider services, string tenantId, CancellationToken cancellationToken)
    {
        var authorization = services.GetRequiredService<XeroAuthorization>();
        return authorization.DisconnectTenantAsync(tenantId, TenantDataRetention.Keep, cancellationToken);
    }
}
