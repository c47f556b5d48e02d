using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using SyncKit.AspNetCore.Webhooks;
using SyncKit.Inbound;
using SyncKit.Records;
using SyncKit.Storage;
using SyncKit.Testing.Emulator;
using SyncKit.Xero;

namespace SyncKit.AspNetCore.Tests.Webhooks;

/// <summary>
/// A web host as a product would wire it — <c>AddXeroSync(...).AddXeroWebhooks(...)</c> and <c>MapXeroWebhooks()</c> — on
/// an in-process TestServer, whose Xero is the emulator on the same virtual clock; the emulator's webhook deliveries go
/// straight to the TestServer.
/// </summary>
internal sealed class WebhookHost : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    private WebhookHost(FakeTimeProvider time, XeroEmulator emulator, LateHandler delivery)
    {
        Time = time;
        Emulator = emulator;
        Delivery = delivery;
    }

    public FakeTimeProvider Time { get; }

    public XeroEmulator Emulator { get; }

    public EmulatorTenant Tenant { get; private set; } = null!;

    public string TenantId => Tenant.TenantId.ToString();

    public EmulatorWebhook Webhook { get; private set; } = null!;

    public WebApplication App { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public HostContacts Contacts { get; } = new();

    public HostPayments Payments { get; } = new();

    public XeroWebhookProcessor Processor => App.Services.GetRequiredService<XeroWebhookProcessor>();

    public WebhookInbox Inbox => App.Services.GetRequiredService<WebhookInbox>();

    private LateHandler Delivery { get; }

    /// <summary>The emulator's webhook is created (its key configures the host), the host starts, and the intent-to-receive check is answered.</summary>
    public static async Task<WebhookHost> CreateAsync()
    {
        var time = new FakeTimeProvider(Start);
        var delivery = new LateHandler();
        var emulator = XeroEmulator.Create(new XeroEmulatorOptions { TimeProvider = time, Seed = 7, WebhookHandler = delivery });
        var host = new WebhookHost(time, emulator, delivery);
        host.Tenant = await emulator.CreateTenantAsync(new EmulatorTenantOptions { Name = "Webhook Pty Ltd" });
        host.Webhook = emulator.CreateWebhook(new Uri("http://localhost/xero/webhooks"));

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services
            .AddXeroSync(o =>
            {
                o.ClientId = host.Tenant.ClientId;
                o.ClientSecret = host.Tenant.ClientSecret;
                o.ApiBaseUrl = o.IdentityBaseUrl = o.LoginBaseUrl = emulator.BaseAddress;
                o.TokenEncryptionKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
                o.RedirectUri = new Uri("https://host.invalid/xero/callback");
            })
            .UseInMemoryStorage()
            .ConfigureXeroHttpClients(b => b.ConfigurePrimaryHttpMessageHandler(emulator.CreateHandler))
            .AddTarget(host.Contacts)
            .AddTarget(host.Payments)
            .AddSyncKitHealthCheck(o => o.WebhooksQuietAfter = TimeSpan.FromDays(2))
            .AddXeroWebhooks(o =>
            {
                o.WebhookKey = host.Webhook.WebhookKey;

                // The tests drive the processor and the reconciliation themselves; the background service stays idle.
                o.PollInterval = TimeSpan.FromDays(365);
                o.ReconcileEvery = TimeSpan.Zero;
            });
        host.App = builder.Build();
        host.App.MapXeroWebhooks();
        await host.App.StartAsync();
        host.Client = host.App.GetTestClient();
        delivery.Inner = host.App.GetTestServer().CreateHandler();

        await host.App.Services.GetRequiredService<XeroAuthorization>().SaveTokensAsync(host.TenantId, new XeroTokenSet
        {
            AccessToken = host.Tenant.AccessToken,
            RefreshToken = host.Tenant.RefreshToken,
            ExpiresAt = time.GetUtcNow().AddMinutes(30),
        });
        await host.App.Services.GetRequiredService<TenantStore>().SaveAsync(new TenantState { TenantId = host.TenantId, Name = host.Tenant.Name, Connection = ConnectionState.Connected, UpdatedAt = Start });
        host.Webhook = await emulator.SendIntentToReceiveAsync();
        return host;
    }

    /// <summary>Signs a body with the host's webhook key, as Xero does.</summary>
    public string Sign(string body) => Sign(body, Webhook.WebhookKey);

    public static string Sign(string body, string key) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(body)));

    /// <summary>Posts a body to the receiver with a signature header (none when null).</summary>
    public async Task<HttpResponseMessage> PostAsync(string body, string? signature)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/xero/webhooks") { Content = content };
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation("x-xero-signature", signature);
        }

        return await Client.SendAsync(request);
    }

    /// <summary>A delivery body with one event.</summary>
    public string Delivery1(string category, string resourceId, string type = "UPDATE", DateTimeOffset? at = null) =>
        JsonSerializer.Serialize(new
        {
            events = new[]
            {
                new
                {
                    resourceUrl = $"https://api.xero.com/api.xro/2.0/{category}s/{resourceId}",
                    resourceId,
                    eventDateUtc = (at ?? Time.GetUtcNow()).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture),
                    eventType = type,
                    eventCategory = category,
                    tenantId = TenantId,
                    tenantType = "ORGANISATION",
                },
            },
            firstEventSequence = 1,
            lastEventSequence = 1,
            entropy = "S0M3R4ND0M",
        });

    /// <summary>What a user does in Xero's own screens (no call counted to the app); returns the answer's body.</summary>
    public string ActAsUser(string collection, string json) => Emulator.ActAsUser(Tenant.TenantId, collection, json);

    /// <summary>Waits out the debounce and lets the processor pull what the webhooks stored.</summary>
    public async Task<int> ProcessWebhooksAsync()
    {
        await Emulator.DeliverWebhooksAsync();
        Time.Advance(TimeSpan.FromSeconds(5));
        return await Processor.ProcessDueAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        await Emulator.DisposeAsync();
    }

    /// <summary>The TestServer's handler exists only once the host is built: deliveries go through this until then.</summary>
    internal sealed class LateHandler : HttpMessageHandler
    {
        public HttpMessageHandler? Inner { get; set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Inner is { } inner
                ? new HttpMessageInvoker(inner, disposeHandler: false).SendAsync(request, cancellationToken)
                : throw new HttpRequestException("The host is not listening yet.");
    }
}

