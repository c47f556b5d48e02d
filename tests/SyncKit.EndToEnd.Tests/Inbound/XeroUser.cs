using System.Globalization;
using System.Text.Json;

namespace SyncKit.EndToEnd.Tests.Inbound;

/// <summary>
/// What a user does in Xero itself (not through SyncKit), through the emulator's control API: invoices typed in, payments
/// made, invoices voided, contacts edited. None of it costs the app a call or counts against its rate limits.
/// </summary>
internal static class XeroUser
{
    /// <summary>Creates authorised sales invoices (no tax, one line of the amount) in calls of up to 50; returns their Xero ids in order.</summary>
    public static Task<List<string>> CreateInvoicesAsync(XeroHarness h, IReadOnlyList<(string Number, string Customer, decimal Amount)> invoices)
    {
        var ids = new List<string>();
        foreach (var chunk in invoices.Chunk(50))
        {
            var elements = chunk.Select(i => string.Create(
                CultureInfo.InvariantCulture,
                $$"""{"Type":"ACCREC","InvoiceNumber":"{{i.Number}}","Contact":{"Name":"{{i.Customer}}"},"Date":"2026-11-20","DueDate":"2026-12-20","Status":"AUTHORISED","LineAmountTypes":"NoTax","LineItems":[{"Description":"Typed in Xero","Quantity":1,"UnitAmount":{{i.Amount}},"AccountCode":"200"}]}"""));
            var answer = Act(h, "Invoices", "{\"Invoices\":[" + string.Join(',', elements) + "]}");
            ids.AddRange(Ids(answer, "Invoices", "InvoiceID"));
        }

        return Task.FromResult(ids);
    }

    /// <summary>Pays invoices in full or in part into bank account 090, in calls of up to 50; returns the payment ids.</summary>
    public static Task<List<string>> PayAsync(XeroHarness h, IReadOnlyList<(string InvoiceId, decimal Amount)> payments)
    {
        var ids = new List<string>();
        foreach (var chunk in payments.Chunk(50))
        {
            var elements = chunk.Select(p => string.Create(
                CultureInfo.InvariantCulture,
                $$"""{"Invoice":{"InvoiceID":"{{p.InvoiceId}}"},"Account":{"Code":"090"},"Date":"2026-11-21","Amount":{{p.Amount}}}"""));
            var answer = Act(h, "Payments", "{\"Payments\":[" + string.Join(',', elements) + "]}");
            ids.AddRange(Ids(answer, "Payments", "PaymentID"));
        }

        return Task.FromResult(ids);
    }

    public static void VoidInvoice(XeroHarness h, string invoiceId) =>
        Ids(Act(h, "Invoices", $$"""{"Invoices":[{"InvoiceID":"{{invoiceId}}","Status":"VOIDED"}]}"""), "Invoices", "InvoiceID").ToList();

    public static void VoidCreditNote(XeroHarness h, string creditNoteId) =>
        Ids(Act(h, "CreditNotes", $$"""{"CreditNotes":[{"CreditNoteID":"{{creditNoteId}}","Status":"VOIDED"}]}"""), "CreditNotes", "CreditNoteID").ToList();

    public static void EditContact(XeroHarness h, string contactId, string email) =>
        Ids(Act(h, "Contacts", $$"""{"Contacts":[{"ContactID":"{{contactId}}","EmailAddress":"{{email}}"}]}"""), "Contacts", "ContactID").ToList();

    public static Task<List<string>> CreateContactsAsync(XeroHarness h, IEnumerable<string> names)
    {
        var ids = new List<string>();
        foreach (var chunk in names.Chunk(50))
        {
            var answer = Act(h, "Contacts", "{\"Contacts\":[" + string.Join(',', chunk.Select(n => $$"""{"Name":"{{n}}"}""")) + "]}");
            ids.AddRange(Ids(answer, "Contacts", "ContactID"));
        }

        return Task.FromResult(ids);
    }

    /// <summary>Types an authorised bill from a supplier into Xero (the supplier is created by name); returns its id.</summary>
    public static string CreateBill(XeroHarness h, string number, string supplier, decimal amount) =>
        Ids(Act(h, "Invoices", string.Create(
            CultureInfo.InvariantCulture,
            $$"""{"Invoices":[{"Type":"ACCPAY","InvoiceNumber":"{{number}}","Contact":{"Name":"{{supplier}}"},"Date":"2026-11-20","DueDate":"2026-12-20","Status":"AUTHORISED","LineAmountTypes":"NoTax","LineItems":[{"Description":"Typed in Xero","Quantity":1,"UnitAmount":{{amount}},"AccountCode":"429"}]}]}""")), "Invoices", "InvoiceID").Single();

    /// <summary>Types an authorised sales credit note (no tax, one line of the amount) into Xero; returns its id.</summary>
    public static string CreateCreditNote(XeroHarness h, string number, string customer, decimal amount) =>
        Ids(Act(h, "CreditNotes", string.Create(
            CultureInfo.InvariantCulture,
            $$"""{"CreditNotes":[{"Type":"ACCRECCREDIT","CreditNoteNumber":"{{number}}","Contact":{"Name":"{{customer}}"},"Date":"2026-11-21","Status":"AUTHORISED","LineAmountTypes":"NoTax","LineItems":[{"Description":"Refund typed in Xero","Quantity":1,"UnitAmount":{{amount}},"AccountCode":"200"}]}]}""")), "CreditNotes", "CreditNoteID").Single();

    /// <summary>Allocates part or all of a credit note to an invoice in Xero; returns Xero's answer (a refusal included).</summary>
    public static string AllocateCreditNote(XeroHarness h, string creditNoteId, string invoiceId, decimal amount) =>
        h.Emulator.AllocateCreditNoteAsUser(h.Tenant.TenantId, creditNoteId, string.Create(
            CultureInfo.InvariantCulture,
            $$"""{"Allocations":[{"Invoice":{"InvoiceID":"{{invoiceId}}"},"Amount":{{amount}},"Date":"2026-11-22"}]}"""));

    private static string Act(XeroHarness h, string collection, string json) => h.Emulator.ActAsUser(h.Tenant.TenantId, collection, json);

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
