using SyncKit.AspNetCore.Webhooks;
using SyncKit.Testing.Emulator;

namespace SyncKit.Samples.Web.DocsSnippets;

// The code shown in docs/webhooks.md, compiled here (a test checks the docs match).
internal static class WebhooksSnippets
{
    public static void Register(WebApplicationBuilder builder)
    {
        builder.Services.AddXeroSync(o => builder.Configuration.GetSection("SyncKit:Xero").Bind(o))
            .UseSqliteStorage("synckit.db")
            .AddXeroWebhooks(o => o.WebhookKey = builder.Configuration["SyncKit:Xero:WebhookKey"]!);
    }

    public static void Map(WebApplication app)
    {
        app.MapXeroWebhooks("/xero/webhooks");
    }

    public static void Options(WebApplicationBuilder builder)
    {
        builder.Services.AddXeroSync(o => builder.Configuration.GetSection("SyncKit:Xero").Bind(o))
            .AddXeroWebhooks(o =>
            {
                o.WebhookKey = builder.Configuration["SyncKit:Xero:WebhookKey"]!;
                o.Debounce = TimeSpan.FromSeconds(5);         // events of a tenant within this window become one pull
                o.PollInterval = TimeSpan.FromSeconds(2);     // how often the processor looks at the inbox
                o.ClaimFor = TimeSpan.FromMinutes(10);        // a node that stops part-way loses its events after this
                o.ReconcileEvery = TimeSpan.FromHours(1);     // pull every tenant from its watermarks (Zero: off)
                o.PullPaymentsOnInvoiceEvents = true;         // an Invoice event also pulls payments (Xero sends none)
            })
            .AddSyncKitHealthCheck(o => o.WebhooksQuietAfter = TimeSpan.FromDays(2));
    }

    public static async Task EmulatorAsync(XeroEmulator emulator)
    {
        var webhook = emulator.CreateWebhook(new Uri("http://127.0.0.1:5080/xero/webhooks"));
        // ... start the host with webhook.WebhookKey, then:
        var checkedWebhook = await emulator.SendIntentToReceiveAsync();
        emulator.DropWebhooks(true);                      // deliveries fail as in an outage (retried, then disabled)
        emulator.DelayWebhooks(TimeSpan.FromMinutes(10)); // new deliveries wait on the virtual clock
        await emulator.DeliverWebhooksAsync();            // send what is due now and wait for the answers
        _ = (webhook, checkedWebhook);
    }
}
