using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using SyncKit.Testing.Emulator;

namespace SyncKit.Testing.Tests;

/// <summary>
/// A client that knows only Xero's public API: plain HttpClient calls written from Xero's documentation (and the
/// emulator's documented control API for setup), no emulator or SyncKit types after the server starts.
/// </summary>
public sealed class PlainHttpClientTests
{
    [Fact]
    public async Task Plain_client_creates_a_contact_a_batch_of_invoices_and_a_payment_and_reads_them_back()
    {
        await using var emulator = XeroEmulator.Create();
        var baseAddress = await emulator.StartServerAsync();
        using var http = new HttpClient { BaseAddress = baseAddress };

        // Setup through the control API: an organisation and a connected token set.
        using var setup = await http.PostAsync("_emulator/tenants", Json("""{"name":"Plain Co","baseCurrency":"AUD"}"""));
        var tenant = JsonNode.Parse(await setup.Content.ReadAsStringAsync())!;

        // OAuth2: refresh the token as any Xero client does (Basic auth, form body).
        using var tokenRequest = new HttpRequestMessage(HttpMethod.Post, "connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "refresh_token",
                ["refresh_token"] = tenant["refreshToken"]!.GetValue<string>(),
            }),
        };
        tokenRequest.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(
            tenant["clientId"]!.GetValue<string>() + ":" + tenant["clientSecret"]!.GetValue<string>())));
        using var tokenResponse = await http.SendAsync(tokenRequest);
        var tokens = JsonNode.Parse(await tokenResponse.Content.ReadAsStringAsync())!;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens["access_token"]!.GetValue<string>());
        http.DefaultRequestHeaders.Accept.ParseAdd("application/json");

        // Connections tell us the tenant id.
        var connections = JsonNode.Parse(await http.GetStringAsync("connections"))!.AsArray();
        http.DefaultRequestHeaders.Add("xero-tenant-id", connections[0]!["tenantId"]!.GetValue<string>());

        // A contact.
        using var contactResponse = await http.PutAsync("api.xro/2.0/Contacts", Json("""{"Contacts":[{"Name":"Barney Rubble","EmailAddress":"barney@bedrock.test"}]}"""));
        Assert.Equal(HttpStatusCode.OK, contactResponse.StatusCode);
        var contactId = JsonNode.Parse(await contactResponse.Content.ReadAsStringAsync())!["Contacts"]![0]!["ContactID"]!.GetValue<string>();

        // A batch of invoices, per-element results.
        var invoices = new JsonArray();
        for (var i = 1; i <= 3; i++)
        {
            invoices.Add(new JsonObject
            {
                ["Type"] = "ACCREC",
                ["Contact"] = new JsonObject { ["ContactID"] = contactId },
                ["Date"] = "2026-11-01",
                ["DueDate"] = "2026-12-01",
                ["InvoiceNumber"] = "PLAIN-" + i,
                ["Status"] = "AUTHORISED",
                ["LineItems"] = new JsonArray(new JsonObject { ["Description"] = "Consulting", ["Quantity"] = i, ["UnitAmount"] = 100, ["AccountCode"] = "200", ["TaxType"] = "OUTPUT" }),
            });
        }

        using var batchResponse = await http.PutAsync("api.xro/2.0/Invoices?summarizeErrors=false", Json(new JsonObject { ["Invoices"] = invoices }.ToJsonString()));
        Assert.Equal(HttpStatusCode.OK, batchResponse.StatusCode);
        var created = JsonNode.Parse(await batchResponse.Content.ReadAsStringAsync())!["Invoices"]!.AsArray();
        Assert.All(created, c => Assert.Equal("OK", c!["StatusAttributeString"]!.GetValue<string>()));
        var firstId = created[0]!["InvoiceID"]!.GetValue<string>();

        // A payment on the first invoice.
        var payment = $$"""{"Payments":[{"Invoice":{"InvoiceID":"{{firstId}}"},"Account":{"Code":"090"},"Date":"2026-11-05","Amount":110.00,"Reference":"EFT"}]}""";
        using var paymentResponse = await http.PutAsync("api.xro/2.0/Payments", Json(payment));
        Assert.Equal(HttpStatusCode.OK, paymentResponse.StatusCode);

        // Read back.
        var readBack = JsonNode.Parse(await http.GetStringAsync("api.xro/2.0/Invoices?InvoiceNumbers=PLAIN-1,PLAIN-2,PLAIN-3&page=1"))!;
        var byNumber = readBack["Invoices"]!.AsArray().ToDictionary(i => i!["InvoiceNumber"]!.GetValue<string>());
        Assert.Equal(3, byNumber.Count);
        Assert.Equal("PAID", byNumber["PLAIN-1"]!["Status"]!.GetValue<string>());
        Assert.Equal(330.00m, byNumber["PLAIN-3"]!["Total"]!.GetValue<decimal>());
        var payments = JsonNode.Parse(await http.GetStringAsync("api.xro/2.0/Payments"))!["Payments"]!.AsArray();
        Assert.Equal("EFT", Assert.Single(payments)!["Reference"]!.GetValue<string>());
        var contact = JsonNode.Parse(await http.GetStringAsync("api.xro/2.0/Contacts/" + contactId))!["Contacts"]![0]!;
        Assert.Equal("Barney Rubble", contact["Name"]!.GetValue<string>());
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
