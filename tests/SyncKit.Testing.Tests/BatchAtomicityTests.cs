using System.Net;

namespace SyncKit.Testing.Tests;

/// <summary>A 500 commits nothing: an unexpected failure part-way through a write rolls back what the write had done.</summary>
public sealed class BatchAtomicityTests
{
    private const string ThreeBills = """
        {"Invoices":[
          {"Type":"ACCPAY","InvoiceNumber":"B-1","Contact":{"Name":"New Supplier"},"Date":"2026-07-10","Status":"DRAFT","LineItems":[{"Description":"a","Quantity":1,"UnitAmount":10,"AccountCode":"429"}]},
          {"Type":"ACCPAY","InvoiceNumber":"B-2","Contact":{"Name":"New Supplier"},"Date":"2026-07-10","Status":"DRAFT","LineItems":[{"Description":"b","Quantity":1,"UnitAmount":10,"AccountCode":"429"}]},
          {"Type":"ACCPAY","InvoiceNumber":"B-3","Contact":{"Name":"New Supplier"},"Date":"2026-07-10","Status":"DRAFT","LineItems":[{"Description":"c","Quantity":1,"UnitAmount":10,"AccountCode":"429"}]}]}
        """;

    private static void FailAt(EmulatorFixture f, int index) =>
        f.Emulator.Host.ElementHook = (_, i) =>
        {
            if (i == index)
            {
                throw new InvalidOperationException("Unexpected failure inside the emulated Xero.");
            }
        };

    [Fact]
    public async Task Unexpected_failure_part_way_through_a_batch_answers_Xeros_500()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        FailAt(f, 2);
        var reply = await f.PutAsync("api.xro/2.0/Invoices", ThreeBills);
        Assert.Equal(HttpStatusCode.InternalServerError, reply.Status);
        Assert.Equal("An unhandled error with the Xero API", reply.Json!["Detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unexpected_failure_part_way_through_a_batch_commits_no_element()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        FailAt(f, 2);
        await f.PutAsync("api.xro/2.0/Invoices", ThreeBills);
        Assert.Empty((await f.GetAsync("api.xro/2.0/Invoices")).Json!["Invoices"]!.AsArray());
        Assert.Empty((await f.GetAsync("api.xro/2.0/Contacts")).Json!["Contacts"]!.AsArray());
    }

    [Fact]
    public async Task Unexpected_failure_after_a_payment_in_the_same_batch_leaves_the_invoice_unpaid()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var invoice = await f.CreateInvoiceAsync(await f.CreateContactAsync("Acme"));
        var invoiceId = invoice["InvoiceID"]!.GetValue<string>();
        FailAt(f, 1);
        var reply = await f.PutAsync("api.xro/2.0/Payments", $$"""
            {"Payments":[
              {"Invoice":{"InvoiceID":"{{invoiceId}}"},"Account":{"Code":"090"},"Date":"2026-07-12","Amount":50},
              {"Invoice":{"InvoiceID":"{{invoiceId}}"},"Account":{"Code":"090"},"Date":"2026-07-12","Amount":10}]}
            """);
        Assert.Equal(HttpStatusCode.InternalServerError, reply.Status);
        var after = (await f.GetAsync("api.xro/2.0/Invoices/" + invoiceId)).Json!["Invoices"]![0]!;
        Assert.Equal(110.00m, after["AmountDue"]!.GetValue<decimal>());
        Assert.Empty(after["Payments"]!.AsArray());
        Assert.Empty((await f.GetAsync("api.xro/2.0/Payments")).Json!["Payments"]!.AsArray());
    }

    [Fact]
    public async Task Four_keyed_puts_answered_by_an_unexpected_500_replay_it_and_create_nothing()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        FailAt(f, 1);
        var replies = new List<Reply>();
        for (var i = 0; i < 4; i++)
        {
            replies.Add(await f.PutAsync("api.xro/2.0/Invoices", ThreeBills, r => r.Headers.Add("Idempotency-Key", "k-unexpected")));
        }

        Assert.All(replies, r => Assert.Equal(HttpStatusCode.InternalServerError, r.Status));
        Assert.All(replies, r => Assert.Equal(replies[0].Body, r.Body));
        Assert.Empty((await f.GetAsync("api.xro/2.0/Invoices")).Json!["Invoices"]!.AsArray());
    }

    [Fact]
    public async Task Rollback_keeps_the_invoice_number_sequence_where_it_was()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var contact = await f.CreateContactAsync("Acme");
        FailAt(f, 1);
        var draft = $$"""{"Type":"ACCREC","Contact":{"ContactID":"{{contact}}"},"Date":"2026-07-10","LineItems":[]}""";
        await f.PutAsync("api.xro/2.0/Invoices", "{\"Invoices\":[" + draft + "," + draft + "]}");
        f.Emulator.Host.ElementHook = null;
        var created = await f.CreateInvoiceAsync(contact);
        Assert.Equal("INV-0001", created["InvoiceNumber"]!.GetValue<string>());
    }
}
