using SyncKit.Records;
using SyncKit.Testing.Demo;
using SyncKit.Testing.Sources;

namespace SyncKit.Samples.Console;

/// <summary>
/// The sample's stand-in for a host product's database: a demo practice (customers, items, a month of
/// invoices, purchase orders, payments, costs) with one record for each problem in the seed articles.
/// A real host implements <see cref="Sources.SyncSource{TRecord}"/> over its own tables instead.
/// </summary>
internal sealed class DemoPsa
{
    /// <param name="practice">The demo data.</param>
    /// <param name="tenantFor">The tenant each kind's records belong to (the organisation, or the practice for Practice Manager kinds).</param>
    public DemoPsa(DemoPractice practice, Func<RecordKind, string?> tenantFor)
    {
        Practice = practice;
        Put(Contacts, tenantFor, practice.Contacts);
        Put(Items, tenantFor, practice.Items);
        Put(Invoices, tenantFor, practice.Invoices);
        Put(PurchaseOrders, tenantFor, practice.PurchaseOrders);
        Put(Bills, tenantFor, practice.Bills);
        Put(Payments, tenantFor, practice.Payments);
        Put(Clients, tenantFor, practice.Clients);
        Put(Jobs, tenantFor, practice.Jobs);
        Put(Costs, tenantFor, practice.Costs);
        Contacts.OnYield = Read;
        Items.OnYield = Read;
        Invoices.OnYield = Read;
        PurchaseOrders.OnYield = Read;
        Bills.OnYield = Read;
        Payments.OnYield = Read;
        Clients.OnYield = Read;
        Jobs.OnYield = Read;
        Costs.OnYield = Read;
    }

    private Action<RecordKind>? _onRead;

    private static void Put<TRecord>(InMemorySource<TRecord> source, Func<RecordKind, string?> tenantFor, IEnumerable<TRecord> records)
        where TRecord : SyncRecord
    {
        if (tenantFor(source.Kind) is { } tenant)
        {
            source.PutRange(tenant, records);
        }
    }

    /// <summary>Reports each record the engine reads (the sample's progress bars).</summary>
    public IDisposable OnRead(Action<RecordKind> callback)
    {
        _onRead = callback;
        return new Subscription(this);
    }

    private ValueTask Read(SyncRecord record)
    {
        _onRead?.Invoke(record.Kind);
        return ValueTask.CompletedTask;
    }

    private sealed class Subscription(DemoPsa psa) : IDisposable
    {
        public void Dispose() => psa._onRead = null;
    }

    public DemoPractice Practice { get; }

    public InMemorySource<ContactRecord> Contacts { get; } = new(RecordKind.Contact);

    public InMemorySource<ItemRecord> Items { get; } = new(RecordKind.Item);

    public InMemorySource<InvoiceRecord> Invoices { get; } = new(RecordKind.Invoice);

    public InMemorySource<PurchaseOrderRecord> PurchaseOrders { get; } = new(RecordKind.PurchaseOrder);

    public InMemorySource<BillRecord> Bills { get; } = new(RecordKind.Bill);

    public InMemorySource<PaymentRecord> Payments { get; } = new(RecordKind.Payment);

    public InMemorySource<ClientRecord> Clients { get; } = new(RecordKind.Client);

    public InMemorySource<JobRecord> Jobs { get; } = new(RecordKind.Job);

    public InMemorySource<CostRecord> Costs { get; } = new(RecordKind.Cost);

    public IEnumerable<Sources.SyncSource> Sources => [Contacts, Items, Invoices, PurchaseOrders, Bills, Payments, Clients, Jobs, Costs];

    public int CountOf(RecordKind kind) => kind switch
    {
        RecordKind.Contact => Practice.Contacts.Count,
        RecordKind.Item => Practice.Items.Count,
        RecordKind.Invoice => Practice.Invoices.Count,
        RecordKind.PurchaseOrder => Practice.PurchaseOrders.Count,
        RecordKind.Bill => Practice.Bills.Count,
        RecordKind.Payment => Practice.Payments.Count,
        RecordKind.Client => Practice.Clients.Count,
        RecordKind.Job => Practice.Jobs.Count,
        RecordKind.Cost => Practice.Costs.Count,
        _ => 0,
    };
}
