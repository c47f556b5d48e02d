using System.Globalization;
using System.Text.Json;

namespace SyncKit.EndToEnd.Tests.Inbound;

/// <summary>What a user does in Xero itself (not through SyncKit): invoices typed in, payments made, contacts edited.</summary>
internal static class XeroUser
{
    /// <summary>Creates authorised sales invoices (no tax, one line of the amount) in calls of up to 50; returns their Xero ids in order.</summary>
    public static async Task<List<string>> CreateInvoicesAsync(XeroHarness h, IReadOnlyList<(string Number, string Customer, decimal Amount)> invoices)
    {
        var ids = new List<string>();
        foreach (var chunk in invoices.Chunk(50))
        {
            var elements = chunk.Select(i => string.Create(
                CultureInfo.InvariantCulture,
                $$"""{"Type":"ACCREC","InvoiceNumber":"{{i.Number}}","Contact":{"Name":"{{i.Customer}}"},"Date":"2026-11-20","DueDate":"2026-12-20","Status":"AUTHORISED","LineAmountTypes":"NoTax","LineItems":[{"Description":"Typed in Xero","Quantity":1,"UnitAmount":{{i.Amount}},"AccountCode":"200"}]}"""));
            var answer = await h.RawAsync(HttpMethod.Put, "api.xro/2.0/Invoices?summarizeErrors=false", "{\"Invoices\":[" + string.Join(',', elements) + "]}");
            ids.AddRange(Ids(answer, "Invoices", "InvoiceID"));
        }

        return ids;
    }

    /// <summary>Pays invoices in full or in part into bank account 090, in calls of up to 50; returns the payment ids.</summary>
    public static async Task<List<string>> PayAsync(XeroHarness h, IReadOnlyList<(string InvoiceId, decimal Amount)> payments)
    {
        var ids = new List<string>();
        foreach (var chunk in payments.Chunk(50))
        {
            var elements = chunk.Select(p => string.Create(
                CultureInfo.InvariantCulture,
                $$"""{"Invoice":{"InvoiceID":"{{p.InvoiceId}}"},"Account":{"Code":"090"},"Date":"2026-11-21","Amount":{{p.Amount}}}"""));
            var answer = await h.RawAsync(HttpMethod.Put, "api.xro/2.0/Payments?summarizeErrors=false", "{\"Payments\":[" + string.Join(',', elements) + "]}");
            ids.AddRange(Ids(answer, "Payments", "PaymentID"));
        }

        return ids;
    }

    public static async Task VoidInvoiceAsync(XeroHarness h, string invoiceId) =>
        await h.RawAsync(HttpMethod.Post, "api.xro/2.0/Invoices", $$"""{"Invoices":[{"InvoiceID":"{{invoiceId}}","Status":"VOIDED"}]}""");

    public static async Task EditContactAsync(XeroHarness h, string contactId, string email) =>
        await h.RawAsync(HttpMethod.Post, "api.xro/2.0/Contacts", $$"""{"Contacts":[{"ContactID":"{{contactId}}","EmailAddress":"{{email}}"}]}""");

    public static async Task<List<string>> CreateContactsAsync(XeroHarness h, IEnumerable<string> names)
    {
        var ids = new List<string>();
        foreach (var chunk in names.Chunk(50))
        {
            var answer = await h.RawAsync(HttpMethod.Put, "api.xro/2.0/Contacts?summarizeErrors=false", "{\"Contacts\":[" + string.Join(',', chunk.Select(n => $$"""{"Name":"{{n}}"}""")) + "]}");
            ids.AddRange(Ids(answer, "Contacts", "ContactID"));
        }

        return ids;
    }

    private static IEnumerable<string> Ids(string answer, string collection, string idField)
    {
        using var json = JsonDocument.Parse(answer);
        var list = new List<string>();
        foreach (var element in json.RootElement.GetProperty(collection).EnumerateArray())
        {
            Assert.False(element.TryGetProperty("HasErrors", out var e) && e.GetBoolean(), element.ToString());
            Assert.False(element.TryGetProperty("HasValidationErrors", out var v) && v.GetBoolean(), element.ToString());
            list.Add(element.GetProperty(idField).GetString()!);
        }

        return list;
    }
}
