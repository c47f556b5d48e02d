using System.Net;
using System.Text.Json.Nodes;

namespace SyncKit.Testing.Tests;

public sealed class BatchTests
{
    private static string TwoInvoices(string contact) => $$"""
        {"Invoices":[
          {"Type":"ACCREC","InvoiceNumber":"OK-1","Contact":{"ContactID":"{{contact}}"},"Date":"2026-07-10","Status":"AUTHORISED","LineItems":[{"Description":"a","Quantity":1,"UnitAmount":10,"AccountCode":"200","TaxType":"OUTPUT"}]},
          {"Type":"ACCREC","InvoiceNumber":"BAD-1","Contact":{"ContactID":"{{contact}}"},"Date":"2026-07-10","Status":"AUTHORISED","LineItems":[{"Description":"b","Quantity":1,"UnitAmount":10,"AccountCode":"999","TaxType":"OUTPUT"}]}]}
        """;

    [Fact]
    public async Task SummarizeErrors_false_answers_200_with_every_element()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var reply = await f.PutAsync("api.xro/2.0/Invoices?summarizeErrors=false", TwoInvoices(await f.CreateContactAsync("Acme")));
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var invoices = reply.Json!["Invoices"]!.AsArray();
        Assert.Equal(2, invoices.Count);
        Assert.Equal("OK", invoices[0]!["StatusAttributeString"]!.GetValue<string>());
        Assert.True(Guid.TryParse(invoices[0]!["InvoiceID"]!.GetValue<string>(), out _));
        Assert.Equal("ERROR", invoices[1]!["StatusAttributeString"]!.GetValue<string>());
        Assert.True(invoices[1]!["HasErrors"]!.GetValue<bool>());
        Assert.Equal("Account code '999' is not a valid code for this document.", invoices[1]!["ValidationErrors"]![0]!["Message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Summarised_batch_fails_with_400_validation_exception()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var reply = await f.PutAsync("api.xro/2.0/Invoices", TwoInvoices(await f.CreateContactAsync("Acme")));
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(10, reply.Json!["ErrorNumber"]!.GetValue<int>());
        Assert.Equal("ValidationException", reply.Json!["Type"]!.GetValue<string>());
        Assert.Equal("A validation exception occurred", reply.Json!["Message"]!.GetValue<string>());
        var element = reply.Json!["Elements"]!.AsArray().Single()!;
        Assert.Equal("BAD-1", element["InvoiceNumber"]!.GetValue<string>());
        Assert.Single(element["ValidationErrors"]!.AsArray());
    }

    [Fact]
    public async Task Summarised_batch_still_creates_the_valid_elements()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        await f.PutAsync("api.xro/2.0/Invoices", TwoInvoices(await f.CreateContactAsync("Acme")));
        var read = await f.GetAsync("api.xro/2.0/Invoices?InvoiceNumbers=OK-1,BAD-1");
        var number = Assert.Single(read.Json!["Invoices"]!.AsArray())!["InvoiceNumber"]!.GetValue<string>();
        Assert.Equal("OK-1", number);
    }

    [Fact]
    public async Task Contacts_flag_errors_with_HasValidationErrors()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        await f.CreateContactAsync("Taken");
        var reply = await f.PutAsync("api.xro/2.0/Contacts?summarizeErrors=false", """{"Contacts":[{"Name":"Taken"},{"Name":"Free"}]}""");
        var contacts = reply.Json!["Contacts"]!.AsArray();
        Assert.True(contacts[0]!["HasValidationErrors"]!.GetValue<bool>());
        Assert.Equal("OK", contacts[1]!["StatusAttributeString"]!.GetValue<string>());
    }

    [Fact]
    public async Task One_call_creates_many_elements()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var contacts = new JsonArray(Enumerable.Range(0, 50).Select(i => (JsonNode?)new JsonObject { ["Name"] = "C" + i }).ToArray());
        var reply = await f.PutAsync("api.xro/2.0/Contacts", new JsonObject { ["Contacts"] = contacts }.ToJsonString());
        Assert.Equal(50, reply.Json!["Contacts"]!.AsArray().Count);
    }
}
