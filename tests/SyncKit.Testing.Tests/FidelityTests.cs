using System.Net;
using System.Text.Json.Nodes;
using SyncKit.Testing.Emulator;

namespace SyncKit.Testing.Tests;

/// <summary>Documented Xero behaviours the emulator follows (XERO.md, "2026 platform changes" and "More rules").</summary>
public sealed class FidelityTests
{
    private const string Elements = "?summarizeErrors=false";

    private static string Invoice(string contactId, string number, string currency = "AUD", string? rate = null) => $$"""
        {"Invoices":[{"Type":"ACCREC","Contact":{"ContactID":"{{contactId}}"},"Date":"2026-07-10","DueDate":"2026-08-10","Status":"AUTHORISED","InvoiceNumber":"{{number}}","CurrencyCode":"{{currency}}"{{(rate is null ? string.Empty : ",\"CurrencyRate\":" + rate)}},
          "LineItems":[{"Description":"Work","Quantity":1,"UnitAmount":100,"AccountCode":"200","TaxType":"OUTPUT"}]}]}
        """;

    [Fact]
    public async Task Put_Contacts_refuses_a_second_contact_with_the_same_ContactNumber()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        await f.PutAsync("api.xro/2.0/Contacts", """{"Contacts":[{"Name":"First Pty Ltd","ContactNumber":"C-100"}]}""");

        var second = await f.PutAsync("api.xro/2.0/Contacts" + Elements, """{"Contacts":[{"Name":"Second Pty Ltd","ContactNumber":"C-100"}]}""");

