using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using SyncKit.Testing.Emulator;

namespace SyncKit.Testing.Tests;

public sealed class ControlApiTests
{
    private static async Task<(HttpStatusCode Status, JsonNode? Json)> Call(HttpClient client, HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, body.Length > 0 ? JsonNode.Parse(body) : null);
    }

    private static XeroEmulator NewEmulator(FakeTimeProvider? time = null) =>
        XeroEmulator.Create(new XeroEmulatorOptions { TimeProvider = time ?? new FakeTimeProvider(EmulatorFixture.Start) });

    [Fact]
    public async Task Post_tenants_creates_a_tenant_with_tokens()
    {
        await using var emulator = NewEmulator();
        using var client = emulator.CreateHttpClient();
        var (status, json) = await Call(client, HttpMethod.Post, "_emulator/tenants", """{"name":"Acme","baseCurrency":"AUD","periodLockDate":"2026-06-30"}""");
        Assert.Equal(HttpStatusCode.Created, status);
        foreach (var field in new[] { "tenantId", "accessToken", "refreshToken", "clientId", "clientSecret" })
        {
            Assert.False(string.IsNullOrEmpty(json![field]?.GetValue<string>()), field);
        }
    }

    [Fact]
    public async Task A_user_in_Xero_writes_through_the_control_api_without_a_token_or_a_counted_call()
    {
        await using var emulator = NewEmulator();
        using var client = emulator.CreateHttpClient();
        var tenant = await emulator.CreateTenantAsync();

        var (status, json) = await Call(client, HttpMethod.Post, $"_emulator/tenants/{tenant.TenantId}/as-user/Contacts", """{"Contacts":[{"Name":"Typed In Xero Ltd"}]}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(string.IsNullOrEmpty(json!["Contacts"]![0]!["ContactID"]!.GetValue<string>()));
        Assert.Contains("Typed In Xero Ltd", emulator.ExportTenant(tenant.TenantId), StringComparison.Ordinal);
        Assert.False(emulator.GetStats().Calls.ContainsKey(tenant.TenantId));
    }

    [Fact]
    public async Task A_user_in_Xero_allocates_a_credit_note_through_the_control_api_reducing_the_invoices_amount_due_without_a_counted_call()
    {
        await using var emulator = NewEmulator();
        using var client = emulator.CreateHttpClient();
        var tenant = await emulator.CreateTenantAsync();
        var (_, invoice) = await Call(client, HttpMethod.Post, $"_emulator/tenants/{tenant.TenantId}/as-user/Invoices", """{"Invoices":[{"Type":"ACCREC","Contact":{"Name":"Refunded Ltd"},"Date":"2026-11-20","DueDate":"2026-12-20","Status":"AUTHORISED","LineAmountTypes":"NoTax","LineItems":[{"Description":"Work","Quantity":1,"UnitAmount":100,"AccountCode":"200"}]}]}""");
        var (_, note) = await Call(client, HttpMethod.Post, $"_emulator/tenants/{tenant.TenantId}/as-user/CreditNotes", """{"CreditNotes":[{"Type":"ACCRECCREDIT","Contact":{"Name":"Refunded Ltd"},"Date":"2026-11-21","Status":"AUTHORISED","LineAmountTypes":"NoTax","LineItems":[{"Description":"Refund","Quantity":1,"UnitAmount":30,"AccountCode":"200"}]}]}""");
        var invoiceId = invoice!["Invoices"]![0]!["InvoiceID"]!.GetValue<string>();
        var noteId = note!["CreditNotes"]![0]!["CreditNoteID"]!.GetValue<string>();

        var (status, allocated) = await Call(client, HttpMethod.Post, $"_emulator/tenants/{tenant.TenantId}/as-user/CreditNotes/{noteId}/Allocations", $$"""{"Allocations":[{"Invoice":{"InvoiceID":"{{invoiceId}}"},"Amount":30,"Date":"2026-11-22"}]}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(30m, allocated!["Allocations"]![0]!["Amount"]!.GetValue<decimal>());
        var books = JsonNode.Parse(emulator.ExportTenant(tenant.TenantId))!;
        Assert.Equal(70m, books["invoices"]!.AsArray().Single(i => i!["InvoiceID"]!.GetValue<string>() == invoiceId)!["AmountDue"]!.GetValue<decimal>());
        Assert.Equal("PAID", books["creditNotes"]!.AsArray().Single(c => c!["CreditNoteID"]!.GetValue<string>() == noteId)!["Status"]!.GetValue<string>());
        Assert.False(emulator.GetStats().Calls.ContainsKey(tenant.TenantId));
    }

    [Fact]
    public async Task A_user_in_Xero_cannot_write_a_collection_a_user_does_not_edit()
    {
        await using var emulator = NewEmulator();
        using var client = emulator.CreateHttpClient();
        var tenant = await emulator.CreateTenantAsync();

        var (status, _) = await Call(client, HttpMethod.Post, $"_emulator/tenants/{tenant.TenantId}/as-user/Organisation", "{}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Fact]
    public async Task Patch_tenant_changes_the_lock_date()
    {
        await using var emulator = NewEmulator();
        using var client = emulator.CreateHttpClient();
        var tenant = await emulator.CreateTenantAsync();
        var (status, json) = await Call(client, HttpMethod.Patch, $"_emulator/tenants/{tenant.TenantId}", """{"periodLockDate":"2026-03-31","endOfYearLockDate":"2025-06-30"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("2026-03-31", json!["periodLockDate"]!.GetValue<string>());
        Assert.Equal("2025-06-30", json!["endOfYearLockDate"]!.GetValue<string>());
    }

    [Fact]
    public async Task Patch_tenant_archives_an_account()
    {
        await using var emulator = NewEmulator();
        using var client = emulator.CreateHttpClient();
        var tenant = await emulator.CreateTenantAsync();
        await Call(client, HttpMethod.Patch, $"_emulator/tenants/{tenant.TenantId}", """{"archiveAccount":"310"}""");
        var export = JsonNode.Parse(emulator.ExportTenant(tenant.TenantId))!;
        var account = export["accounts"]!.AsArray().First(a => a!["Code"]!.GetValue<string>() == "310")!;
        Assert.Equal("ARCHIVED", account["Status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Patch_tenant_puts_the_organisation_offline()
    {
        await using var emulator = NewEmulator();
        using var client = emulator.CreateHttpClient();
        var tenant = await emulator.CreateTenantAsync();
        var (_, json) = await Call(client, HttpMethod.Patch, $"_emulator/tenants/{tenant.TenantId}", """{"offline":true}""");
        Assert.True(json!["offline"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Post_clock_advances_emulator_time()
    {
        var time = new FakeTimeProvider(EmulatorFixture.Start);
        await using var emulator = NewEmulator(time);
        using var client = emulator.CreateHttpClient();
        var (status, _) = await Call(client, HttpMethod.Post, "_emulator/clock", """{"advanceSeconds":61}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(EmulatorFixture.Start.AddSeconds(61), time.GetUtcNow());
    }

    [Fact]
    public async Task Clock_on_a_real_time_provider_moves_by_offset()
    {
        await using var emulator = XeroEmulator.Create();
        var before = emulator.TimeProvider.GetUtcNow();
        emulator.AdvanceClock(TimeSpan.FromHours(2));
        Assert.True(emulator.TimeProvider.GetUtcNow() - before >= TimeSpan.FromHours(2));
    }

    [Fact]
    public async Task Post_and_delete_faults()
    {
        await using var emulator = NewEmulator();
        using var client = emulator.CreateHttpClient();
        var tenant = await emulator.CreateTenantAsync();
        var (status, json) = await Call(client, HttpMethod.Post, "_emulator/faults", """{"kind":"serverError","statusCode":503,"path":"/Organisation"}""");
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.NotNull(json!["faultId"]);
        using var request = new HttpRequestMessage(HttpMethod.Get, "api.xro/2.0/Organisation");
        request.Headers.Authorization = new("Bearer", tenant.AccessToken);
        request.Headers.Add("xero-tenant-id", tenant.TenantId.ToString());
        using (var faulted = await client.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, faulted.StatusCode);
        }

        var (deleted, _) = await Call(client, HttpMethod.Delete, "_emulator/faults");
        Assert.Equal(HttpStatusCode.NoContent, deleted);
    }

    [Fact]
    public async Task Unknown_fault_kind_is_400()
    {
        await using var emulator = NewEmulator();
        using var client = emulator.CreateHttpClient();
        var (status, _) = await Call(client, HttpMethod.Post, "_emulator/faults", """{"kind":"meteor"}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Fact]
    public async Task Get_stats_counts_calls_per_tenant_and_endpoint_and_writes()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        await f.CreateContactAsync("A");
        await f.GetAsync("api.xro/2.0/Contacts");
        await f.GetAsync("api.xro/2.0/Contacts");
        using var response = await f.Client.GetAsync("_emulator/stats");
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var calls = json["calls"]![f.Tenant.TenantId.ToString()]!;
        Assert.Equal(2, calls["GET Contacts"]!.GetValue<int>());
        Assert.Equal(1, calls["PUT Contacts"]!.GetValue<int>());
        Assert.Equal(1, json["writes"]![f.Tenant.TenantId.ToString()]!.GetValue<int>());
    }

    [Fact]
    public async Task Get_export_returns_the_whole_tenant()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        await f.CreateInvoiceAsync(await f.CreateContactAsync("Acme"));
        using var response = await f.Client.GetAsync($"_emulator/tenants/{f.Tenant.TenantId}/export");
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Single(json["invoices"]!.AsArray());
        Assert.Single(json["contacts"]!.AsArray());
        Assert.Equal("Test Co", json["organisation"]!["Name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_tenant_is_404()
    {
        await using var emulator = NewEmulator();
        using var client = emulator.CreateHttpClient();
        var (status, _) = await Call(client, HttpMethod.Get, $"_emulator/tenants/{Guid.NewGuid()}/export");
        Assert.Equal(HttpStatusCode.NotFound, status);
    }
}
