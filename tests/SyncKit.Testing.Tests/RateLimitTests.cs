using System.Net;
using SyncKit.Testing.Emulator;

namespace SyncKit.Testing.Tests;

public sealed class RateLimitTests
{
    [Fact]
    public async Task Every_response_carries_the_remaining_headers()
    {
        await using var f = await EmulatorFixture.CreateAsync(options: new XeroEmulatorOptions { MinuteLimit = 60, DayLimit = 5000, AppMinuteLimit = 10_000 });
        var reply = await f.GetAsync("api.xro/2.0/Organisation");
        Assert.Equal("59", reply.Header("X-MinLimit-Remaining"));
        Assert.Equal("4999", reply.Header("X-DayLimit-Remaining"));
        Assert.Equal("9999", reply.Header("X-AppMinLimit-Remaining"));
    }

    [Fact]
    public async Task Xero_defaults_are_60_a_minute_5000_a_day_and_10000_per_app()
    {
        await using var emulator = XeroEmulator.Create();
        var tenant = await emulator.CreateTenantAsync();
        using var client = emulator.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "api.xro/2.0/Organisation");
        request.Headers.Authorization = new("Bearer", tenant.AccessToken);
        request.Headers.Add("xero-tenant-id", tenant.TenantId.ToString());
        using var response = await client.SendAsync(request);
        Assert.Equal("59", response.Headers.GetValues("X-MinLimit-Remaining").Single());
        Assert.Equal("4999", response.Headers.GetValues("X-DayLimit-Remaining").Single());
        Assert.Equal("9999", response.Headers.GetValues("X-AppMinLimit-Remaining").Single());
    }

    [Fact]
    public async Task Minute_limit_answers_429_with_retry_after_and_problem()
    {
        await using var f = await EmulatorFixture.CreateAsync(new EmulatorTenantOptions { MinuteLimit = 3 });
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await f.GetAsync("api.xro/2.0/Organisation")).Status);
        }

        f.Time.Advance(TimeSpan.FromSeconds(20));
        var limited = await f.GetAsync("api.xro/2.0/Organisation");
        Assert.Equal((HttpStatusCode)429, limited.Status);
        Assert.Equal("minute", limited.Header("X-Rate-Limit-Problem"));
        Assert.Equal("40", limited.Header("Retry-After"));
        Assert.Equal("0", limited.Header("X-MinLimit-Remaining"));
    }

    [Fact]
    public async Task Minute_window_resets_after_a_minute()
    {
        await using var f = await EmulatorFixture.CreateAsync(new EmulatorTenantOptions { MinuteLimit = 1 });
        await f.GetAsync("api.xro/2.0/Organisation");
        Assert.Equal((HttpStatusCode)429, (await f.GetAsync("api.xro/2.0/Organisation")).Status);
        f.Time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(HttpStatusCode.OK, (await f.GetAsync("api.xro/2.0/Organisation")).Status);
    }

    [Fact]
    public async Task Day_limit_answers_429_with_day_problem()
    {
        await using var f = await EmulatorFixture.CreateAsync(new EmulatorTenantOptions { DayLimit = 2 });
        await f.GetAsync("api.xro/2.0/Organisation");
        var second = await f.GetAsync("api.xro/2.0/Organisation");
        Assert.Equal("0", second.Header("X-DayLimit-Remaining"));
        f.Time.Advance(TimeSpan.FromMinutes(20));
        var limited = await f.GetAsync("api.xro/2.0/Organisation");
        Assert.Equal((HttpStatusCode)429, limited.Status);
        Assert.Equal("day", limited.Header("X-Rate-Limit-Problem"));
        Assert.Equal("85200", limited.Header("Retry-After"));
    }

    [Fact]
    public async Task App_minute_limit_spans_tenants()
    {
        await using var f = await EmulatorFixture.CreateAsync(options: new XeroEmulatorOptions { AppMinuteLimit = 2 });
        var other = await f.Emulator.CreateTenantAsync(new EmulatorTenantOptions { Name = "Other" });
        await f.GetAsync("api.xro/2.0/Organisation");
        f.AccessToken = other.AccessToken;
        var second = await f.SendAsync(HttpMethod.Get, "api.xro/2.0/Organisation", null, tenantId: other.TenantId);
        Assert.Equal("0", second.Header("X-AppMinLimit-Remaining"));
        var limited = await f.SendAsync(HttpMethod.Get, "api.xro/2.0/Organisation", null, tenantId: other.TenantId);
        Assert.Equal((HttpStatusCode)429, limited.Status);
        Assert.Equal("appminute", limited.Header("X-Rate-Limit-Problem"));
        Assert.NotNull(limited.Header("Retry-After"));
    }

    [Fact]
    public async Task Sixth_call_in_flight_gets_concurrent_problem()
    {
        await using var f = await EmulatorFixture.CreateAsync(new EmulatorTenantOptions { ConcurrentLimit = 5 });
        f.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.Latency, Latency = TimeSpan.FromSeconds(2), Count = 5 });
        var slow = Enumerable.Range(0, 5).Select(_ => f.GetAsync("api.xro/2.0/Organisation")).ToList();
        var sixth = await f.GetAsync("api.xro/2.0/Organisation");
        Assert.Equal((HttpStatusCode)429, sixth.Status);
        Assert.Equal("concurrent", sixth.Header("X-Rate-Limit-Problem"));
        f.Time.Advance(TimeSpan.FromSeconds(2));
        var done = await Task.WhenAll(slow);
        Assert.All(done, r => Assert.Equal(HttpStatusCode.OK, r.Status));
    }

    [Fact]
    public async Task Rejected_calls_are_counted_in_stats_by_problem()
    {
        await using var f = await EmulatorFixture.CreateAsync(new EmulatorTenantOptions { MinuteLimit = 1 });
        await f.GetAsync("api.xro/2.0/Organisation");
        await f.GetAsync("api.xro/2.0/Organisation");
        Assert.Equal(1, f.Emulator.GetStats().RateLimited["minute"]);
    }

    [Fact]
    public async Task Limits_can_be_changed_per_tenant()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        f.Emulator.SetRateLimits(f.Tenant.TenantId, minuteLimit: 1);
        await f.GetAsync("api.xro/2.0/Organisation");
        Assert.Equal((HttpStatusCode)429, (await f.GetAsync("api.xro/2.0/Organisation")).Status);
    }
}