        Assert.Contains("The contact number C-100 is already assigned to another contact.", second.Messages("Contacts")[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_PurchaseOrders_refuses_a_duplicate_order_number()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var contact = await f.CreateContactAsync("Supplier Pty Ltd");
        var order = $$"""{"PurchaseOrders":[{"Contact":{"ContactID":"{{contact}}"},"Date":"2026-07-10","PurchaseOrderNumber":"PO-77","LineItems":[{"Description":"Parts","Quantity":1,"UnitAmount":10,"AccountCode":"429","TaxType":"INPUT"}]}]}""";
        var first = await f.PutAsync("api.xro/2.0/PurchaseOrders" + Elements, order);

        var second = await f.PutAsync("api.xro/2.0/PurchaseOrders" + Elements, order);

        Assert.Empty(first.Messages("PurchaseOrders"));
        Assert.Equal(["Order number must be unique"], second.Messages("PurchaseOrders"));
    }

    [Fact]
    public async Task Post_Invoices_by_InvoiceNumber_updates_that_invoice()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var contact = await f.CreateContactAsync("Numbered Pty Ltd");
        var created = await f.CreateInvoiceAsync(contact, number: "INV-500", status: "DRAFT");

        var updated = await f.PostAsync("api.xro/2.0/Invoices/INV-500" + Elements, """{"Invoices":[{"Reference":"By number"}]}""");

        Assert.Equal(HttpStatusCode.OK, updated.Status);
        Assert.Equal(created["InvoiceID"]!.GetValue<string>(), updated.Json!["Invoices"]![0]!["InvoiceID"]!.GetValue<string>());
        Assert.Equal("By number", updated.Json!["Invoices"]![0]!["Reference"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreditNote_allocated_to_an_invoice_reduces_its_amount_due()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var contact = await f.CreateContactAsync("Refunded Pty Ltd");
        var invoice = await f.CreateInvoiceAsync(contact);
        var note = await f.PutAsync("api.xro/2.0/CreditNotes", $$"""
            {"CreditNotes":[{"Type":"ACCRECCREDIT","Contact":{"ContactID":"{{contact}}"},"Date":"2026-07-11","Status":"AUTHORISED",
              "LineItems":[{"Description":"Refund","Quantity":1,"UnitAmount":40,"AccountCode":"200","TaxType":"OUTPUT"}]}]}
            """);
        var noteId = note.Json!["CreditNotes"]![0]!["CreditNoteID"]!.GetValue<string>();

        var allocated = await f.PutAsync($"api.xro/2.0/CreditNotes/{noteId}/Allocations", $$"""{"Allocations":[{"Invoice":{"InvoiceID":"{{invoice["InvoiceID"]}}"},"Amount":44.00,"Date":"2026-07-11"}]}""");
        var after = await f.GetAsync("api.xro/2.0/Invoices/" + invoice["InvoiceID"]);
        var credit = await f.GetAsync("api.xro/2.0/CreditNotes/" + noteId);

        Assert.Equal(HttpStatusCode.OK, allocated.Status);
        Assert.Equal(44.00m, allocated.Json!["Allocations"]![0]!["Amount"]!.GetValue<decimal>());
        Assert.Equal(66.00m, after.Json!["Invoices"]![0]!["AmountDue"]!.GetValue<decimal>());
        Assert.Equal(44.00m, after.Json!["Invoices"]![0]!["AmountCredited"]!.GetValue<decimal>());
        Assert.Equal(0m, credit.Json!["CreditNotes"]![0]!["RemainingCredit"]!.GetValue<decimal>());
        Assert.Equal("PAID", credit.Json!["CreditNotes"]![0]!["Status"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreditNote_allocation_larger_than_the_amount_due_is_refused()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var contact = await f.CreateContactAsync("Over Credit Pty Ltd");
        var invoice = await f.CreateInvoiceAsync(contact, unit: 10m);
        var note = await f.PutAsync("api.xro/2.0/CreditNotes", $$"""
            {"CreditNotes":[{"Type":"ACCRECCREDIT","Contact":{"ContactID":"{{contact}}"},"Date":"2026-07-11","Status":"AUTHORISED",
              "LineItems":[{"Description":"Refund","Quantity":1,"UnitAmount":40,"AccountCode":"200","TaxType":"OUTPUT"}]}]}
            """);
        var noteId = note.Json!["CreditNotes"]![0]!["CreditNoteID"]!.GetValue<string>();

        var refused = await f.PutAsync($"api.xro/2.0/CreditNotes/{noteId}/Allocations", $$"""{"Allocations":[{"Invoice":{"InvoiceID":"{{invoice["InvoiceID"]}}"},"Amount":44.00}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
    }

    [Fact]
    public async Task Editing_a_document_dated_before_the_end_of_year_lock_date_has_Xeros_edit_wording()
    {
        await using var f = await EmulatorFixture.CreateAsync(new EmulatorTenantOptions { Name = "Locked Co" });
        var contact = await f.CreateContactAsync("Year End Pty Ltd");
        var invoice = await f.CreateInvoiceAsync(contact, date: "2026-06-10");
        f.Emulator.SetLockDates(f.Tenant.TenantId, null, new DateOnly(2026, 6, 30));

        var edit = await f.PostAsync("api.xro/2.0/Invoices" + Elements, $$"""{"Invoices":[{"InvoiceID":"{{invoice["InvoiceID"]}}","Reference":"Too late"}]}""");

        Assert.Contains("Document cannot be edited as it is currently dated before end of year lock date", edit.Messages("Invoices"));
    }

    [Fact]
    public async Task CurrencyRate_of_1_on_a_foreign_currency_document_is_saved_with_a_warning()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        await f.PutAsync("api.xro/2.0/Currencies", """{"Code":"USD"}""");
        var contact = await f.CreateContactAsync("Overseas Inc");

        var withRate = await f.PutAsync("api.xro/2.0/Invoices" + Elements, Invoice(contact, "USD-1", "USD", "1"));
        var withoutRate = await f.PutAsync("api.xro/2.0/Invoices" + Elements, Invoice(contact, "USD-2", "USD"));

        Assert.Equal("WARNING", withRate.Json!["Invoices"]![0]!["StatusAttributeString"]!.GetValue<string>());
        Assert.Contains("currency rate of 1", withRate.Json!["Invoices"]![0]!["Warnings"]![0]!["Message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("OK", withoutRate.Json!["Invoices"]![0]!["StatusAttributeString"]!.GetValue<string>());
    }
}
