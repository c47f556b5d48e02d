using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using SyncKit.Testing.Emulator;

namespace SyncKit.Testing.Tests;

/// <summary>The control API answers bad input with 400 and an <c>error</c> message, never a 5xx, and applies nothing.</summary>
public sealed class ControlApiBadInputTests
{
    private static async Task<(HttpStatusCode Status, string? Error)> Call(HttpClient client, HttpMethod method, string path, string json)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var error = response.Content.Headers.ContentType?.MediaType == "application/json" && body.Length > 0
            ? JsonNode.Parse(body)?["error"]?.GetValue<string>()
            : null;
        return (response.StatusCode, error);
    }

    private static XeroEmulator NewEmulator() => XeroEmulator.Create(new XeroEmulatorOptions { TimeProvider = new FakeTimeProvider(EmulatorFixture.Start) });

    private static void AssertBadRequest((HttpStatusCode Status, string? Error) reply)
    {
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.False(string.IsNullOrWhiteSpace(reply.Error));
    }

    [Fact]
    public async Task Malformed_json_is_a_400_with_a_message()
    {
        await using var emulator = NewEmulator();
        using var client = emulator.CreateHttpClient();
        AssertBadRequest(await Call(client, HttpMethod.Post, "_emulator/tenants", """{"name":"""));
    }

    [Fact]
    public async Task Duplicate_keys_are_a_400_with_a_message()
    {
        await using var emulator = NewEmulator();
        using var client = emulator.CreateHttpClient();
        AssertBadRequest(await Call(client, HttpMethod.Post, "_emulator/tenants", """{"name":"A","Name":"B"}"""));
    }

    [Fact]
    public async Task Limit_out_of_range_for_an_integer_is_a_400()
    {
        await using var emulator = NewEmulator();
        using var client = emulator.CreateHttpClient();
        AssertBadRequest(await Call(client, HttpMethod.Post, "_emulator/tenants", """{"minuteLimit":1e30}"""));
    }

    [Fact]
    public async Task Zero_minute_limit_is_a_400()
    {
        await using var emulator = NewEmulator();
        using var client = emulator.CreateHttpClient();
        AssertBadRequest(await Call(client, HttpMethod.Post, "_emulator/tenants", """{"minuteLimit":0}"""));
    }

    [Fact]
    public async Task Base_currency_that_is_not_three_letters_is_a_400()
    {
        await using var emulator = NewEmulator();
        using var client = emulator.CreateHttpClient();
        AssertBadRequest(await Call(client, HttpMethod.Post, "_emulator/tenants", """{"baseCurrency":"DOLLARS"}"""));
    }

    [Fact]
    public async Task Clock_advance_too_large_for_a_time_span_is_a_400()
    {
        await using var emulator = NewEmulator();
        using var client = emulator.CreateHttpClient();
        AssertBadRequest(await Call(client, HttpMethod.Post, "_emulator/clock", """{"advanceSeconds":1e300}"""));
    }

    [Fact]
    public async Task Clock_advance_given_as_text_is_a_400()
    {
        await using var emulator = NewEmulator();
        using var client = emulator.CreateHttpClient();
        AssertBadRequest(await Call(client, HttpMethod.Post, "_emulator/clock", """{"advanceSeconds":"soon"}"""));
    }

    [Fact]
    public async Task Server_error_fault_with_a_status_outside_5xx_is_a_400()
    {
        await using var emulator = NewEmulator();
        using var client = emulator.CreateHttpClient();
        AssertBadRequest(await Call(client, HttpMethod.Post, "_emulator/faults", """{"kind":"serverError","statusCode":200}"""));
    }

    [Fact]
    public async Task Fault_probability_above_one_is_a_400()
    {
        await using var emulator = NewEmulator();
        using var client = emulator.CreateHttpClient();
        AssertBadRequest(await Call(client, HttpMethod.Post, "_emulator/faults", """{"kind":"serverError","probability":2}"""));
    }

    [Fact]
    public async Task Fault_tenant_id_that_is_not_a_guid_is_a_400()
    {
        await using var emulator = NewEmulator();
        using var client = emulator.CreateHttpClient();
        AssertBadRequest(await Call(client, HttpMethod.Post, "_emulator/faults", """{"kind":"serverError","tenantId":"acme"}"""));
    }

    [Fact]
    public async Task Fault_with_an_unknown_rate_limit_problem_is_a_400()
    {
        await using var emulator = NewEmulator();
        using var client = emulator.CreateHttpClient();
        AssertBadRequest(await Call(client, HttpMethod.Post, "_emulator/faults", """{"kind":"rateLimit","rateLimitProblem":"hourly"}"""));
    }

    [Fact]
    public async Task Patch_with_a_currency_that_is_not_text_is_a_400()
    {
        await using var emulator = NewEmulator();
        using var client = emulator.CreateHttpClient();
        var tenant = await emulator.CreateTenantAsync();
        AssertBadRequest(await Call(client, HttpMethod.Patch, $"_emulator/tenants/{tenant.TenantId}", """{"currencies":[42]}"""));
    }

    [Fact]
    public async Task Patch_that_fails_applies_none_of_its_changes()
    {
        await using var emulator = NewEmulator();
        using var client = emulator.CreateHttpClient();
        var tenant = await emulator.CreateTenantAsync(new EmulatorTenantOptions { Name = "Before" });
        AssertBadRequest(await Call(client, HttpMethod.Patch, $"_emulator/tenants/{tenant.TenantId}", """{"name":"After","archiveAccount":"NOPE"}"""));
        Assert.Equal("Before", JsonNode.Parse(emulator.ExportTenant(tenant.TenantId))!["name"]!.GetValue<string>());
    }
}
