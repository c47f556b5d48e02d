using System.Text.Json;
using SyncKit.Ledger;
using SyncKit.Records;
using SyncKit.Runs;

namespace SyncKit.EndToEnd.Tests;

/// <summary>A negative invoice sent as a credit note is allocated to the invoice it refunds when the host names it.</summary>
public sealed class RefundAllocationTests
{
    private static JsonElement InvoiceInXero(XeroHarness h, string number) =>
        h.Export().GetProperty("invoices").EnumerateArray().Single(i => i.GetProperty("InvoiceNumber").GetString() == number);

    [Fact]
    public async Task RefundNamingItsInvoice_IsSentAsACreditNote_AndAllocatedToThatInvoice()
    {
        await using var h = await XeroHarness.CreateAsync();
        h.Sources.Contacts.Put(h.TenantId, Data.Contact(1));
        var invoice = Data.Invoice("inv-1", "REF-1", "cust-0001", Data.Day) with { Status = DocumentStatus.Authorised };
        var refund = Data.Invoice("inv-2", "REF-2", "cust-0001", Data.Day, amount: -40m) with { Status = DocumentStatus.Authorised, RefundsInvoiceSourceId = "inv-1" };
        h.Sources.Invoices.PutRange(h.TenantId, [invoice, refund]);

        // The refund waits for the invoice it refunds (one run), then goes and is allocated to it.
        await h.SyncAsync();
        var run = await h.SyncAsync();

        Assert.Equal(RunOutcome.Completed, run.Outcome);
        var entry = await h.RequiredEntryAsync(RecordKind.Invoice, "inv-2");
        Assert.Equal(LedgerState.Synced, entry.State);
        Assert.DoesNotContain(entry.Warnings, w => w.Code == "CreditNoteNotAllocated");
        var allocated = InvoiceInXero(h, "REF-1");
        Assert.Equal(44.00m, allocated.GetProperty("AmountCredited").GetDecimal());
        Assert.Equal(66.00m, allocated.GetProperty("AmountDue").GetDecimal());
    }

    [Fact]
    public async Task RefundNamingNoInvoice_IsSentAsACreditNote_AndLeftUnallocated()
    {
        await using var h = await XeroHarness.CreateAsync();
        h.Sources.Contacts.Put(h.TenantId, Data.Contact(1));
        var invoice = Data.Invoice("inv-1", "REF-1", "cust-0001", Data.Day) with { Status = DocumentStatus.Authorised };
        var refund = Data.Invoice("inv-2", "REF-2", "cust-0001", Data.Day, amount: -40m) with { Status = DocumentStatus.Authorised };
        h.Sources.Invoices.PutRange(h.TenantId, [invoice, refund]);

        await h.SyncAsync();

        Assert.Equal(110.00m, InvoiceInXero(h, "REF-1").GetProperty("AmountDue").GetDecimal());
    }
}
