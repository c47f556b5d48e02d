using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using SyncKit.Testing.Emulator;

namespace SyncKit.Testing.Tests;

/// <summary>The emulator's webhooks: intent to receive, signed events on writes, retries on the virtual clock, disabling, drop and delay.</summary>
public sealed class WebhookTests
{
    private static readonly Uri s_url = new("http://127.0.0.1/hooks");

    /// <summary>A receiver: checks the signature with the key it is given, records the deliveries, answers as told.</summary>
    private sealed class Receiver : HttpMessageHandler
    {
        public string Key { get; set; } = string.Empty;

        public bool Healthy { get; set; } = true;

        public bool AcceptAnything { get; set; }

        public ConcurrentQueue<JsonObject> Deliveries { get; } = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
            var signature = request.Headers.GetValues("x-xero-signature").Single();
            var good = signature == Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Key), body));
            if (!Healthy)
            {
                return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
            }

            if (!good && !AcceptAnything)
            {
                return new HttpResponseMessage(HttpStatusCode.Unauthorized);
            }

            Deliveries.Enqueue(JsonNode.Parse(body)!.AsObject());
            return new HttpResponseMessage(HttpStatusCode.OK);
        }
    }

    private static async Task<(XeroEmulator Emulator, FakeTimeProvider Time, Receiver Receiver, EmulatorTenant Tenant)> ActiveAsync(Receiver? receiver = null)
    {
        var time = new FakeTimeProvider(EmulatorFixture.Start);
        receiver ??= new Receiver();
        var emulator = XeroEmulator.Create(new XeroEmulatorOptions { TimeProvider = time, WebhookHandler = receiver });
        var tenant = await emulator.CreateTenantAsync();
        receiver.Key = emulator.CreateWebhook(s_url).WebhookKey;
        Assert.Equal(EmulatorWebhookStatus.Active, (await emulator.SendIntentToReceiveAsync()).Status);
        return (emulator, time, receiver, tenant);
    }

    private static void EditContactAsUser(XeroEmulator emulator, EmulatorTenant tenant, string name) =>
        emulator.ActAsUser(tenant.TenantId, "Contacts", $$"""{"Contacts":[{"Name":"{{name}}"}]}""");

    [Fact]
    public async Task A_receiver_that_accepts_a_bad_signature_fails_the_intent_to_receive_check_and_gets_no_events()
    {
        var receiver = new Receiver { AcceptAnything = true };
        var time = new FakeTimeProvider(EmulatorFixture.Start);
        await using var emulator = XeroEmulator.Create(new XeroEmulatorOptions { TimeProvider = time, WebhookHandler = receiver });
        var tenant = await emulator.CreateTenantAsync();
        receiver.Key = emulator.CreateWebhook(s_url).WebhookKey;

        var webhook = await emulator.SendIntentToReceiveAsync();
        EditContactAsUser(emulator, tenant, "Nobody Hears Ltd");
        await emulator.DeliverWebhooksAsync();

        Assert.Equal(EmulatorWebhookStatus.IntentToReceiveFailed, webhook.Status);
        Assert.All(receiver.Deliveries, d => Assert.Empty(d["events"]!.AsArray()));
    }

    [Fact]
    public async Task A_write_through_the_API_is_delivered_as_a_signed_event_with_the_record_s_id()
    {
        var (emulator, _, receiver, tenant) = await ActiveAsync();
        await using var _ = emulator;
        using var client = emulator.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "api.xro/2.0/Contacts") { Content = new StringContent("""{"Contacts":[{"Name":"Api Made Ltd"}]}""", Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tenant.AccessToken);
        request.Headers.Add("xero-tenant-id", tenant.TenantId.ToString());
        using var response = await client.SendAsync(request);
        var contactId = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["Contacts"]![0]!["ContactID"]!.GetValue<string>();

        await emulator.DeliverWebhooksAsync();

        var delivery = receiver.Deliveries.Last();
        var e = Assert.Single(delivery["events"]!.AsArray())!;
        Assert.Equal("CONTACT", e["eventCategory"]!.GetValue<string>());
        Assert.Equal("CREATE", e["eventType"]!.GetValue<string>());
        Assert.Equal(contactId, e["resourceId"]!.GetValue<string>());
        Assert.Equal(tenant.TenantId.ToString(), e["tenantId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Failed_deliveries_are_retried_less_and_less_often_and_the_webhook_is_disabled_after_a_day()
    {
        var (emulator, time, receiver, tenant) = await ActiveAsync();
        await using var _ = emulator;
        receiver.Healthy = false;
        EditContactAsUser(emulator, tenant, "Unlucky Ltd");

        var attemptsAt = new List<TimeSpan>();
        var start = time.GetUtcNow();
        for (var minute = 0; minute <= 40 * 60 && emulator.GetWebhook()!.Status == EmulatorWebhookStatus.Active; minute++)
        {
            var before = emulator.GetWebhook()!.FailedAttempts;
            await emulator.DeliverWebhooksAsync();
            if (emulator.GetWebhook()!.FailedAttempts > before)
            {
                attemptsAt.Add(time.GetUtcNow() - start);
            }

            time.Advance(TimeSpan.FromMinutes(1));
        }

        var gaps = attemptsAt.Zip(attemptsAt.Skip(1), (a, b) => b - a).ToList();
        Assert.Equal(EmulatorWebhookStatus.Disabled, emulator.GetWebhook()!.Status);
        Assert.True(attemptsAt[^1] >= TimeSpan.FromHours(24), string.Join(", ", attemptsAt));
        Assert.True(gaps.Zip(gaps.Skip(1)).All(p => p.Second >= p.First), string.Join(", ", gaps));
        Assert.True(gaps[^1] > gaps[0]);
        Assert.Equal(0, emulator.GetWebhook()!.Waiting);
    }

    [Fact]
    public async Task Dropped_deliveries_never_reach_the_receiver_and_are_retried_once_dropping_stops()
    {
        var (emulator, time, receiver, tenant) = await ActiveAsync();
        await using var _ = emulator;
        var before = receiver.Deliveries.Count;
        emulator.DropWebhooks(true);
        EditContactAsUser(emulator, tenant, "Dropped Ltd");

        await emulator.DeliverWebhooksAsync();
        Assert.Equal(before, receiver.Deliveries.Count);
        Assert.Equal(1, emulator.GetWebhook()!.FailedAttempts);

        emulator.DropWebhooks(false);
        time.Advance(TimeSpan.FromMinutes(1));
        await emulator.DeliverWebhooksAsync();

        Assert.Equal(before + 1, receiver.Deliveries.Count);
    }

    [Fact]
    public async Task A_delayed_delivery_waits_on_the_virtual_clock()
    {
        var (emulator, time, receiver, tenant) = await ActiveAsync();
        await using var _ = emulator;
        var before = receiver.Deliveries.Count;
        emulator.DelayWebhooks(TimeSpan.FromMinutes(10));
        EditContactAsUser(emulator, tenant, "Later Ltd");

        await emulator.DeliverWebhooksAsync();
        Assert.Equal(before, receiver.Deliveries.Count);
        Assert.Equal(1, emulator.GetWebhook()!.Waiting);

        time.Advance(TimeSpan.FromMinutes(10));
        await emulator.DeliverWebhooksAsync();

        Assert.Equal(before + 1, receiver.Deliveries.Count);
    }

    [Fact]
    public async Task The_control_API_creates_a_webhook_and_drops_deliveries()
    {
        await using var emulator = XeroEmulator.Create(new XeroEmulatorOptions { TimeProvider = new FakeTimeProvider(EmulatorFixture.Start) });
        using var client = emulator.CreateHttpClient();

        using var created = await client.PostAsync("_emulator/webhooks", new StringContent("""{"url":"http://127.0.0.1:5999/hooks"}""", Encoding.UTF8, "application/json"));
        using var remote = await client.PostAsync("_emulator/webhooks", new StringContent("""{"url":"http://example.com/hooks"}""", Encoding.UTF8, "application/json"));
        using var dropped = await client.PatchAsync("_emulator/webhooks", new StringContent("""{"drop":true,"delaySeconds":30}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.False(string.IsNullOrEmpty(JsonNode.Parse(await created.Content.ReadAsStringAsync())!["webhookKey"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.BadRequest, remote.StatusCode);
        Assert.Equal(HttpStatusCode.OK, dropped.StatusCode);
        Assert.Equal(EmulatorWebhookStatus.Pending, emulator.GetWebhook()!.Status);
    }
}
