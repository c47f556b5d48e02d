using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using SyncKit.Testing.Emulator;

namespace SyncKit.Testing.Tests;

public sealed class ServerTests
{
    [Fact]
    public async Task Server_starts_on_a_free_loopback_port()
    {
        await using var emulator = XeroEmulator.Create();
        var address = await emulator.StartServerAsync();
        Assert.Equal("127.0.0.1", address.Host);
        Assert.NotEqual(0, address.Port);
        Assert.Equal(address, emulator.BaseAddress);
    }

    [Theory]
    [InlineData("http://0.0.0.0:0")]
    [InlineData("http://10.1.2.3:5099")]
    [InlineData("http://example.com:5099")]
    public async Task Server_refuses_non_loopback_urls(string url)
    {
        await using var emulator = XeroEmulator.Create();
        await Assert.ThrowsAsync<ArgumentException>(() => emulator.StartServerAsync(new Uri(url)));
    }

    [Fact]
    public async Task Server_serves_the_same_api_as_the_handler()
    {
        await using var emulator = XeroEmulator.Create(new XeroEmulatorOptions { TimeProvider = new FakeTimeProvider(EmulatorFixture.Start) });
        var address = await emulator.StartServerAsync();
        var tenant = await emulator.CreateTenantAsync();
        using var http = new HttpClient { BaseAddress = address };
        using var request = new HttpRequestMessage(HttpMethod.Get, "api.xro/2.0/Organisation");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tenant.AccessToken);
        request.Headers.Add("xero-tenant-id", tenant.TenantId.ToString());
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("59", response.Headers.GetValues("X-MinLimit-Remaining").Single());
    }

    [Fact]
    public async Task Commit_then_drop_aborts_the_connection_after_the_write()
    {
        await using var emulator = XeroEmulator.Create(new XeroEmulatorOptions { TimeProvider = new FakeTimeProvider(EmulatorFixture.Start) });
        var address = await emulator.StartServerAsync();
        var tenant = await emulator.CreateTenantAsync();
        emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.CommitThenDrop, Method = "PUT", Count = 1 });
        using var http = new HttpClient { BaseAddress = address };
        using var request = new HttpRequestMessage(HttpMethod.Put, "api.xro/2.0/Contacts")
        {
            Content = new StringContent("""{"Contacts":[{"Name":"Landed"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tenant.AccessToken);
        request.Headers.Add("xero-tenant-id", tenant.TenantId.ToString());
        request.Headers.Accept.ParseAdd("application/json");
        await Assert.ThrowsAsync<HttpRequestException>(() => http.SendAsync(request));
        var export = JsonNode.Parse(emulator.ExportTenant(tenant.TenantId))!;
        Assert.Single(export["contacts"]!.AsArray());
    }

    [Fact]
    public async Task Control_api_works_over_http()
    {
        await using var emulator = XeroEmulator.Create();
        var address = await emulator.StartServerAsync();
        using var http = new HttpClient { BaseAddress = address };
        using var response = await http.PostAsync("_emulator/tenants", new StringContent("""{"name":"Over HTTP"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Body_over_10_MiB_is_answered_413_over_http_not_a_connection_reset()
    {
        await using var emulator = XeroEmulator.Create(new XeroEmulatorOptions { TimeProvider = new FakeTimeProvider(EmulatorFixture.Start) });
        var address = await emulator.StartServerAsync();
        var tenant = await emulator.CreateTenantAsync();
        using var http = new HttpClient { BaseAddress = address };
        using var request = new HttpRequestMessage(HttpMethod.Put, "api.xro/2.0/Contacts")
        {
            Content = new StringContent(BadInputTests.Padded(10 * 1024 * 1024 + 1), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tenant.AccessToken);
        request.Headers.Add("xero-tenant-id", tenant.TenantId.ToString());
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("Request Entity Too Large", await response.Content.ReadAsStringAsync());
        var export = JsonNode.Parse(emulator.ExportTenant(tenant.TenantId))!;
        Assert.Empty(export["contacts"]!.AsArray());
    }
}
