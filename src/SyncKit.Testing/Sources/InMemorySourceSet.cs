using Microsoft.Extensions.DependencyInjection;
using SyncKit.Records;
using SyncKit.Sources;
using SyncKit.Testing.Demo;

namespace SyncKit.Testing.Sources;

/// <summary>An in-memory source for every record kind: a host's database in a test or a demo.</summary>
public sealed class InMemorySourceSet
{
    /// <summary>Customers and suppliers.</summary>
    public InMemorySource<ContactRecord> Contacts { get; } = new(RecordKind.Contact);

    /// <summary>Products and services.</summary>
    public InMemorySource<ItemRecord> Items { get; } = new(RecordKind.Item);

    /// <summary>Sales invoices.</summary>
    public InMemorySource<InvoiceRecord> Invoices { get; } = new(RecordKind.Invoice);

    /// <summary>Credit notes.</summary>
    public InMemorySource<CreditNoteRecord> CreditNotes { get; } = new(RecordKind.CreditNote);

    /// <summary>Purchase orders.</summary>
    public InMemorySource<PurchaseOrderRecord> PurchaseOrders { get; } = new(RecordKind.PurchaseOrder);

    /// <summary>Bills.</summary>
    public InMemorySource<BillRecord> Bills { get; } = new(RecordKind.Bill);

    /// <summary>Payments.</summary>
    public InMemorySource<PaymentRecord> Payments { get; } = new(RecordKind.Payment);

    /// <summary>Practice Manager clients.</summary>
    public InMemorySource<ClientRecord> Clients { get; } = new(RecordKind.Client);

    /// <summary>Practice Manager jobs.</summary>
    public InMemorySource<JobRecord> Jobs { get; } = new(RecordKind.Job);

    /// <summary>Costs on jobs.</summary>
    public InMemorySource<CostRecord> Costs { get; } = new(RecordKind.Cost);

    /// <summary>Every source.</summary>
    public IReadOnlyList<SyncSource> All => [Contacts, Items, Invoices, CreditNotes, PurchaseOrders, Bills, Payments, Clients, Jobs, Costs];

    /// <summary>Registers every source with SyncKit.</summary>
    /// <param name="builder">The SyncKit builder.</param>
    /// <returns>The builder.</returns>
    public ISyncKitBuilder AddTo(ISyncKitBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var source in All)
        {
            builder.AddSource(source);
        }

        return builder;
    }

    /// <summary>Puts a demo practice's records in the sources, all for one tenant.</summary>
    /// <param name="practice">The demo data.</param>
    /// <param name="tenantId">The tenant.</param>
    public void Load(DemoPractice practice, string tenantId) => Load(practice, _ => tenantId);

    /// <summary>Puts a demo practice's records in the sources, each kind for the tenant <paramref name="tenantFor"/> names (none: left out).</summary>
    /// <param name="practice">The demo data.</param>
    /// <param name="tenantFor">The tenant of each kind, or null to leave the kind out.</param>
    public void Load(DemoPractice practice, Func<RecordKind, string?> tenantFor)
    {
        ArgumentNullException.ThrowIfNull(practice);
        ArgumentNullException.ThrowIfNull(tenantFor);
        Put(Contacts, practice.Contacts, tenantFor);
        Put(Items, practice.Items, tenantFor);
        Put(Invoices, practice.Invoices, tenantFor);
        Put(PurchaseOrders, practice.PurchaseOrders, tenantFor);
        Put(Bills, practice.Bills, tenantFor);
        Put(Payments, practice.Payments, tenantFor);
        Put(Clients, practice.Clients, tenantFor);
        Put(Jobs, practice.Jobs, tenantFor);
        Put(Costs, practice.Costs, tenantFor);
    }

    private static void Put<TRecord>(InMemorySource<TRecord> source, IEnumerable<TRecord> records, Func<RecordKind, string?> tenantFor)
        where TRecord : SyncRecord
    {
        if (tenantFor(source.Kind) is { } tenant)
        {
            source.PutRange(tenant, records);
        }
    }
}
