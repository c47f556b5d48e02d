using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Web;
using SyncKit.Testing.Emulator;

namespace SyncKit.Testing.Tests;

/// <summary>Xero as it is in 2026: granular scopes, app creation dates, tiers (connection caps, daily limits) and egress.</summary>
public sealed class PlatformTests
{
    private const string Redirect = "https://app.test/callback";
    private const string Granular = "offline_access accounting.settings accounting.contacts accounting.invoices";

    private static async Task<HttpResponseMessage> AuthorizeAsync(EmulatorFixture f, EmulatorApp app, string scope, params Guid[] tenants) =>
        await f.Client.GetAsync($"identity/connect/authorize?response_type=code&client_id={app.ClientId}&redirect_uri={Uri.EscapeDataString(Redirect)}&scope={Uri.EscapeDataString(scope)}&state=s1"
            + (tenants.Length > 0 ? "&tenantId=" + string.Join(',', tenants) : string.Empty));

    private static async Task<Reply> TokenAsync(EmulatorFixture f, EmulatorApp app, string form)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "connect/token")
        {
            Content = new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(app.ClientId + ":" + app.ClientSecret)));
        using var response = await f.Client.SendAsync(request);
        return await Reply.ReadAsync(response);
    }

    /// <summary>Consents for the fixture's tenant and returns the access token.</summary>
    private static async Task<string> ConnectAsync(EmulatorFixture f, EmulatorApp app, string scope)
    {
        using var consent = await AuthorizeAsync(f, app, scope, f.Tenant.TenantId);
        var code = HttpUtility.ParseQueryString(consent.Headers.Location!.Query)["code"]!;
        var token = await TokenAsync(f, app, $"grant_type=authorization_code&code={code}&redirect_uri={Uri.EscapeDataString(Redirect)}");
        Assert.Equal(HttpStatusCode.OK, token.Status);
        return token.Json!["access_token"]!.GetValue<string>();
    }

    [Fact]
    public async Task App_created_after_2_March_2026_asking_for_accounting_transactions_is_refused_at_consent_with_invalid_scope()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var app = f.Emulator.CreateApp(new EmulatorAppOptions { CreatedOn = new DateOnly(2026, 3, 2) });

        using var response = await AuthorizeAsync(f, app, "offline_access accounting.transactions accounting.contacts accounting.settings");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        var query = HttpUtility.ParseQueryString(response.Headers.Location!.Query);
        Assert.Equal("invalid_scope", query["error"]);
        Assert.Equal("unauthorized_client: Invalid scope for client", query["error_description"]);
        Assert.Null(query["code"]);
        Assert.Equal("s1", query["state"]);
    }

    [Fact]
    public async Task App_created_before_2_March_2026_may_still_ask_for_accounting_transactions()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var app = f.Emulator.CreateApp(new EmulatorAppOptions { CreatedOn = new DateOnly(2026, 3, 1), Tier = EmulatorTier.Core });

        using var response = await AuthorizeAsync(f, app, "offline_access accounting.transactions accounting.settings");

        Assert.NotNull(HttpUtility.ParseQueryString(response.Headers.Location!.Query)["code"]);
    }

    [Fact]
    public async Task New_app_asking_for_granular_scopes_gets_a_code()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var app = f.Emulator.CreateApp();

        using var response = await AuthorizeAsync(f, app, Granular);

        Assert.NotNull(HttpUtility.ParseQueryString(response.Headers.Location!.Query)["code"]);
    }

    [Fact]
    public async Task Custom_connection_created_after_29_April_2026_is_refused_broad_scopes_at_token_time()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var app = f.Emulator.CreateApp(new EmulatorAppOptions { CreatedOn = new DateOnly(2026, 4, 30), CustomConnection = true });

        var refused = await TokenAsync(f, app, "grant_type=client_credentials&scope=accounting.transactions%20accounting.settings");
        var granted = await TokenAsync(f, app, "grant_type=client_credentials&scope=accounting.invoices%20accounting.settings");

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal("invalid_scope", refused.Json!["error"]!.GetValue<string>());
        Assert.Equal("Client credentials scope validation failed", refused.Json!["error_description"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, granted.Status);
    }

    [Fact]
    public async Task Call_outside_the_granted_scopes_answers_401_insufficient_scope()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var app = f.Emulator.CreateApp();
        f.AccessToken = await ConnectAsync(f, app, Granular);

        var payments = await f.GetAsync("api.xro/2.0/Payments");
        var invoices = await f.GetAsync("api.xro/2.0/Invoices");

        Assert.Equal(HttpStatusCode.Unauthorized, payments.Status);
        Assert.Contains("insufficient_scope", payments.Header("WWW-Authenticate"), StringComparison.Ordinal);
        Assert.Equal("AuthorizationUnsuccessful", payments.Json!["Detail"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, invoices.Status);
    }

    [Fact]
    public async Task Read_only_scope_allows_reads_but_not_writes()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var app = f.Emulator.CreateApp();
        f.AccessToken = await ConnectAsync(f, app, "accounting.settings accounting.contacts.read");

        var read = await f.GetAsync("api.xro/2.0/Contacts");
        var write = await f.PutAsync("api.xro/2.0/Contacts", """{"Contacts":[{"Name":"Scoped Pty Ltd"}]}""");

        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, write.Status);
        Assert.Contains("insufficient_scope", write.Header("WWW-Authenticate"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Broad_scope_covers_the_granular_ones_under_it()
    {
        await using var f = await EmulatorFixture.CreateAsync();

        // The fixture's tenant is connected through the pre-2026 default app with accounting.transactions.
        var payments = await f.GetAsync("api.xro/2.0/Payments");

        Assert.Equal(HttpStatusCode.OK, payments.Status);
    }

    [Fact]
    public async Task Starter_app_at_its_five_connections_sends_the_next_consent_to_the_connection_limit_page()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var app = f.Emulator.CreateApp(new EmulatorAppOptions { Tier = EmulatorTier.Starter });
        var tenants = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            tenants.Add((await f.Emulator.CreateTenantAsync(new EmulatorTenantOptions { Name = $"Org {i}" })).TenantId);
        }

        using var five = await AuthorizeAsync(f, app, Granular, [.. tenants.Take(5)]);
        var code = HttpUtility.ParseQueryString(five.Headers.Location!.Query)["code"]!;
        Assert.Equal(HttpStatusCode.OK, (await TokenAsync(f, app, $"grant_type=authorization_code&code={code}&redirect_uri={Uri.EscapeDataString(Redirect)}")).Status);
        using var sixth = await AuthorizeAsync(f, app, Granular, tenants[5]);
        using var again = await AuthorizeAsync(f, app, Granular, tenants[0]);

        Assert.Equal(HttpStatusCode.Found, sixth.StatusCode);
        Assert.Equal("https://authorize.xero.com/connectionLimit", sixth.Headers.Location!.ToString());
        Assert.NotNull(HttpUtility.ParseQueryString(again.Headers.Location!.Query)["code"]);
    }

    [Fact]
    public async Task Starter_tier_allows_1000_calls_a_day_per_organisation()
    {
        await using var f = await EmulatorFixture.CreateAsync(options: new XeroEmulatorOptions { DayLimit = 5_000 });
        var app = f.Emulator.CreateApp(new EmulatorAppOptions { Tier = EmulatorTier.Starter });
        f.AccessToken = await ConnectAsync(f, app, Granular);

        var first = await f.GetAsync("api.xro/2.0/Invoices");

        Assert.Equal("999", first.Header("X-DayLimit-Remaining"));
    }

    [Fact]
    public async Task Core_tier_keeps_5000_calls_a_day()
    {
        await using var f = await EmulatorFixture.CreateAsync(options: new XeroEmulatorOptions { DayLimit = 5_000 });
        var app = f.Emulator.CreateApp(new EmulatorAppOptions { Tier = EmulatorTier.Core });
        f.AccessToken = await ConnectAsync(f, app, Granular);

        var first = await f.GetAsync("api.xro/2.0/Invoices");

        Assert.Equal("4999", first.Header("X-DayLimit-Remaining"));
    }

    [Fact]
    public async Task Egress_counts_response_bytes_per_app_and_tenant_but_not_the_Organisation_endpoint()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var invoices = await f.GetAsync("api.xro/2.0/Invoices");
        await f.GetAsync("api.xro/2.0/Organisation");

        var egress = Assert.Single(f.Emulator.GetStats().Egress);
        using var control = await f.Client.GetAsync("_emulator/egress");
        var json = System.Text.Json.Nodes.JsonNode.Parse(await control.Content.ReadAsStringAsync())!.AsArray();

        Assert.Equal(f.Tenant.ClientId, egress.ClientId);
        Assert.Equal(f.Tenant.TenantId, egress.TenantId);
        Assert.Equal(Encoding.UTF8.GetByteCount(invoices.Body), egress.Bytes);
        Assert.False(egress.ByEndpoint.ContainsKey("GET Organisation"));
        Assert.Equal(egress.Bytes, json[0]!["bytes"]!.GetValue<long>());
    }

    [Fact]
    public async Task Connection_tenantId_is_the_organisations_OrganisationID()
    {
        await using var f = await EmulatorFixture.CreateAsync();

        var connections = await f.GetAsync("connections");
        var organisation = await f.GetAsync("api.xro/2.0/Organisation");

        Assert.Equal(
            organisation.Json!["Organisations"]![0]!["OrganisationID"]!.GetValue<string>(),
            connections.Json![0]!["tenantId"]!.GetValue<string>());
    }
}
