using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SyncKit.Ledger;
using SyncKit.Storage;

namespace SyncKit.Samples.Console.DocsSnippets;

// The README's quick start, compiled here (a test checks the README matches).
internal static class QuickStart
{
    public static async Task<LedgerPage> RunAsync(string[] args, string tenantId)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Services.AddXeroSync(o =>
            {
                o.ClientId = builder.Configuration["Xero:ClientId"];
                o.ClientSecret = builder.Configuration["Xero:ClientSecret"];
                o.TokenEncryptionKey = builder.Configuration["Xero:TokenEncryptionKey"];
            })
            .UseSqliteStorage("synckit.db")             // or UsePostgreSqlStorage(connectionString) for many nodes
            .AddSource<MyInvoices>()                    // a SyncSource<InvoiceRecord> over your own tables
            .AddScheduledSync(TimeSpan.FromHours(3));   // optional: "every few hours"
        using var host = builder.Build();
        await host.StartAsync();
        var engine = host.Services.GetRequiredService<ISyncEngine>();
        var run = await engine.SyncAsync(new SyncRequest { TenantId = tenantId, RequestedBy = "sam" });
        var errors = await engine.QueryLedgerAsync(new LedgerQuery { TenantId = tenantId, States = [LedgerState.Failed] });
        await host.StopAsync();
        return run.Outcome == Runs.RunOutcome.Failed ? throw new InvalidOperationException(run.Message) : errors;
    }
}
