using SyncKit.Records;
using SyncKit.Testing.Sources;

namespace SyncKit.EndToEnd.Tests.ExactlyOnce;

/// <summary>The kinds SyncKit writes, as the matrix names them.</summary>
public enum WrittenKind
{
    Contacts,
    Items,
    SalesInvoices,
    CreditNotes,
    PurchaseOrders,
    Bills,
    Payments,
    XpmClients,
    Jobs,
    Costs,
}

/// <summary>
/// A handful of records per kind, deliberately not unique: customers sharing names and emails, invoices Xero numbers
/// itself with identical content, identical part-payments on one invoice, bills sharing a supplier number, costs with the
/// same description and amount. Batches are 2 elements (Accounting) and 1 (Practice Manager), so each kind spans batches.
/// </summary>
internal static class NonUniqueData
{
    public static readonly DateOnly Day = new(2026, 11, 20);

    /// <summary>Loads the kind's records and what they depend on; answers what the ledger must account for and the ledger kinds a crash targets.</summary>
    public static (List<Expected> Expected, RecordKind[] CrashKinds) Load(InMemorySourceSet sources, string tenantId, WrittenKind kind)
    {
        var expected = new List<Expected>();
        void Put<T>(InMemorySource<T> source, params T[] records)
            where T : SyncRecord
        {
            source.PutRange(tenantId, records);
            expected.AddRange(records.Select(r => new Expected(r.Kind, r.SourceId, Expectation.SyncedOrVisiblyUnsettled)));
        }

        var customer = new ContactRecord { SourceId = "cust-a", Name = "Harbour Cafe", Email = "accounts@harbour.example" };
        var supplier = new ContactRecord { SourceId = "supp-a", Name = "Paper Supplies", Email = "ap@paper.example", IsCustomer = false, IsSupplier = true };
        var supplier2 = new ContactRecord { SourceId = "supp-b", Name = "Ink Supplies", Email = "ap@paper.example", IsCustomer = false, IsSupplier = true };
        var client = new ClientRecord { SourceId = "org-a", Name = "Client Harbour Pty Ltd", Email = "client@harbour.example" };
        var job = new JobRecord { SourceId = "job-a", ClientSourceId = "org-a", Name = "Annual accounts", State = "In Progress", StartDate = Day };

        switch (kind)
        {
            case WrittenKind.Contacts:
                Put(
                    sources.Contacts,
                    new ContactRecord { SourceId = "c-1", Name = "Acme Pty Ltd", Email = "accounts@acme.example" },
                    new ContactRecord { SourceId = "c-2", Name = "Acme Pty Ltd", Email = "accounts@acme.example" },
                    new ContactRecord { SourceId = "c-3", Name = "Acme Holdings", Email = "accounts@acme.example" },
                    new ContactRecord { SourceId = "c-4", Name = "ACME PTY LTD", Email = "other@acme.example" },
                    new ContactRecord { SourceId = "c-5", Name = "Globex", Email = "accounts@globex.example" });
                return (expected, [RecordKind.Contact]);

            case WrittenKind.Items:
                Put(sources.Items, [.. Enumerable.Range(1, 5).Select(i => new ItemRecord { SourceId = $"it-{i}", Code = $"SVC-{i}", Name = "Service", SalePrice = 100m, SalesAccountKey = "200", SalesTaxKey = "OUTPUT" })]);
                return (expected, [RecordKind.Item]);

            case WrittenKind.SalesInvoices:
                Put(sources.Contacts, customer);
                Put(
                    sources.Invoices,
                    Invoice("inv-1", "EO-1", "cust-a", 100m),
                    Invoice("inv-2", "EO-2", "cust-a", 100m),
                    Invoice("inv-3", null, "cust-a", 100m),
                    Invoice("inv-4", null, "cust-a", 100m),
                    Invoice("inv-5", "EO-5", "cust-a", 250m));
                return (expected, [RecordKind.Invoice]);

            case WrittenKind.CreditNotes:
                // Negative invoices go as credit notes; so do the host's own credit notes.
                Put(sources.Contacts, customer);
                Put(
                    sources.Invoices,
                    Invoice("neg-1", null, "cust-a", -40m),
                    Invoice("neg-2", null, "cust-a", -40m),
                    Invoice("neg-3", "EO-N3", "cust-a", -15m));
                Put(
                    sources.CreditNotes,
                    Document<CreditNoteRecord>("cn-1", null, "cust-a", 30m),
                    Document<CreditNoteRecord>("cn-2", null, "cust-a", 30m),
                    Document<CreditNoteRecord>("cn-3", "CN-EO-3", "cust-a", 12m));
                return (expected, [RecordKind.CreditNote, RecordKind.Invoice]);

            case WrittenKind.PurchaseOrders:
                Put(sources.Contacts, supplier);
                Put(
                    sources.PurchaseOrders,
                    Document<PurchaseOrderRecord>("po-1", null, "supp-a", 500m, "310", "INPUT"),
                    Document<PurchaseOrderRecord>("po-2", null, "supp-a", 500m, "310", "INPUT"),
                    Document<PurchaseOrderRecord>("po-3", "PO-EO-3", "supp-a", 500m, "310", "INPUT"),
                    Document<PurchaseOrderRecord>("po-4", "PO-EO-4", "supp-a", 75m, "310", "INPUT"),
                    Document<PurchaseOrderRecord>("po-5", "PO-EO-5", "supp-a", 75m, "310", "INPUT"));
                return (expected, [RecordKind.PurchaseOrder]);

            case WrittenKind.Bills:
                Put(sources.Contacts, supplier, supplier2);
                Put(
                    sources.Bills,
                    Document<BillRecord>("bill-1", "SUP-100", "supp-a", 80m, "310", "INPUT") with { Reference = "March stationery" },
                    Document<BillRecord>("bill-2", "SUP-100", "supp-a", 90m, "310", "INPUT") with { Reference = "April stationery" },
                    Document<BillRecord>("bill-3", "SUP-100", "supp-b", 80m, "310", "INPUT") with { Reference = "March stationery" },
                    Document<BillRecord>("bill-4", "SUP-200", "supp-a", 60m, "310", "INPUT") with { Reference = "Toner" },
                    Document<BillRecord>("bill-5", "SUP-200", "supp-a", 60m, "310", "INPUT") with { Reference = "Toner" });
                return (expected, [RecordKind.Bill]);

            case WrittenKind.Payments:
                Put(sources.Contacts, customer);
                Put(sources.Invoices, Invoice("pinv-1", "EO-P1", "cust-a", 100m), Invoice("pinv-2", "EO-P2", "cust-a", 100m));
                Put(
                    sources.Payments,
                    Payment("pay-1", "pinv-1", 30m),
                    Payment("pay-2", "pinv-1", 30m),
                    Payment("pay-3", "pinv-1", 30m),
                    Payment("pay-4", "pinv-2", 20m),
                    Payment("pay-5", "pinv-2", 20m));
                return (expected, [RecordKind.Payment]);

            case WrittenKind.XpmClients:
                Put(
                    sources.Clients,
                    new ClientRecord { SourceId = "org-1", Name = "Smith Family Trust", Email = "smith@example.com" },
                    new ClientRecord { SourceId = "org-2", Name = "Smith Family Trust", Email = "smith@example.com" },
                    new ClientRecord { SourceId = "org-3", Name = "Smith Holdings", Email = "smith@example.com" },
                    new ClientRecord { SourceId = "org-4", Name = "Jones & Co", Email = "jones@example.com" });
                return (expected, [RecordKind.Client]);

            case WrittenKind.Jobs:
                Put(sources.Clients, client);
                Put(
                    sources.Jobs,
                    new JobRecord { SourceId = "job-1", ClientSourceId = "org-a", Name = "Annual accounts", State = "In Progress", StartDate = Day },
                    new JobRecord { SourceId = "job-2", ClientSourceId = "org-a", Name = "Annual accounts", State = "In Progress", StartDate = Day },
                    new JobRecord { SourceId = "job-3", ClientSourceId = "org-a", Name = "Tax return", State = "In Progress", StartDate = Day },
                    new JobRecord { SourceId = "job-4", ClientSourceId = "org-a", Name = "Annual accounts", State = "In Progress", StartDate = Day.AddDays(1) });
                return (expected, [RecordKind.Job]);

            case WrittenKind.Costs:
                Put(sources.Clients, client);
                Put(sources.Jobs, job);
                Put(
                    sources.Costs,
                    Cost("cost-1", "Courier", 25m),
                    Cost("cost-2", "Courier", 25m),
                    Cost("cost-3", "Courier", 25m),
                    Cost("cost-4", "ASIC lodgement fee", 59m),
                    Cost("cost-5", "ASIC lodgement fee", 59m));
                return (expected, [RecordKind.Cost]);

            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    public static InvoiceRecord Invoice(string sourceId, string? number, string contact, decimal amount) =>
        Document<InvoiceRecord>(sourceId, number, contact, amount);

    public static T Document<T>(string sourceId, string? number, string contact, decimal amount, string account = "200", string tax = "OUTPUT")
        where T : DocumentRecord
    {
        DocumentRecord record = typeof(T) == typeof(InvoiceRecord)
            ? new InvoiceRecord { SourceId = sourceId, Number = number, ContactSourceId = contact, Date = Day, DueDate = Day.AddDays(30), CurrencyCode = "AUD", Reference = "Monthly services", Lines = Lines(amount, account, tax) }
            : typeof(T) == typeof(CreditNoteRecord)
            ? new CreditNoteRecord { SourceId = sourceId, Number = number, ContactSourceId = contact, Date = Day, CurrencyCode = "AUD", Reference = "Refund", Lines = Lines(amount, account, tax) }
            : typeof(T) == typeof(PurchaseOrderRecord)
            ? new PurchaseOrderRecord { SourceId = sourceId, Number = number, ContactSourceId = contact, Date = Day, DeliveryDate = Day.AddDays(7), CurrencyCode = "AUD", Reference = "Stock", Lines = Lines(amount, account, tax) }
            : new BillRecord { SourceId = sourceId, Number = number, ContactSourceId = contact, Date = Day, DueDate = Day.AddDays(30), CurrencyCode = "AUD", Reference = "Stock", Lines = Lines(amount, account, tax) };
        return (T)record;
    }

    private static DocumentLine[] Lines(decimal amount, string account, string tax) =>
        [new DocumentLine { Description = "Services", Quantity = 1m, UnitPrice = amount, AccountKey = account, TaxKey = tax }];

    public static PaymentRecord Payment(string sourceId, string invoice, decimal amount) => new()
    {
        SourceId = sourceId,
        DocumentSourceId = invoice,
        Date = Day.AddDays(1),
        Amount = amount,
        CurrencyCode = "AUD",
        AccountKey = "090",
        Reference = "Part payment",
    };

    public static CostRecord Cost(string sourceId, string description, decimal amount) => new()
    {
        SourceId = sourceId,
        OrganisationKey = "org-a",
        JobSourceId = "job-a",
        Date = Day,
        Description = description,
        Quantity = 1m,
        UnitCost = amount,
        UnitPrice = amount,
    };
}
