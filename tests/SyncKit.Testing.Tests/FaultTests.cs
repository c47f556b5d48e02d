using System.Net;
using SyncKit.Testing.Emulator;

namespace SyncKit.Testing.Tests;

public sealed class FaultTests
{
    [Fact]
    public async Task Latency_delays_the_response_in_emulator_time()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        f.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.Latency, Latency = TimeSpan.FromSeconds(30) });
        var pending = f.GetAsync("api.xro/2.0/Organisation");
        Assert.False(pending.IsCompleted);
        f.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, (await pending).Status);
    }

    [Fact]
    public async Task Server_error_answers_the_status_without_doing_the_work()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        f.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.ServerError, StatusCode = 500, Method = "PUT", Count = 1 });
        var reply = await f.PutAsync("api.xro/2.0/Contacts", """{"Contacts":[{"Name":"Nope"}]}""");
        Assert.Equal(HttpStatusCode.InternalServerError, reply.Status);
        Assert.Empty((await f.GetAsync("api.xro/2.0/Contacts")).Json!["Contacts"]!.AsArray());
    }

    [Fact]
    public async Task Fault_with_a_count_is_spent_after_that_many_calls()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        f.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.ServerError, StatusCode = 502, Count = 2 });
        Assert.Equal(HttpStatusCode.BadGateway, (await f.GetAsync("api.xro/2.0/Organisation")).Status);
        Assert.Equal(HttpStatusCode.BadGateway, (await f.GetAsync("api.xro/2.0/Organisation")).Status);
        Assert.Equal(HttpStatusCode.OK, (await f.GetAsync("api.xro/2.0/Organisation")).Status);
    }

    [Fact]
    public async Task Organisation_offline_fault_answers_503_plain_text()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        f.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.OrganisationOffline, Count = 1 });
        var reply = await f.GetAsync("api.xro/2.0/Invoices");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, reply.Status);
        Assert.Equal("The Organisation is offline", reply.Body);
    }

    [Fact]
    public async Task Offline_tenant_answers_503_until_back_online()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        f.Emulator.SetOffline(f.Tenant.TenantId, true);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await f.GetAsync("api.xro/2.0/Invoices")).Status);
        f.Emulator.SetOffline(f.Tenant.TenantId, false);
        Assert.Equal(HttpStatusCode.OK, (await f.GetAsync("api.xro/2.0/Invoices")).Status);
    }

    [Fact]
    public async Task Commit_then_drop_lands_the_write_and_throws_in_the_client()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        f.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.CommitThenDrop, Method = "PUT", Path = "/Contacts", Count = 1 });
        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => f.PutAsync("api.xro/2.0/Contacts", """{"Contacts":[{"Name":"Landed"}]}"""));
        Assert.IsType<IOException>(ex.InnerException);
        var contacts = (await f.GetAsync("api.xro/2.0/Contacts")).Json!["Contacts"]!.AsArray();
        Assert.Equal("Landed", Assert.Single(contacts)!["Name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Rate_limit_storm_answers_429_with_the_configured_problem()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        f.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.RateLimit, RateLimitProblem = "day", RetryAfterSeconds = 66975, Count = 3 });
        for (var i = 0; i < 3; i++)
        {
            var reply = await f.GetAsync("api.xro/2.0/Invoices");
            Assert.Equal((HttpStatusCode)429, reply.Status);
            Assert.Equal("day", reply.Header("X-Rate-Limit-Problem"));
            Assert.Equal("66975", reply.Header("Retry-After"));
        }

        Assert.Equal(HttpStatusCode.OK, (await f.GetAsync("api.xro/2.0/Invoices")).Status);
    }

    [Fact]
    public async Task Token_revocation_fault_kills_access_and_refresh_tokens()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        f.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.RevokeToken, Count = 1 });
        Assert.Equal(HttpStatusCode.Unauthorized, (await f.GetAsync("api.xro/2.0/Invoices")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await f.GetAsync("api.xro/2.0/Invoices")).Status);
        using var request = new HttpRequestMessage(HttpMethod.Post, "connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "refresh_token",
                ["refresh_token"] = f.Tenant.RefreshToken,
                ["client_id"] = f.Tenant.ClientId,
                ["client_secret"] = f.Tenant.ClientSecret,
            }),
        };
        using var response = await f.Client.SendAsync(request);
        Assert.Contains("invalid_grant", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Faults_match_by_path_method_and_tenant()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var other = await f.Emulator.CreateTenantAsync(new EmulatorTenantOptions { Name = "Other" });
        f.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.ServerError, Method = "GET", Path = "/Invoices", TenantId = other.TenantId });
        Assert.Equal(HttpStatusCode.OK, (await f.GetAsync("api.xro/2.0/Invoices")).Status);
        f.AccessToken = other.AccessToken;
        Assert.Equal(HttpStatusCode.OK, (await f.SendAsync(HttpMethod.Get, "api.xro/2.0/Contacts", null, tenantId: other.TenantId)).Status);
        Assert.Equal(HttpStatusCode.InternalServerError, (await f.SendAsync(HttpMethod.Get, "api.xro/2.0/Invoices", null, tenantId: other.TenantId)).Status);
    }

    [Fact]
    public async Task Probabilistic_faults_are_deterministic_for_a_seed()
    {
        async Task<string> Pattern()
        {
            await using var f = await EmulatorFixture.CreateAsync(options: new XeroEmulatorOptions { Seed = 99 });
            f.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.ServerError, Probability = 0.5 });
            var statuses = new List<int>();
            for (var i = 0; i < 20; i++)
            {
                statuses.Add((int)(await f.GetAsync("api.xro/2.0/Organisation")).Status);
            }

            return string.Join(",", statuses);
        }

        var first = await Pattern();
        Assert.Equal(first, await Pattern());
        Assert.Contains("500", first, StringComparison.Ordinal);
        Assert.Contains("200", first, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clearing_faults_restores_normal_service()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        f.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.ServerError });
        f.Emulator.ClearFaults();
        Assert.Equal(HttpStatusCode.OK, (await f.GetAsync("api.xro/2.0/Organisation")).Status);
    }

    [Fact]
    public async Task Injected_faults_are_counted_in_stats()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        f.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.ServerError, Count = 1 });
        await f.GetAsync("api.xro/2.0/Organisation");
        Assert.Equal(1, f.Emulator.GetStats().Faults["ServerError"]);
    }
}

public sealed class IdentityFaultTests
{
    [Fact]
    public async Task Lost_refresh_response_can_be_retried_within_the_grace_period()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        f.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.CommitThenDrop, Path = "/connect/token", Count = 1 });
        HttpRequestMessage Refresh() => new(HttpMethod.Post, "connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "refresh_token",
                ["refresh_token"] = f.Tenant.RefreshToken,
                ["client_id"] = f.Tenant.ClientId,
                ["client_secret"] = f.Tenant.ClientSecret,
            }),
        };
        using (var first = Refresh())
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => f.Client.SendAsync(first));
        }

        // Xero keeps a used refresh token valid for 30 minutes, so a client whose answer was lost can ask again.
        using var second = Refresh();
        using var response = await f.Client.SendAsync(second);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("refresh_token", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Path_less_faults_do_not_hit_the_token_endpoint()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        f.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.ServerError });
        using var request = new HttpRequestMessage(HttpMethod.Post, "connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "refresh_token",
                ["refresh_token"] = f.Tenant.RefreshToken,
                ["client_id"] = f.Tenant.ClientId,
                ["client_secret"] = f.Tenant.ClientSecret,
            }),
        };
        using var response = await f.Client.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }
}
