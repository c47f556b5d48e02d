using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using SyncKit.Testing.Demo;
using SyncKit.Xero;

namespace SyncKit.Samples.Console;

/// <summary>Real Xero, configured by SyncKit__Xero__ClientId, __ClientSecret, __TokenEncryptionKey, __RedirectUri and __TenantId.</summary>
internal sealed class RealXeroSampleLedger : SampleLedger
{
    /// <summary>All the sample's tenants share one user connection (one refresh token covers every organisation the user connected).</summary>
    public const string ConnectionKey = "sample-connection";

    private readonly IConfigurationSection _xero;
    private readonly IAnsiConsole _console;

    public RealXeroSampleLedger(IConfigurationSection xero, IAnsiConsole console)
    {
        _xero = xero;
        _console = console;
    }

    public static bool IsConfigured(IConfiguration configuration) => !string.IsNullOrEmpty(configuration["SyncKit:Xero:ClientId"]);

    public override string Description => "real Xero (configured by SyncKit__Xero__*)";

    public override IReadOnlyList<SampleTenant> Tenants => _xero["TenantId"] is { Length: > 0 } tenant
        ? [new SampleTenant(tenant, "Xero organisation", [.. AccountingKinds, .. PracticeKinds])]
        : [];

    public override Task InitializeAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override ISyncKitBuilder Register(IServiceCollection services, string databasePath) =>
        services.AddXeroSync(
                o =>
                {
                    _xero.Bind(o);
                    o.ConnectionKeyForTenant = _ => ConnectionKey;
                },
                SampleApp.ConfigureEngine)
            .UseSqliteStorage(databasePath);

    public override Task PrepareAsync(IServiceProvider services, DemoPractice practice, CancellationToken cancellationToken)
    {
        if (Tenants.Count == 0)
        {
            _console.MarkupLine("[yellow]Set SyncKit__Xero__TenantId to the organisation to sync (run 'connect' to list them).[/]");
        }

        return Task.CompletedTask;
    }

    public override Task UnlockPeriodAsync(CancellationToken cancellationToken)
    {
        _console.MarkupLine("In Xero: Advanced settings > Financial settings > Lock dates: clear the lock date, then retry.");
        return Task.CompletedTask;
    }
}
