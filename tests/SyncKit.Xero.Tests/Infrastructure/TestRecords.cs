using SyncKit.Connectors;
using SyncKit.Ledger;
using SyncKit.Records;

namespace SyncKit.Xero.Tests.Infrastructure;

/// <summary>Canonical records and push elements for tests.</summary>
internal static class TestRecords
{
    public const string ContactId = "9b9ba9e5-e907-4b4e-8210-54d82b0aa479";

    public static InvoiceRecord Invoice(string sourceId, string? number = null, string contact = "c-1") => new()
    {
        SourceId = sourceId,
        ContactSourceId = contact,
        Number = number ?? "INV-" + sourceId,
        Reference = "Ref " + sourceId,
        Date = new DateOnly(2025, 3, 14),
        DueDate = new DateOnly(2025, 4, 13),
        CurrencyCode = "AUD",
        Lines =
        [
            new DocumentLine
            {
                Description = "Consulting",
                Quantity = 2m,
                UnitPrice = 150.1234m,
                AccountKey = "200",
                TaxKey = "OUTPUT",
                ItemKey = "CONSULT",
                Tracking = [new TrackingAssignment { CategoryKey = "Region", OptionKey = "North" }],
            },
        ],
    };

    public static PushElement Element(SyncRecord record, string? remoteId = null, params (RecordKind Kind, string SourceId, string RemoteId)[] links) => new()
    {
        Key = new LedgerKey(TestConnector.Tenant, record.Kind, record.SourceId),
        Record = record,
        RemoteId = remoteId,
        ContentHash = "hash-" + record.SourceId,
        Links = links.ToDictionary(l => PushElement.LinkKey(l.Kind, l.SourceId), l => l.RemoteId),
    };

    public static PushElement InvoiceElement(string sourceId, string? number = null, string? remoteId = null) =>
        Element(Invoice(sourceId, number), remoteId, (RecordKind.Contact, "c-1", ContactId));

    public static PushBatch Batch(RecordKind kind, params PushElement[] elements) => new()
    {
        TenantId = TestConnector.Tenant,
        Kind = kind,
        IdempotencyKey = "key-" + kind,
        Elements = elements,
    };
}
