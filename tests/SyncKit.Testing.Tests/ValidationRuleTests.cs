using System.Net;
using SyncKit.Testing.Emulator;

namespace SyncKit.Testing.Tests;

/// <summary>Each of Xero's rules with its exact message (approximations come from the emulator's message table).</summary>
public sealed class ValidationRuleTests
{
    private static string Invoice(string contactId, string date = "2026-07-10", string accountCode = "200", string taxType = "OUTPUT", string status = "AUTHORISED", string extraLine = "", string quantity = "1", string unit = "100") => $$"""
        {"Invoices":[{"Type":"ACCREC","Contact":{"ContactID":"{{contactId}}"},"Date":"{{date}}","Status":"{{status}}",
          "LineItems":[{"Description":"Work","Quantity":{{quantity}},"UnitAmount":{{unit}},"AccountCode":"{{accountCode}}","TaxType":"{{taxType}}"{{extraLine}}}]}]}
        """;

    private static async Task<IReadOnlyList<string>> PutInvoice(EmulatorFixture f, string body)
    {
        var reply = await f.PutAsync("api.xro/2.0/Invoices", body);
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        return reply.Messages("Invoices");
    }

    [Fact]
    public async Task Document_dated_on_the_period_lock_date_is_refused()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var messages = await PutInvoice(f, Invoice(await f.CreateContactAsync("Acme"), date: "2026-06-30"));
        Assert.Equal(["The document date cannot be before the period lock date, currently set at 30-Jun-2026"], messages);
    }

    [Fact]
    public async Task Document_dated_before_the_end_of_year_lock_date_is_refused()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        f.Emulator.SetLockDates(f.Tenant.TenantId, null, new DateOnly(2025, 6, 30));
        var messages = await PutInvoice(f, Invoice(await f.CreateContactAsync("Acme"), date: "2025-06-01"));
        Assert.Equal(["The document date cannot be before the end of year lock date, currently set at 30-Jun-2025"], messages);
    }

    [Fact]
    public async Task Both_lock_date_messages_can_appear_on_one_element()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        f.Emulator.SetLockDates(f.Tenant.TenantId, new DateOnly(2026, 6, 30), new DateOnly(2025, 6, 30));
        var messages = await PutInvoice(f, Invoice(await f.CreateContactAsync("Acme"), date: "2025-01-01"));
        Assert.Contains("The document date cannot be before the period lock date, currently set at 30-Jun-2026", messages);
        Assert.Contains("The document date cannot be before the end of year lock date, currently set at 30-Jun-2025", messages);
    }

    [Fact]
    public async Task Draft_documents_may_be_dated_in_a_locked_period()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var reply = await f.PutAsync("api.xro/2.0/Invoices", Invoice(await f.CreateContactAsync("Acme"), date: "2026-01-01", status: "DRAFT"));
        Assert.Equal(HttpStatusCode.OK, reply.Status);
    }

    [Fact]
    public async Task Unknown_account_code_is_refused()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var messages = await PutInvoice(f, Invoice(await f.CreateContactAsync("Acme"), accountCode: "999"));
        Assert.Contains("Account code '999' is not a valid code for this document.", messages);
    }

    [Fact]
    public async Task Archived_account_code_is_refused()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        f.Emulator.ArchiveAccount(f.Tenant.TenantId, "260");
        var messages = await PutInvoice(f, Invoice(await f.CreateContactAsync("Acme"), accountCode: "260"));
        Assert.Equal(["Account code '260' has been archived, or has been deleted. Each line item must reference a valid account."], messages);
    }

    [Fact]
    public async Task Missing_account_code_is_refused()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var contact = await f.CreateContactAsync("Acme");
        var messages = await PutInvoice(f, $$"""
            {"Invoices":[{"Type":"ACCREC","Contact":{"ContactID":"{{contact}}"},"Date":"2026-07-10","Status":"AUTHORISED","LineItems":[{"Description":"Work","Quantity":1,"UnitAmount":10,"TaxType":"OUTPUT"}]}]}
            """);
        Assert.Equal(["Account code must be specified"], messages);
    }

    [Fact]
    public async Task Tax_type_that_does_not_fit_the_account_is_refused()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var messages = await PutInvoice(f, Invoice(await f.CreateContactAsync("Acme"), accountCode: "310", taxType: "OUTPUT"));
        Assert.Equal(["The TaxType code 'OUTPUT' cannot be used with account code '310'."], messages);
    }

    [Fact]
    public async Task Unknown_tax_type_is_refused()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var messages = await PutInvoice(f, Invoice(await f.CreateContactAsync("Acme"), taxType: "NOPE"));
        Assert.Equal(["The TaxType code 'NOPE' cannot be used with account code '200'."], messages);
    }

    [Fact]
    public async Task Archived_contact_is_refused_on_a_document()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var contact = await f.CreateContactAsync("Old Co");
        await f.PostAsync("api.xro/2.0/Contacts/" + contact, """{"Contacts":[{"ContactStatus":"ARCHIVED"}]}""");
        var messages = await PutInvoice(f, Invoice(contact));
        Assert.Equal([XeroMessages.ContactArchived.Format("Old Co")], messages);
        Assert.True(XeroMessages.ContactArchived.IsApproximation);
    }

    [Fact]
    public async Task Duplicate_contact_name_is_refused()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        await f.CreateContactAsync("Acme Pty Ltd");
        var reply = await f.PutAsync("api.xro/2.0/Contacts", """{"Contacts":[{"Name":"Acme Pty Ltd"}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(["The contact name Acme Pty Ltd is already assigned to another contact. The contact name must be unique across all active contacts."], reply.Messages("Contacts"));
    }

    [Fact]
    public async Task Archived_contact_name_may_be_reused()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var old = await f.CreateContactAsync("Acme");
        await f.PostAsync("api.xro/2.0/Contacts/" + old, """{"Contacts":[{"ContactStatus":"ARCHIVED"}]}""");
        var reply = await f.PutAsync("api.xro/2.0/Contacts", """{"Contacts":[{"Name":"Acme"}]}""");
        Assert.Equal(HttpStatusCode.OK, reply.Status);
    }

    [Fact]
    public async Task Duplicate_sales_invoice_number_is_refused()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var contact = await f.CreateContactAsync("Acme");
        await f.CreateInvoiceAsync(contact, "INV-900");
        var messages = await PutInvoice(f, Invoice(contact).Replace("\"Status\"", "\"InvoiceNumber\":\"INV-900\",\"Status\"", StringComparison.Ordinal));
        Assert.Equal(["Invoice # must be unique."], messages);
    }

    [Fact]
    public async Task Paid_invoice_is_not_editable()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var invoice = await f.CreateInvoiceAsync(await f.CreateContactAsync("Acme"));
        var id = invoice["InvoiceID"]!.GetValue<string>();
        await f.PutAsync("api.xro/2.0/Payments", $$"""{"Payments":[{"Invoice":{"InvoiceID":"{{id}}"},"Account":{"Code":"090"},"Date":"2026-07-12","Amount":110}]}""");
        var reply = await f.PostAsync("api.xro/2.0/Invoices/" + id, """{"Invoices":[{"Reference":"too late"}]}""");
        Assert.Equal(["Invoice not of valid status for modification"], reply.Messages("Invoices"));
    }

    [Fact]
    public async Task Voided_invoice_is_not_editable()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var invoice = await f.CreateInvoiceAsync(await f.CreateContactAsync("Acme"));
        var id = invoice["InvoiceID"]!.GetValue<string>();
        var voided = await f.PostAsync("api.xro/2.0/Invoices/" + id, """{"Invoices":[{"Status":"VOIDED"}]}""");
        Assert.Equal(HttpStatusCode.OK, voided.Status);
        var reply = await f.PostAsync("api.xro/2.0/Invoices/" + id, """{"Invoices":[{"Reference":"too late"}]}""");
        Assert.Equal(["Invoice not of valid status for modification"], reply.Messages("Invoices"));
    }

    [Fact]
    public async Task Part_paid_invoice_is_not_editable()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var invoice = await f.CreateInvoiceAsync(await f.CreateContactAsync("Acme"));
        var id = invoice["InvoiceID"]!.GetValue<string>();
        await f.PutAsync("api.xro/2.0/Payments", $$"""{"Payments":[{"Invoice":{"InvoiceID":"{{id}}"},"Account":{"Code":"090"},"Date":"2026-07-12","Amount":10}]}""");
        var reply = await f.PostAsync("api.xro/2.0/Invoices/" + id, """{"Invoices":[{"Reference":"too late"}]}""");
        Assert.Equal(["This document cannot be edited as it has a payment or credit note allocated to it."], reply.Messages("Invoices"));
    }

    [Fact]
    public async Task Payment_above_amount_due_is_refused()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var invoice = await f.CreateInvoiceAsync(await f.CreateContactAsync("Acme"));
        var reply = await f.PutAsync("api.xro/2.0/Payments", $$"""{"Payments":[{"Invoice":{"InvoiceID":"{{invoice["InvoiceID"]}}"},"Account":{"Code":"090"},"Date":"2026-07-12","Amount":110.01}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(["Payment amount exceeds the amount outstanding on this document"], reply.Messages("Payments"));
    }

    [Fact]
    public async Task Payment_to_an_account_without_payments_enabled_is_refused()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var invoice = await f.CreateInvoiceAsync(await f.CreateContactAsync("Acme"));
        var reply = await f.PutAsync("api.xro/2.0/Payments", $$"""{"Payments":[{"Invoice":{"InvoiceID":"{{invoice["InvoiceID"]}}"},"Account":{"Code":"200"},"Date":"2026-07-12","Amount":10}]}""");
        Assert.Equal([XeroMessages.PaymentAccountInvalid.Format("200")], reply.Messages("Payments"));
        Assert.True(XeroMessages.PaymentAccountInvalid.IsApproximation);
    }

    [Fact]
    public async Task Payment_to_an_account_with_payments_enabled_is_accepted()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var invoice = await f.CreateInvoiceAsync(await f.CreateContactAsync("Acme"));
        var reply = await f.PutAsync("api.xro/2.0/Payments", $$"""{"Payments":[{"Invoice":{"InvoiceID":"{{invoice["InvoiceID"]}}"},"Account":{"Code":"855"},"Date":"2026-07-12","Amount":10}]}""");
        Assert.Equal(HttpStatusCode.OK, reply.Status);
    }

    [Fact]
    public async Task Payment_on_a_draft_invoice_is_refused()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var invoice = await f.CreateInvoiceAsync(await f.CreateContactAsync("Acme"), status: "DRAFT");
        var reply = await f.PutAsync("api.xro/2.0/Payments", $$"""{"Payments":[{"Invoice":{"InvoiceID":"{{invoice["InvoiceID"]}}"},"Account":{"Code":"090"},"Date":"2026-07-12","Amount":10}]}""");
        Assert.Equal(["Payments can only be made against Authorised documents"], reply.Messages("Payments"));
    }

    [Fact]
    public async Task Payment_dated_in_a_locked_period_is_refused()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var invoice = await f.CreateInvoiceAsync(await f.CreateContactAsync("Acme"));
        var reply = await f.PutAsync("api.xro/2.0/Payments", $$"""{"Payments":[{"Invoice":{"InvoiceID":"{{invoice["InvoiceID"]}}"},"Account":{"Code":"090"},"Date":"2026-06-01","Amount":10}]}""");
        Assert.Equal(["The document date cannot be before the period lock date, currently set at 30-Jun-2026"], reply.Messages("Payments"));
    }

    [Fact]
    public async Task Payment_cannot_be_edited()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var invoice = await f.CreateInvoiceAsync(await f.CreateContactAsync("Acme"));
        var payment = await f.PutAsync("api.xro/2.0/Payments", $$"""{"Payments":[{"Invoice":{"InvoiceID":"{{invoice["InvoiceID"]}}"},"Account":{"Code":"090"},"Date":"2026-07-12","Amount":10}]}""");
        var id = payment.Json!["Payments"]![0]!["PaymentID"]!.GetValue<string>();
        var reply = await f.PostAsync("api.xro/2.0/Payments/" + id, """{"Payments":[{"Amount":5}]}""");
        Assert.Equal(["Payment not of valid status for modification"], reply.Messages("Payments"));
    }

    [Fact]
    public async Task Negative_total_is_refused()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var messages = await PutInvoice(f, Invoice(await f.CreateContactAsync("Acme"), unit: "-50"));
        Assert.Equal([XeroMessages.NegativeTotal.Template], messages);
    }

    [Fact]
    public async Task Negative_quantity_is_refused()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var messages = await PutInvoice(f, Invoice(await f.CreateContactAsync("Acme"), quantity: "-1", unit: "-10"));
        Assert.Contains("The quantity value '-1.0000' is invalid. Quantity must not be less than zero.", messages);
    }

    [Fact]
    public async Task Supplied_line_total_that_does_not_match_is_refused()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var messages = await PutInvoice(f, Invoice(await f.CreateContactAsync("Acme"), quantity: "1", unit: "134.99", extraLine: ",\"LineAmount\":123"));
        Assert.Equal(["The line total 123.00 does not match the expected line total of 134.99"], messages);
    }

    [Fact]
    public async Task Authorised_invoice_without_lines_is_refused()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var contact = await f.CreateContactAsync("Acme");
        var messages = await PutInvoice(f, $$"""{"Invoices":[{"Type":"ACCREC","Contact":{"ContactID":"{{contact}}"},"Date":"2026-07-10","Status":"AUTHORISED","LineItems":[]}]}""");
        Assert.Equal(["One or more line items must be specified"], messages);
    }

    [Fact]
    public async Task Invoice_without_contact_is_refused()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var messages = await PutInvoice(f, """{"Invoices":[{"Type":"ACCREC","Date":"2026-07-10","LineItems":[{"Description":"a","Quantity":1,"UnitAmount":1,"AccountCode":"200"}]}]}""");
        Assert.Equal(["The Contact must contain at least 1 of the following elements to identify the contact: Name, ContactID, ContactNumber"], messages);
    }

    [Fact]
    public async Task Currency_the_organisation_does_not_use_is_refused()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var body = Invoice(await f.CreateContactAsync("Acme")).Replace("\"Status\"", "\"CurrencyCode\":\"EUR\",\"Status\"", StringComparison.Ordinal);
        Assert.Equal(["Organisation is not subscribed to currency EUR"], await PutInvoice(f, body));
    }
}
