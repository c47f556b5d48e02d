using System.Net;

namespace SyncKit.AspNetCore.Tests.Webhooks;

/// <summary>The receiver's signature check: a table of good and bad bodies and headers, each answered with an empty body.</summary>
public sealed class SignatureTests(SignatureTests.HostFixture fixture) : IClassFixture<SignatureTests.HostFixture>
{
    private const string Intent = """{"events":[],"firstEventSequence":0,"lastEventSequence":0,"entropy":"ABCDEFGHIJ"}""";

    /// <summary>One host for the whole table.</summary>
    public sealed class HostFixture : IAsyncLifetime
    {
        internal WebhookHost Host { get; private set; } = null!;

        public async Task InitializeAsync() => Host = await WebhookHost.CreateAsync();

        public async Task DisposeAsync() => await Host.DisposeAsync();
    }

    /// <summary>Case name, body (null: an invoice event), how to sign it, the status wanted.</summary>
    public static TheoryData<string, string?, Func<string, string, string?>, HttpStatusCode> Cases => new()
    {
        { "intent to receive, signed with the key", Intent, (body, key) => WebhookHost.Sign(body, key), HttpStatusCode.OK },
        { "an event, signed with the key", null, (body, key) => WebhookHost.Sign(body, key), HttpStatusCode.OK },
        { "intent to receive, no signature header", Intent, (_, _) => null, HttpStatusCode.Unauthorized },
        { "an event, empty signature", null, (_, _) => string.Empty, HttpStatusCode.Unauthorized },
        { "intent to receive, signed with another key", Intent, (body, _) => WebhookHost.Sign(body, "not-the-webhook-key"), HttpStatusCode.Unauthorized },
        { "an event, signature of another body", null, (body, key) => WebhookHost.Sign(body + " ", key), HttpStatusCode.Unauthorized },
        { "an event, signature not base64", null, (_, _) => "!!not base64!!", HttpStatusCode.Unauthorized },
        { "an event, signature cut short", null, (body, key) => WebhookHost.Sign(body, key)[..20], HttpStatusCode.Unauthorized },
        { "an event, signature as hex", null, (body, key) => Convert.ToHexString(Convert.FromBase64String(WebhookHost.Sign(body, key))), HttpStatusCode.Unauthorized },
        { "an event, the key's case changed", null, (body, key) => WebhookHost.Sign(body, key.ToUpperInvariant() == key ? key.ToLowerInvariant() : key.ToUpperInvariant()), HttpStatusCode.Unauthorized },
        { "not JSON, signed with the key", "events=1", (body, key) => WebhookHost.Sign(body, key), HttpStatusCode.BadRequest },
        { "not JSON, unsigned", "events=1", (_, _) => null, HttpStatusCode.Unauthorized },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_delivery_is_accepted_only_with_the_HMAC_SHA256_of_its_raw_body_and_answered_with_an_empty_body(string name, string? body, Func<string, string, string?> sign, HttpStatusCode wanted)
    {
        var host = fixture.Host;
        var text = body ?? host.Delivery1("INVOICE", Guid.NewGuid().ToString());

        using var response = await host.PostAsync(text, sign(text, host.Webhook.WebhookKey));

        Assert.True(wanted == response.StatusCode, $"{name}: wanted {wanted}, got {response.StatusCode}");
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }
}
