// The web sample: a host's web app with SyncKit's sync dashboard, connect pages and webhook receiver, over the Xero
// emulator and the demo data. `dotnet run --project samples/SyncKit.Samples.Web`, then open http://127.0.0.1:5080/synckit
using SyncKit.AspNetCore.Connect;
using SyncKit.AspNetCore.Dashboard;
using SyncKit.AspNetCore.Webhooks;
using SyncKit.Authorization;
using SyncKit.Samples.Web;

var builder = WebApplication.CreateBuilder(args);
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    // Loopback only: this sample's dashboard allows anonymous users (local development).
    builder.WebHost.UseUrls("http://127.0.0.1:5080");
}

var siteAddress = new Uri((builder.Configuration["urls"] ?? "http://127.0.0.1:5080").Split(';')[0].TrimEnd('/') + "/");
await using var demo = await DemoSite.StartAsync(builder.Configuration["db"], CancellationToken.None);
demo.Register(builder.Services, siteAddress);

// Who may do what on the dashboard: this sample lets everyone do everything, Sync All included.
builder.Services.AddSingleton<ISyncAuthorizer, EveryoneMayDoEverything>();
builder.Services.AddSyncKitDashboard();

var app = builder.Build();
await demo.PrepareAsync(app.Services, CancellationToken.None);

app.MapSyncKitDashboard("/synckit", new SyncKitDashboardOptions
{
    AllowAnonymous = true, // local development only
    ReconnectUrl = tenantId => "/xero/connect?tenantId=" + Uri.EscapeDataString(tenantId) + "&returnUrl=/synckit",
});
app.MapXeroConnect();        // GET /xero/connect → the emulator's consent page → GET /xero/callback
app.MapXeroWebhooks();       // POST /xero/webhooks: the emulator's signed deliveries
app.MapGet("/", () => Results.Redirect("/synckit"));

await app.StartAsync();
await demo.Emulator.SendIntentToReceiveAsync();   // Xero checks a new webhook URL before it delivers events
await app.WaitForShutdownAsync();

/// <summary>The sample's entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
