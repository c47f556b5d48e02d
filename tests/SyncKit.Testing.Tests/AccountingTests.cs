using System.Net;
using System.Text.Json.Nodes;
using SyncKit.Testing.Emulator;

namespace SyncKit.Testing.Tests;

public sealed class AccountingTests
{
    [Fact]
    public async Task New_tenant_has_the_standard_chart_of_accounts()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var reply = await f.GetAsync("api.xro/2.0/Accounts");
        var accounts = reply.Json!["Accounts"]!.AsArray();
        string Name(string code) => accounts.First(a => a!["Code"]!.GetValue<string>() == code)!["Name"]!.GetValue<string>();
        Assert.Equal("Sales", Name("200"));
        Assert.Equal("Other Revenue", Name("260"));
        Assert.Equal("Cost of Goods Sold", Name("310"));
        Assert.Equal("Rounding", Name("860"));
        var bank = accounts.First(a => a!["Code"]!.GetValue<string>() == "090")!;
        Assert.Equal("BANK", bank["Type"]!.GetValue<string>());
        Assert.True(bank["EnablePaymentsToAccount"]!.GetValue<bool>());
    }

    [Fact]
    public async Task New_tenant_has_gst_tax_rates()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var rates = (await f.GetAsync("api.xro/2.0/TaxRates")).Json!["TaxRates"]!.AsArray();
        JsonNode Rate(string type) => rates.First(r => r!["TaxType"]!.GetValue<string>() == type)!;
        Assert.Equal("GST on Income", Rate("OUTPUT")["Name"]!.GetValue<string>());
        Assert.Equal(10m, Rate("OUTPUT")["EffectiveRate"]!.GetValue<decimal>());
        Assert.Equal("GST on Expenses", Rate("INPUT")["Name"]!.GetValue<string>());
        Assert.Equal(0m, Rate("NONE")["EffectiveRate"]!.GetValue<decimal>());
        Assert.Equal(0m, Rate("EXEMPTOUTPUT")["EffectiveRate"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task New_tenant_has_one_tracking_category_with_two_options()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var categories = (await f.GetAsync("api.xro/2.0/TrackingCategories")).Json!["TrackingCategories"]!.AsArray();
        Assert.Single(categories);
        Assert.Equal(2, categories[0]!["Options"]!.AsArray().Count);
    }

    [Fact]
    public async Task Organisation_shows_name_currency_and_lock_date()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var org = (await f.GetAsync("api.xro/2.0/Organisation")).Json!["Organisations"]![0]!;
        Assert.Equal("Test Co", org["Name"]!.GetValue<string>());
        Assert.Equal("AUD", org["BaseCurrency"]!.GetValue<string>());
        Assert.Equal("/Date(1782777600000+0000)/", org["PeriodLockDate"]!.GetValue<string>());
    }

    [Fact]
    public async Task Currencies_lists_the_base_currency()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var currencies = (await f.GetAsync("api.xro/2.0/Currencies")).Json!["Currencies"]!.AsArray();
        Assert.Equal("AUD", currencies[0]!["Code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Responses_use_xero_envelope()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var json = (await f.GetAsync("api.xro/2.0/Contacts")).Json!;
        Assert.Equal("OK", json["Status"]!.GetValue<string>());
        Assert.True(Guid.TryParse(json["Id"]!.GetValue<string>(), out _));
        Assert.NotNull(json["ProviderName"]);
        Assert.Equal($"/Date({EmulatorFixture.Start.ToUnixTimeMilliseconds()})/", json["DateTimeUTC"]!.GetValue<string>());
        Assert.NotNull(json["Contacts"]);
    }

    [Fact]
    public async Task Put_contact_creates_it_with_an_id()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var reply = await f.PutAsync("api.xro/2.0/Contacts", """{"Contacts":[{"Name":"Acme Pty Ltd","EmailAddress":"a@acme.test"}]}""");
        var contact = reply.Json!["Contacts"]![0]!;
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.True(Guid.TryParse(contact["ContactID"]!.GetValue<string>(), out _));
        Assert.Equal("ACTIVE", contact["ContactStatus"]!.GetValue<string>());
        Assert.Equal("OK", contact["StatusAttributeString"]!.GetValue<string>());
        Assert.StartsWith("/Date(", contact["UpdatedDateUTC"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_contact_by_id_returns_it()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var id = await f.CreateContactAsync("Acme");
        var reply = await f.GetAsync("api.xro/2.0/Contacts/" + id);
        Assert.Equal("Acme", reply.Json!["Contacts"]![0]!["Name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_unknown_id_is_404_plain_text()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var reply = await f.GetAsync("api.xro/2.0/Invoices/" + Guid.NewGuid());
        Assert.Equal(HttpStatusCode.NotFound, reply.Status);
        Assert.Equal("The resource you're looking for cannot be found", reply.Body);
    }

    [Fact]
    public async Task Post_contact_with_id_updates_it()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var id = await f.CreateContactAsync("Acme");
        var reply = await f.PostAsync("api.xro/2.0/Contacts", $$"""{"Contacts":[{"ContactID":"{{id}}","Name":"Acme Renamed"}]}""");
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var read = await f.GetAsync("api.xro/2.0/Contacts/" + id);
        Assert.Equal("Acme Renamed", read.Json!["Contacts"]![0]!["Name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Invoice_totals_round_tax_per_line()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var contact = await f.CreateContactAsync("Acme");
        var reply = await f.PutAsync("api.xro/2.0/Invoices", $$"""
            {"Invoices":[{"Type":"ACCREC","Contact":{"ContactID":"{{contact}}"},"Date":"2026-07-10","Status":"AUTHORISED","LineItems":[
              {"Description":"a","Quantity":1,"UnitAmount":10.05,"AccountCode":"200","TaxType":"OUTPUT"},
              {"Description":"b","Quantity":1,"UnitAmount":10.05,"AccountCode":"200","TaxType":"OUTPUT"},
              {"Description":"c","Quantity":1,"UnitAmount":10.05,"AccountCode":"200","TaxType":"OUTPUT"}]}]}
            """);
        var invoice = reply.Json!["Invoices"]![0]!;
        Assert.Equal(30.15m, invoice["SubTotal"]!.GetValue<decimal>());
        Assert.Equal(3.03m, invoice["TotalTax"]!.GetValue<decimal>());
        Assert.Equal(33.18m, invoice["Total"]!.GetValue<decimal>());
        Assert.Equal(1.01m, invoice["LineItems"]![0]!["TaxAmount"]!.GetValue<decimal>());
        Assert.Equal(33.18m, invoice["AmountDue"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Inclusive_lines_carry_tax_inside_the_line_amount()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var contact = await f.CreateContactAsync("Acme");
        var reply = await f.PutAsync("api.xro/2.0/Invoices", $$"""
            {"Invoices":[{"Type":"ACCREC","Contact":{"ContactID":"{{contact}}"},"Date":"2026-07-10","LineAmountTypes":"Inclusive","Status":"AUTHORISED",
              "LineItems":[{"Description":"a","Quantity":1,"UnitAmount":110,"AccountCode":"200","TaxType":"OUTPUT"}]}]}
            """);
        var invoice = reply.Json!["Invoices"]![0]!;
        Assert.Equal(100.00m, invoice["SubTotal"]!.GetValue<decimal>());
        Assert.Equal(10.00m, invoice["TotalTax"]!.GetValue<decimal>());
        Assert.Equal(110.00m, invoice["Total"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Invoice_dates_are_ms_dates_with_date_strings()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var invoice = await f.CreateInvoiceAsync(await f.CreateContactAsync("Acme"));
        Assert.Equal("/Date(1783641600000+0000)/", invoice["Date"]!.GetValue<string>());
        Assert.Equal("2026-07-10T00:00:00", invoice["DateString"]!.GetValue<string>());
        Assert.Equal("2026-08-10T00:00:00", invoice["DueDateString"]!.GetValue<string>());
    }

    [Fact]
    public async Task Requests_accept_ms_dates()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var invoice = await f.CreateInvoiceAsync(await f.CreateContactAsync("Acme"), date: "/Date(1783641600000+0000)/");
        Assert.Equal("2026-07-10T00:00:00", invoice["DateString"]!.GetValue<string>());
    }

    [Fact]
    public async Task Sales_invoices_get_sequential_numbers()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var contact = await f.CreateContactAsync("Acme");
        var first = await f.CreateInvoiceAsync(contact);
        var second = await f.CreateInvoiceAsync(contact);
        Assert.Equal("INV-0001", first["InvoiceNumber"]!.GetValue<string>());
        Assert.Equal("INV-0002", second["InvoiceNumber"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unitdp_4_keeps_four_decimal_unit_amounts()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var contact = await f.CreateContactAsync("Acme");
        var reply = await f.PutAsync("api.xro/2.0/Invoices?unitdp=4", $$"""
            {"Invoices":[{"Type":"ACCREC","Contact":{"ContactID":"{{contact}}"},"Date":"2026-07-10","LineItems":[{"Description":"a","Quantity":3,"UnitAmount":1.2345,"AccountCode":"200"}]}]}
            """);
        var line = reply.Json!["Invoices"]![0]!["LineItems"]![0]!;
        Assert.Equal("1.2345", line["UnitAmount"]!.ToJsonString());
        Assert.Equal(3.70m, line["LineAmount"]!.GetValue<decimal>());
        var id = reply.Json!["Invoices"]![0]!["InvoiceID"]!.GetValue<string>();
        var twoDp = await f.GetAsync("api.xro/2.0/Invoices/" + id);
        Assert.Equal("1.23", twoDp.Json!["Invoices"]![0]!["LineItems"]![0]!["UnitAmount"]!.ToJsonString());
    }

    [Fact]
    public async Task Without_unitdp_unit_amounts_round_to_two_decimals()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var contact = await f.CreateContactAsync("Acme");
        var reply = await f.PutAsync("api.xro/2.0/Invoices", $$"""
            {"Invoices":[{"Type":"ACCREC","Contact":{"ContactID":"{{contact}}"},"Date":"2026-07-10","LineItems":[{"Description":"a","Quantity":3,"UnitAmount":1.2345,"AccountCode":"200"}]}]}
            """);
        var line = reply.Json!["Invoices"]![0]!["LineItems"]![0]!;
        Assert.Equal(1.23m, line["UnitAmount"]!.GetValue<decimal>());
        Assert.Equal(3.69m, line["LineAmount"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Filter_by_invoice_numbers()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var contact = await f.CreateContactAsync("Acme");
        await f.CreateInvoiceAsync(contact, "A-1");
        await f.CreateInvoiceAsync(contact, "A-2");
        await f.CreateInvoiceAsync(contact, "A-3");
        var reply = await f.GetAsync("api.xro/2.0/Invoices?InvoiceNumbers=A-1,A-3");
        var numbers = reply.Json!["Invoices"]!.AsArray().Select(i => i!["InvoiceNumber"]!.GetValue<string>()).Order().ToArray();
        Assert.Equal(["A-1", "A-3"], numbers);
    }

    [Fact]
    public async Task Filter_by_ids()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var contact = await f.CreateContactAsync("Acme");
        var a = await f.CreateInvoiceAsync(contact);
        await f.CreateInvoiceAsync(contact);
        var reply = await f.GetAsync("api.xro/2.0/Invoices?IDs=" + a["InvoiceID"]!.GetValue<string>());
        Assert.Single(reply.Json!["Invoices"]!.AsArray());
    }

    [Fact]
    public async Task Filter_by_contact_ids_and_statuses()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var acme = await f.CreateContactAsync("Acme");
        var other = await f.CreateContactAsync("Other");
        await f.CreateInvoiceAsync(acme, status: "DRAFT");
        await f.CreateInvoiceAsync(acme);
        await f.CreateInvoiceAsync(other);
        var reply = await f.GetAsync($"api.xro/2.0/Invoices?ContactIDs={acme}&Statuses=AUTHORISED");
        Assert.Single(reply.Json!["Invoices"]!.AsArray());
    }

    [Fact]
    public async Task Where_filters_on_common_fields()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var acme = await f.CreateContactAsync("Acme");
        await f.CreateInvoiceAsync(acme, status: "DRAFT");
        await f.CreateInvoiceAsync(acme);
        var where = Uri.EscapeDataString($"Status==\"AUTHORISED\" AND Contact.ContactID==Guid(\"{acme}\") AND Total>100");
        var reply = await f.GetAsync("api.xro/2.0/Invoices?where=" + where);
        Assert.Single(reply.Json!["Invoices"]!.AsArray());
    }

    [Fact]
    public async Task Where_filters_accounts_by_type()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var reply = await f.GetAsync("api.xro/2.0/Accounts?where=" + Uri.EscapeDataString("Type==\"BANK\""));
        Assert.All(reply.Json!["Accounts"]!.AsArray(), a => Assert.Equal("BANK", a!["Type"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Paging_returns_pagination_and_page_items()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        for (var i = 0; i < 5; i++)
        {
            await f.CreateContactAsync("Contact " + i);
        }

        var reply = await f.GetAsync("api.xro/2.0/Contacts?page=2&pageSize=2");
        Assert.Equal(2, reply.Json!["Contacts"]!.AsArray().Count);
        var pagination = reply.Json!["pagination"]!;
        Assert.Equal(2, pagination["page"]!.GetValue<int>());
        Assert.Equal(2, pagination["pageSize"]!.GetValue<int>());
        Assert.Equal(3, pagination["pageCount"]!.GetValue<int>());
        Assert.Equal(5, pagination["itemCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task Page_size_is_clamped_to_1000()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var reply = await f.GetAsync("api.xro/2.0/Contacts?page=1&pageSize=5000");
        Assert.Equal(1000, reply.Json!["pagination"]!["pageSize"]!.GetValue<int>());
    }

    [Fact]
    public async Task If_modified_since_returns_only_later_changes()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        await f.CreateContactAsync("Old");
        f.Time.Advance(TimeSpan.FromMinutes(10));
        var since = f.Time.GetUtcNow().AddSeconds(-1);
        await f.CreateContactAsync("New");
        var reply = await f.GetAsync("api.xro/2.0/Contacts", r => r.Headers.IfModifiedSince = since);
        var names = reply.Json!["Contacts"]!.AsArray().Select(c => c!["Name"]!.GetValue<string>()).ToArray();
        Assert.Equal(["New"], names);
    }

    [Fact]
    public async Task If_modified_since_on_accounts_returns_only_the_accounts_changed_since_and_an_empty_list_when_none()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        f.Time.Advance(TimeSpan.FromMinutes(10));
        var since = f.Time.GetUtcNow();
        var none = await f.GetAsync("api.xro/2.0/Accounts", r => r.Headers.IfModifiedSince = since);
        f.Time.Advance(TimeSpan.FromMinutes(1));
        f.Emulator.ArchiveAccount(f.Tenant.TenantId, "400");

        var changed = await f.GetAsync("api.xro/2.0/Accounts", r => r.Headers.IfModifiedSince = since);

        Assert.Equal(HttpStatusCode.OK, none.Status);
        Assert.Empty(none.Json!["Accounts"]!.AsArray());
        var account = Assert.Single(changed.Json!["Accounts"]!.AsArray());
        Assert.Equal(("400", "ARCHIVED"), (account!["Code"]!.GetValue<string>(), account["Status"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("TaxRates")]
    [InlineData("TrackingCategories")]
    public async Task If_modified_since_is_ignored_where_xero_does_not_take_it(string resource)
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var all = await f.GetAsync("api.xro/2.0/" + resource);
        f.Time.Advance(TimeSpan.FromMinutes(20));

        var since = await f.GetAsync("api.xro/2.0/" + resource, r => r.Headers.IfModifiedSince = f.Time.GetUtcNow());

        Assert.NotEmpty(all.Json![resource]!.AsArray());
        Assert.Equal(all.Json![resource]!.ToJsonString(), since.Json![resource]!.ToJsonString());
    }

    [Fact]
    public async Task Post_invoice_by_number_updates_the_existing_invoice()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var contact = await f.CreateContactAsync("Acme");
        var created = await f.CreateInvoiceAsync(contact, "UPD-1", status: "DRAFT");
        var reply = await f.PostAsync("api.xro/2.0/Invoices", """{"Invoices":[{"InvoiceNumber":"UPD-1","Type":"ACCREC","Reference":"changed"}]}""");
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(created["InvoiceID"]!.GetValue<string>(), reply.Json!["Invoices"]![0]!["InvoiceID"]!.GetValue<string>());
        Assert.Equal("changed", reply.Json!["Invoices"]![0]!["Reference"]!.GetValue<string>());
    }

    [Fact]
    public async Task Contact_by_name_on_an_invoice_is_created_when_new()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var reply = await f.PutAsync("api.xro/2.0/Invoices", """
            {"Invoices":[{"Type":"ACCPAY","Contact":{"Name":"New Supplier"},"Date":"2026-07-10","LineItems":[{"Description":"a","Quantity":1,"UnitAmount":5,"AccountCode":"310"}]}]}
            """);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var contacts = (await f.GetAsync("api.xro/2.0/Contacts")).Json!["Contacts"]!.AsArray();
        Assert.Contains(contacts, c => c!["Name"]!.GetValue<string>() == "New Supplier" && c["IsSupplier"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Bills_may_reuse_numbers()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var contact = await f.CreateContactAsync("Supplier");
        var body = $$"""{"Invoices":[{"Type":"ACCPAY","InvoiceNumber":"B-1","Contact":{"ContactID":"{{contact}}"},"Date":"2026-07-10","LineItems":[{"Description":"a","Quantity":1,"UnitAmount":5,"AccountCode":"310"}]}]}""";
        await f.PutAsync("api.xro/2.0/Invoices", body);
        var second = await f.PutAsync("api.xro/2.0/Invoices", body);
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Equal(2, (await f.GetAsync("api.xro/2.0/Invoices?InvoiceNumbers=B-1")).Json!["Invoices"]!.AsArray().Count);
    }

    [Fact]
    public async Task Payment_reduces_amount_due_and_marks_invoice_paid()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var invoice = await f.CreateInvoiceAsync(await f.CreateContactAsync("Acme"));
        var id = invoice["InvoiceID"]!.GetValue<string>();
        var reply = await f.PutAsync("api.xro/2.0/Payments", $$"""{"Payments":[{"Invoice":{"InvoiceID":"{{id}}"},"Account":{"Code":"090"},"Date":"2026-07-12","Amount":110.00}]}""");
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("ACCRECPAYMENT", reply.Json!["Payments"]![0]!["PaymentType"]!.GetValue<string>());
        var read = (await f.GetAsync("api.xro/2.0/Invoices/" + id)).Json!["Invoices"]![0]!;
        Assert.Equal("PAID", read["Status"]!.GetValue<string>());
        Assert.Equal(0m, read["AmountDue"]!.GetValue<decimal>());
        Assert.Equal(110m, read["AmountPaid"]!.GetValue<decimal>());
        Assert.Single(read["Payments"]!.AsArray());
    }

    [Fact]
    public async Task Deleting_a_payment_restores_the_amount_due()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var invoice = await f.CreateInvoiceAsync(await f.CreateContactAsync("Acme"));
        var id = invoice["InvoiceID"]!.GetValue<string>();
        var payment = await f.PutAsync("api.xro/2.0/Payments", $$"""{"Payments":[{"Invoice":{"InvoiceID":"{{id}}"},"Account":{"Code":"090"},"Date":"2026-07-12","Amount":50}]}""");
        var paymentId = payment.Json!["Payments"]![0]!["PaymentID"]!.GetValue<string>();
        var delete = await f.PostAsync("api.xro/2.0/Payments/" + paymentId, """{"Payments":[{"Status":"DELETED"}]}""");
        Assert.Equal(HttpStatusCode.OK, delete.Status);
        var read = (await f.GetAsync("api.xro/2.0/Invoices/" + id)).Json!["Invoices"]![0]!;
        Assert.Equal(110m, read["AmountDue"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Items_are_created_and_used_on_lines()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var item = await f.PutAsync("api.xro/2.0/Items", """{"Items":[{"Code":"WIDGET","Name":"Widget","SalesDetails":{"UnitPrice":12.5,"AccountCode":"200","TaxType":"OUTPUT"}}]}""");
        Assert.Equal(HttpStatusCode.OK, item.Status);
        var contact = await f.CreateContactAsync("Acme");
        var reply = await f.PutAsync("api.xro/2.0/Invoices", $$"""
            {"Invoices":[{"Type":"ACCREC","Contact":{"ContactID":"{{contact}}"},"Date":"2026-07-10","Status":"AUTHORISED","LineItems":[{"ItemCode":"WIDGET","Quantity":2}]}]}
            """);
        var invoice = reply.Json!["Invoices"]![0]!;
        Assert.Equal(25.00m, invoice["SubTotal"]!.GetValue<decimal>());
        Assert.Equal("200", invoice["LineItems"]![0]!["AccountCode"]!.GetValue<string>());
    }

    [Fact]
    public async Task Credit_notes_are_numbered_and_carry_remaining_credit()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var contact = await f.CreateContactAsync("Acme");
        var reply = await f.PutAsync("api.xro/2.0/CreditNotes", $$"""
            {"CreditNotes":[{"Type":"ACCRECCREDIT","Contact":{"ContactID":"{{contact}}"},"Date":"2026-07-10","Status":"AUTHORISED","LineItems":[{"Description":"refund","Quantity":1,"UnitAmount":10,"AccountCode":"200","TaxType":"OUTPUT"}]}]}
            """);
        var note = reply.Json!["CreditNotes"]![0]!;
        Assert.Equal("CN-0001", note["CreditNoteNumber"]!.GetValue<string>());
        Assert.Equal(11.00m, note["RemainingCredit"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Purchase_orders_are_numbered()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var contact = await f.CreateContactAsync("Supplier");
        var reply = await f.PutAsync("api.xro/2.0/PurchaseOrders", $$"""
            {"PurchaseOrders":[{"Contact":{"ContactID":"{{contact}}"},"Date":"2026-07-10","LineItems":[{"Description":"stock","Quantity":4,"UnitAmount":2.5,"AccountCode":"310"}]}]}
            """);
        var po = reply.Json!["PurchaseOrders"]![0]!;
        Assert.Equal("PO-0001", po["PurchaseOrderNumber"]!.GetValue<string>());
        Assert.Equal(11.00m, po["Total"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Archived_contacts_are_hidden_unless_include_archived()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var id = await f.CreateContactAsync("Gone");
        await f.PostAsync("api.xro/2.0/Contacts/" + id, """{"Contacts":[{"ContactStatus":"ARCHIVED"}]}""");
        Assert.Empty((await f.GetAsync("api.xro/2.0/Contacts")).Json!["Contacts"]!.AsArray());
        Assert.Single((await f.GetAsync("api.xro/2.0/Contacts?includeArchived=true")).Json!["Contacts"]!.AsArray());
    }

    [Fact]
    public async Task Accept_other_than_json_gets_406()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var reply = await f.GetAsync("api.xro/2.0/Contacts", r => r.Headers.Accept.ParseAdd("application/xml"));
        Assert.Equal(HttpStatusCode.NotAcceptable, reply.Status);
    }

    [Fact]
    public async Task Export_contains_the_tenant_state()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        await f.CreateContactAsync("Exported");
        var export = JsonNode.Parse(f.Emulator.ExportTenant(f.Tenant.TenantId))!;
        Assert.Equal("Exported", export["contacts"]![0]!["Name"]!.GetValue<string>());
        Assert.True(export["accounts"]!.AsArray().Count > 10);
    }

    [Fact]
    public async Task Same_seed_and_calls_give_the_same_export()
    {
        async Task<string> Run()
        {
            await using var f = await EmulatorFixture.CreateAsync();
            await f.CreateInvoiceAsync(await f.CreateContactAsync("Acme"));
            return f.Emulator.ExportTenant(f.Tenant.TenantId);
        }

        Assert.Equal(await Run(), await Run());
    }
}

public sealed class SdkShapeTests
{
    [Fact]
    public async Task Null_and_read_only_fields_sent_by_sdk_models_are_ignored()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var contact = await f.PutAsync("api.xro/2.0/Contacts", """
            {"Contacts":[{"ContactID":null,"Name":"Sdk Co","FirstName":null,"HasValidationErrors":false,"ValidationErrors":null,"Addresses":null,"IsSupplier":null}]}
            """);
        Assert.Equal(System.Net.HttpStatusCode.OK, contact.Status);
        var created = contact.Json!["Contacts"]![0]!.AsObject();
        Assert.DoesNotContain(created, p => p.Value is null);
        var id = created["ContactID"]!.GetValue<string>();
        var invoice = await f.PutAsync("api.xro/2.0/Invoices", $$"""
            {"Invoices":[{"Type":"ACCREC","InvoiceID":null,"Contact":{"ContactID":"{{id}}","Name":null},"Date":"2026-07-10T00:00:00","DueDate":null,"Status":"AUTHORISED",
              "LineAmountTypes":"Exclusive","SubTotal":null,"Total":999,"HasErrors":false,
              "LineItems":[{"LineItemID":null,"Description":"Work","Quantity":1.0,"UnitAmount":100.0,"AccountCode":"200","TaxType":"OUTPUT","TaxAmount":0,"Tracking":null}]}]}
            """);
        Assert.Equal(System.Net.HttpStatusCode.OK, invoice.Status);
        Assert.Equal(110.00m, invoice.Json!["Invoices"]![0]!["Total"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Camel_case_property_names_are_accepted()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var reply = await f.PutAsync("api.xro/2.0/Contacts", """{"contacts":[{"name":"camel co","emailAddress":"c@c.test"}]}""");
        Assert.Equal("camel co", reply.Json!["Contacts"]![0]!["Name"]!.GetValue<string>());
    }
}

public sealed class ItemDeletionTests
{
    [Fact]
    public async Task Delete_item_removes_it()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var item = await f.PutAsync("api.xro/2.0/Items", """{"Items":[{"Code":"GONE","Name":"Gone"}]}""");
        var id = item.Json!["Items"]![0]!["ItemID"]!.GetValue<string>();
        var delete = await f.SendAsync(HttpMethod.Delete, "api.xro/2.0/Items/" + id, null);
        Assert.Equal(System.Net.HttpStatusCode.NoContent, delete.Status);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await f.GetAsync("api.xro/2.0/Items/" + id)).Status);
    }
}
