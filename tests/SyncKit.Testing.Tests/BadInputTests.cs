using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace SyncKit.Testing.Tests;

/// <summary>Bad input gets Xero-shaped 400s (or 413/415), never a 5xx, and never silently becomes something else.</summary>
public sealed class BadInputTests
{
    private static string Bill(string line, string date = "2026-07-10") => $$"""
        {"Invoices":[{"Type":"ACCPAY","Contact":{"Name":"Supplier"},"Date":"{{date}}","Status":"DRAFT","LineItems":[{{line}}]}]}
        """;

    private static void AssertPostDataInvalid(Reply reply)
    {
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(14, reply.Json!["ErrorNumber"]!.GetValue<int>());
        Assert.Equal("PostDataInvalidException", reply.Json!["Type"]!.GetValue<string>());
        Assert.StartsWith("JSON request body could not be read", reply.Json!["Message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static async Task<int> CountAsync(EmulatorFixture f, string collection) =>
        (await f.GetAsync("api.xro/2.0/" + collection)).Json![collection]!.AsArray().Count;

    [Fact]
    public async Task Number_out_of_decimal_range_is_a_400_PostDataInvalidException()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var reply = await f.PutAsync("api.xro/2.0/Invoices", Bill("""{"Description":"x","Quantity":1,"UnitAmount":1e400,"AccountCode":"429"}"""));
        AssertPostDataInvalid(reply);
        Assert.Contains("UnitAmount", reply.Json!["Message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_where_an_amount_is_expected_is_a_400()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var reply = await f.PutAsync("api.xro/2.0/Invoices", Bill("""{"Description":"x","Quantity":1,"UnitAmount":"ten","AccountCode":"429"}"""));
        AssertPostDataInvalid(reply);
        Assert.Equal(0, await CountAsync(f, "Invoices"));
    }

    [Fact]
    public async Task Numeric_text_for_an_amount_is_read_as_the_number()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var reply = await f.PutAsync("api.xro/2.0/Invoices", Bill("""{"Description":"x","Quantity":"2","UnitAmount":"10.50","AccountCode":"429","TaxType":"NONE"}"""));
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(21.00m, reply.Json!["Invoices"]![0]!["Total"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Amounts_whose_product_overflows_are_refused_on_the_element_not_a_500()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var reply = await f.PutAsync(
            "api.xro/2.0/Invoices?summarizeErrors=false",
            Bill("""{"Description":"x","Quantity":70000000000000000000000000000,"UnitAmount":10,"AccountCode":"429"}"""));
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("ERROR", reply.Json!["Invoices"]![0]!["StatusAttributeString"]!.GetValue<string>());
        Assert.Equal(0, await CountAsync(f, "Invoices"));
    }

    [Fact]
    public async Task Unparseable_date_is_a_400_not_today()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var reply = await f.PutAsync("api.xro/2.0/Invoices", Bill("""{"Description":"x","Quantity":1,"UnitAmount":10,"AccountCode":"429"}""", date: "next tuesday"));
        AssertPostDataInvalid(reply);
        Assert.Equal(0, await CountAsync(f, "Invoices"));
    }

    [Fact]
    public async Task Date_with_trailing_garbage_is_a_400()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var reply = await f.PutAsync("api.xro/2.0/Invoices", Bill("""{"Description":"x","Quantity":1,"UnitAmount":10,"AccountCode":"429"}""", date: "2026-07-10garbage"));
        AssertPostDataInvalid(reply);
    }

    [Fact]
    public async Task Duplicate_json_keys_are_a_400()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var reply = await f.PutAsync("api.xro/2.0/Contacts", """{"Contacts":[{"Name":"One","Name":"Two"}]}""");
        AssertPostDataInvalid(reply);
        Assert.Equal(0, await CountAsync(f, "Contacts"));
    }

    [Fact]
    public async Task Json_keys_differing_only_in_case_are_duplicates()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var reply = await f.PutAsync("api.xro/2.0/Contacts", """{"Contacts":[{"Name":"One","name":"Two"}]}""");
        AssertPostDataInvalid(reply);
    }

    [Fact]
    public async Task Malformed_json_is_a_400_PostDataInvalidException()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var reply = await f.PutAsync("api.xro/2.0/Contacts", """{"Contacts":[{"Name":"One"}""");
        AssertPostDataInvalid(reply);
    }

    [Fact]
    public async Task Element_that_is_not_an_object_is_a_400()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var reply = await f.PutAsync("api.xro/2.0/Contacts", """{"Contacts":[{"Name":"One"}, 42]}""");
        AssertPostDataInvalid(reply);
        Assert.Equal(0, await CountAsync(f, "Contacts"));
    }

    [Theory]
    [InlineData("Contacts", """{"Contacts":[{"Name":"{0}"}]}""", "Name", 255)]
    [InlineData("Invoices", """{"Invoices":[{"Type":"ACCPAY","Contact":{"Name":"S"},"Reference":"{0}","LineItems":[]}]}""", "Reference", 255)]
    [InlineData("Invoices", """{"Invoices":[{"Type":"ACCPAY","Contact":{"Name":"S"},"InvoiceNumber":"{0}","LineItems":[]}]}""", "InvoiceNumber", 255)]
    [InlineData("CreditNotes", """{"CreditNotes":[{"Type":"ACCPAYCREDIT","Contact":{"Name":"S"},"Reference":"{0}","LineItems":[]}]}""", "Reference", 255)]
    [InlineData("Invoices", """{"Invoices":[{"Type":"ACCPAY","Contact":{"Name":"S"},"LineItems":[{"Description":"{0}","Quantity":1,"UnitAmount":1}]}]}""", "Description", 4000)]
    [InlineData("Items", """{"Items":[{"Code":"{0}","Name":"N"}]}""", "Code", 30)]
    [InlineData("Items", """{"Items":[{"Code":"C","Name":"{0}"}]}""", "Name", 50)]
    public async Task String_longer_than_Xero_allows_is_refused_on_the_element(string collection, string template, string field, int limit)
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var reply = await f.PutAsync("api.xro/2.0/" + collection, template.Replace("{0}", new string('x', limit + 1), StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("ValidationException", reply.Json!["Type"]!.GetValue<string>());
        Assert.Contains(reply.Messages(collection), m => m.Contains(field, StringComparison.Ordinal) && m.Contains(limit.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        Assert.Equal(0, await CountAsync(f, collection));
    }

    [Theory]
    [InlineData("Contacts", """{"Contacts":[{"Name":"{0}"}]}""", 255)]
    [InlineData("Items", """{"Items":[{"Code":"{0}","Name":"N"}]}""", 30)]
    public async Task String_at_Xero_limit_is_accepted(string collection, string template, int limit)
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var reply = await f.PutAsync("api.xro/2.0/" + collection, template.Replace("{0}", new string('x', limit), StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, reply.Status);
    }

    [Fact]
    public async Task More_elements_than_the_per_request_maximum_is_a_400_and_creates_nothing()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var contacts = new JsonArray(Enumerable.Range(0, 501).Select(i => (JsonNode?)new JsonObject { ["Name"] = "C" + i }).ToArray());
        var reply = await f.PutAsync("api.xro/2.0/Contacts", new JsonObject { ["Contacts"] = contacts }.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("ValidationException", reply.Json!["Type"]!.GetValue<string>());
        Assert.Equal(0, await CountAsync(f, "Contacts"));
    }

    [Fact]
    public async Task The_per_request_maximum_of_elements_is_accepted()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var contacts = new JsonArray(Enumerable.Range(0, 500).Select(i => (JsonNode?)new JsonObject { ["Name"] = "C" + i }).ToArray());
        var reply = await f.PutAsync("api.xro/2.0/Contacts", new JsonObject { ["Contacts"] = contacts }.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, reply.Status);
    }

    [Fact]
    public async Task More_than_one_account_in_one_request_is_a_400()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var reply = await f.PutAsync("api.xro/2.0/Accounts", """{"Accounts":[{"Code":"501","Name":"A","Type":"EXPENSE"},{"Code":"502","Name":"B","Type":"EXPENSE"}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("ValidationException", reply.Json!["Type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Wrong_content_type_is_a_415()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var reply = await f.PutAsync("api.xro/2.0/Contacts", """{"Contacts":[{"Name":"One"}]}""", r => r.Content = new StringContent("""{"Contacts":[{"Name":"One"}]}""", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, reply.Status);
        Assert.Equal(0, await CountAsync(f, "Contacts"));
    }

    [Fact]
    public async Task Missing_content_type_is_a_415()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var reply = await f.PutAsync("api.xro/2.0/Contacts", "{}", r => r.Content = new ByteArrayContent("""{"Contacts":[{"Name":"One"}]}"""u8.ToArray()));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, reply.Status);
    }

    [Fact]
    public async Task Body_over_10_MiB_is_a_413_in_process()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var reply = await f.PutAsync("api.xro/2.0/Contacts", Padded(10 * 1024 * 1024 + 1));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, reply.Status);
        Assert.Equal("Request Entity Too Large", reply.Body);
    }

    [Fact]
    public async Task Body_of_exactly_10_MiB_is_read()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var reply = await f.PutAsync("api.xro/2.0/Contacts", Padded(10 * 1024 * 1024));
        Assert.Equal(HttpStatusCode.OK, reply.Status);
    }

    /// <summary>A valid one-contact body padded with whitespace to exactly <paramref name="bytes"/> bytes.</summary>
    internal static string Padded(int bytes)
    {
        const string Json = """{"Contacts":[{"Name":"Padded"}]}""";
        return Json[..^1] + new string(' ', bytes - Json.Length) + "}";
    }
}