/// <summary>The host's customers: contacts pulled from Xero, counted per Xero id.</summary>
internal sealed class HostContacts : SyncTarget<PulledContact>
{
    public ConcurrentDictionary<string, int> Applied { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, string?> Emails { get; } = new(StringComparer.Ordinal);

    public override RecordKind Kind => RecordKind.Contact;

    public override Task<string?> ApplyAsync(PulledChange<PulledContact> change, CancellationToken cancellationToken = default)
    {
        Applied.AddOrUpdate(change.Record.RemoteId, 1, (_, n) => n + 1);
        Emails[change.Record.RemoteId] = change.Record.Email;
        return Task.FromResult<string?>(change.HostId ?? "c-" + change.Record.RemoteId);
    }
}

/// <summary>The host's open invoices (host id → outstanding) and the payments made on them in Xero.</summary>
internal sealed class HostPayments : PaymentTarget
{
    public ConcurrentDictionary<string, decimal> Open { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, string> Paid { get; } = new(StringComparer.Ordinal);

    public override Task<IReadOnlyList<string>> FindOpenInvoicesAsync(string tenantId, string? customerHostId, PulledPayment payment, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>>([.. Open.Where(p => p.Value == payment.Amount).Select(p => p.Key)]);

    public override Task<string?> ApplyAsync(PulledChange<PulledPayment> change, CancellationToken cancellationToken = default)
    {
        if (change.ParentHostId is { } invoice)
        {
            Open[invoice] = 0m;
            Paid[invoice] = change.Record.RemoteId;
        }

        return Task.FromResult<string?>("pay-" + change.Record.RemoteId);
    }
}
