using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using SyncKit.Testing.Emulator;

namespace SyncKit.Testing.Tests;

public sealed class IdentityTests
{
    private static async Task<Reply> Token(EmulatorFixture f, string form, string? secret = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "connect/token")
        {
            Content = new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes(f.Tenant.ClientId + ":" + (secret ?? f.Tenant.ClientSecret)));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
        using var response = await f.Client.SendAsync(request);
        return await Reply.ReadAsync(response);
    }

    [Fact]
    public async Task Refresh_returns_a_new_token_set()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var reply = await Token(f, "grant_type=refresh_token&refresh_token=" + f.Tenant.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(1800, reply.Json!["expires_in"]!.GetValue<int>());
        Assert.Equal("Bearer", reply.Json!["token_type"]!.GetValue<string>());
        Assert.NotEqual(f.Tenant.RefreshToken, reply.Json!["refresh_token"]!.GetValue<string>());
        f.AccessToken = reply.Json!["access_token"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await f.GetAsync("api.xro/2.0/Organisation")).Status);
    }

    [Fact]
    public async Task Reusing_a_rotated_refresh_token_within_30_minutes_is_allowed()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        await Token(f, "grant_type=refresh_token&refresh_token=" + f.Tenant.RefreshToken);
        f.Time.Advance(TimeSpan.FromMinutes(29));
        var reuse = await Token(f, "grant_type=refresh_token&refresh_token=" + f.Tenant.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, reuse.Status);
    }

    [Fact]
    public async Task Reusing_a_rotated_refresh_token_after_the_30_minute_grace_is_invalid_grant()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        await Token(f, "grant_type=refresh_token&refresh_token=" + f.Tenant.RefreshToken);
        f.Time.Advance(TimeSpan.FromMinutes(30));
        var reuse = await Token(f, "grant_type=refresh_token&refresh_token=" + f.Tenant.RefreshToken);
        Assert.Equal(HttpStatusCode.BadRequest, reuse.Status);
        Assert.Equal("invalid_grant", reuse.Json!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Newest_refresh_token_keeps_working()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var first = await Token(f, "grant_type=refresh_token&refresh_token=" + f.Tenant.RefreshToken);
        var second = await Token(f, "grant_type=refresh_token&refresh_token=" + first.Json!["refresh_token"]);
        Assert.Equal(HttpStatusCode.OK, second.Status);
    }

    [Fact]
    public async Task Wrong_client_secret_is_invalid_client()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var reply = await Token(f, "grant_type=refresh_token&refresh_token=" + f.Tenant.RefreshToken, secret: "wrong");
        Assert.Equal("invalid_client", reply.Json!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Access_token_expires_after_30_minutes()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        f.Time.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(HttpStatusCode.OK, (await f.GetAsync("api.xro/2.0/Organisation")).Status);
        f.Time.Advance(TimeSpan.FromMinutes(1));
        var reply = await f.GetAsync("api.xro/2.0/Organisation");
        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
        Assert.Equal("Unauthorized", reply.Json!["Title"]!.GetValue<string>());
        Assert.StartsWith("TokenExpired: token expired at", reply.Json!["Detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_token_is_401()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        f.AccessToken = "nonsense";
        Assert.Equal(HttpStatusCode.Unauthorized, (await f.GetAsync("api.xro/2.0/Organisation")).Status);
    }

    [Fact]
    public async Task Tenant_not_connected_to_the_token_is_403()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var reply = await f.SendAsync(HttpMethod.Get, "api.xro/2.0/Organisation", null, tenantId: Guid.NewGuid());
        Assert.Equal(HttpStatusCode.Forbidden, reply.Status);
        Assert.Equal("AuthenticationUnsuccessful", reply.Json!["Detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Client_credentials_issue_an_access_token_without_refresh_token()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var reply = await Token(f, "grant_type=client_credentials&scope=accounting.transactions%20accounting.settings");
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Null(reply.Json!["refresh_token"]);
        using var request = new HttpRequestMessage(HttpMethod.Get, "api.xro/2.0/Organisation");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", reply.Json!["access_token"]!.GetValue<string>());
        using var response = await f.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Authorize_redirects_with_a_code_and_the_state()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        using var response = await f.Client.GetAsync($"identity/connect/authorize?response_type=code&client_id={f.Tenant.ClientId}&redirect_uri={Uri.EscapeDataString("https://app.test/callback")}&scope=openid%20offline_access%20accounting.transactions&state=xyz");
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith("https://app.test/callback?code=", location.ToString(), StringComparison.Ordinal);
        Assert.Contains("state=xyz", location.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authorization_code_exchanges_once_for_tokens_and_connections()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        using var redirect = await f.Client.GetAsync($"identity/connect/authorize?response_type=code&client_id={f.Tenant.ClientId}&redirect_uri=https://app.test/cb&scope=openid%20offline_access%20accounting.transactions");
        var code = Uri.UnescapeDataString(redirect.Headers.Location!.Query.Split('&')[0].Split('=')[1]);
        var tokens = await Token(f, $"grant_type=authorization_code&code={Uri.EscapeDataString(code)}&redirect_uri=https://app.test/cb");
        Assert.Equal(HttpStatusCode.OK, tokens.Status);
        Assert.NotNull(tokens.Json!["refresh_token"]);
        Assert.NotNull(tokens.Json!["id_token"]);
        var again = await Token(f, $"grant_type=authorization_code&code={Uri.EscapeDataString(code)}&redirect_uri=https://app.test/cb");
        Assert.Equal("invalid_grant", again.Json!["error"]!.GetValue<string>());

        f.AccessToken = tokens.Json!["access_token"]!.GetValue<string>();
        var connections = (await f.GetAsync("connections")).Json!.AsArray();
        var connection = Assert.Single(connections)!;
        Assert.Equal(f.Tenant.TenantId.ToString(), connection["tenantId"]!.GetValue<string>());
        Assert.Equal("ORGANISATION", connection["tenantType"]!.GetValue<string>());
        Assert.Equal("Test Co", connection["tenantName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Disconnecting_a_connection_makes_the_tenant_403()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var connections = (await f.GetAsync("connections")).Json!.AsArray();
        var id = connections[0]!["id"]!.GetValue<string>();
        var delete = await f.SendAsync(HttpMethod.Delete, "connections/" + id, null);
        Assert.Equal(HttpStatusCode.NoContent, delete.Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await f.GetAsync("api.xro/2.0/Organisation")).Status);
        Assert.Empty((await f.GetAsync("connections")).Json!.AsArray());
    }

    [Fact]
    public async Task Revoked_refresh_token_is_invalid_grant()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "connect/revocation")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = f.Tenant.RefreshToken, ["client_id"] = f.Tenant.ClientId, ["client_secret"] = f.Tenant.ClientSecret }),
        };
        using var revoke = await f.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        var reply = await Token(f, "grant_type=refresh_token&refresh_token=" + f.Tenant.RefreshToken);
        Assert.Equal("invalid_grant", reply.Json!["error"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, (await f.GetAsync("api.xro/2.0/Organisation")).Status);
    }

    [Fact]
    public async Task Practice_tenants_are_listed_as_practicemanager()
    {
        await using var f = await EmulatorFixture.CreateAsync(new EmulatorTenantOptions { Name = "Practice", PracticeManager = true });
        var connection = (await f.GetAsync("connections")).Json!.AsArray().Single()!;
        Assert.Equal("PRACTICEMANAGER", connection["tenantType"]!.GetValue<string>());
    }
}
