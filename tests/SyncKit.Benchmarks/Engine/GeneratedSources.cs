using System.Globalization;
using System.Runtime.CompilerServices;
using SyncKit.Records;
using SyncKit.Sources;

namespace SyncKit.Benchmarks.Engine;

/// <summary>
/// A host's invoices made on the fly from their index: every record is yielded on every run (a host that does not track
/// what it posted), and none is held, so a run of a million costs the source no memory.
/// </summary>
internal sealed class GeneratedInvoices(int count, int contacts) : SyncSource<InvoiceRecord>
{
    public override RecordKind Kind => RecordKind.Invoice;

    public static InvoiceRecord Make(int i, int contacts) => new()
    {
        SourceId = "i" + i.ToString(CultureInfo.InvariantCulture),
        Number = "INV-" + i.ToString(CultureInfo.InvariantCulture),
        ContactSourceId = "c" + (i % contacts).ToString(CultureInfo.InvariantCulture),
        Date = new DateOnly(2026, 11, 10),
        CurrencyCode = "AUD",
        Lines = [new DocumentLine { Description = "Work", Quantity = 2, UnitPrice = 110m, AccountKey = "200", TaxKey = "OUTPUT" }],
    };

    public override async IAsyncEnumerable<InvoiceRecord> GetChangedAsync(string tenantId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return Make(i, contacts);
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public override Task<InvoiceRecord?> GetAsync(string tenantId, string sourceId, CancellationToken cancellationToken = default) =>
        Task.FromResult(int.TryParse(sourceId.AsSpan(1), CultureInfo.InvariantCulture, out var i) && i < count ? Make(i, contacts) : null);
}

/// <summary>The invoices' contacts, made the same way.</summary>
internal sealed class GeneratedContacts(int count) : SyncSource<ContactRecord>
{
    public override RecordKind Kind => RecordKind.Contact;

    private static ContactRecord Make(int i) => new()
    {
        SourceId = "c" + i.ToString(CultureInfo.InvariantCulture),
        Name = "Customer " + i.ToString(CultureInfo.InvariantCulture),
        BillingContact = new ContactPerson { Email = $"c{i}@example.com" },
    };

    public override async IAsyncEnumerable<ContactRecord> GetChangedAsync(string tenantId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < count; i++)
        {
            yield return Make(i);
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public override Task<ContactRecord?> GetAsync(string tenantId, string sourceId, CancellationToken cancellationToken = default) =>
        Task.FromResult(int.TryParse(sourceId.AsSpan(1), CultureInfo.InvariantCulture, out var i) && i < count ? Make(i) : null);
}
