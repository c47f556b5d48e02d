using System.Globalization;
using SyncKit.Records;

namespace SyncKit.EndToEnd.Tests;

/// <summary>Host records whose keys are the emulator's codes (account 200 Sales, tax OUTPUT, bank 090).</summary>
internal static class Data
{
    public static readonly DateOnly Day = new(2026, 11, 20);

    public static ContactRecord Contact(int i) => new()
    {
        SourceId = $"cust-{i:D4}",
        Name = $"Customer {i:D4} Pty Ltd",
        AccountNumber = $"C{i:D4}",
    };

    public static ItemRecord Item(int i) => new()
    {
        SourceId = $"item-{i:D3}",
        Code = $"ITEM-{i:D3}",
        Name = $"Service {i}",
        SalePrice = 100m,
        SalesAccountKey = "200",
        SalesTaxKey = "OUTPUT",
    };

    public static InvoiceRecord Invoice(string sourceId, string number, string contactSourceId, DateOnly date, decimal amount = 100m, string account = "200", string tax = "OUTPUT") => new()
    {
        SourceId = sourceId,
        Number = number,
        ContactSourceId = contactSourceId,
        Date = date,
        DueDate = date.AddDays(30),
        CurrencyCode = "AUD",
        Reference = "Job " + number,
        Lines = [new DocumentLine { Description = "Services", Quantity = 1m, UnitPrice = amount, AccountKey = account, TaxKey = tax }],
    };

    public static InvoiceRecord Invoice(int i, int customers) =>
        Invoice($"inv-{i:D5}", $"E2E-{i:D5}", $"cust-{(i % customers) + 1:D4}", Day.AddDays(-(i % 15)));

    /// <summary>A payment of the whole invoice (100 + 10% GST) into the bank account.</summary>
    public static PaymentRecord Payment(InvoiceRecord invoice, decimal amount = 110m, string account = "090") => new()
    {
        SourceId = "pay-" + invoice.SourceId,
        DocumentSourceId = invoice.SourceId,
        Date = invoice.Date.AddDays(1),
        Amount = amount,
        CurrencyCode = "AUD",
        AccountKey = account,
        Reference = string.Create(CultureInfo.InvariantCulture, $"Payment {invoice.Number}"),
    };

    /// <summary>Loads <paramref name="customers"/> contacts, <paramref name="invoices"/> invoices, items and a payment for every <paramref name="paymentEvery"/>th invoice (none when 0).</summary>
    public static (List<ContactRecord> Contacts, List<ItemRecord> Items, List<InvoiceRecord> Invoices, List<PaymentRecord> Payments) Load(
        XeroHarness harness, int customers, int invoices, int items, int paymentEvery)
    {
        var contacts = Enumerable.Range(1, customers).Select(Contact).ToList();
        var itemList = Enumerable.Range(1, items).Select(Item).ToList();
        var invoiceList = Enumerable.Range(1, invoices).Select(i => Invoice(i, customers)).ToList();
        var payments = paymentEvery <= 0 ? [] : invoiceList.Where((_, i) => i % paymentEvery == 0).Select(inv => Payment(inv)).ToList();
        harness.Sources.Contacts.PutRange(harness.TenantId, contacts);
        harness.Sources.Items.PutRange(harness.TenantId, itemList);
        harness.Sources.Invoices.PutRange(harness.TenantId, invoiceList);
        harness.Sources.Payments.PutRange(harness.TenantId, payments);
        return (contacts, itemList, invoiceList, payments);
    }
}
