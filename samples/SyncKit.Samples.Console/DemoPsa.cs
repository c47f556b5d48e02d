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
    private Action<RecordKind>? _onRead;

    /// <param name="practice">The demo data.</param>
    /// <param name="tenantFor">The tenant each kind's records belong to (the organisation, or the practice for Practice Manager kinds).</param>
    public DemoPsa(DemoPractice practice, Func<RecordKind, string?> tenantFor)
    {
        Practice = practice;
        Sources.Load(practice, tenantFor);
        Sources.Contacts.OnYield = Read;
        Sources.Items.OnYield = Read;
        Sources.Invoices.OnYield = Read;
        Sources.CreditNotes.OnYield = Read;
        Sources.PurchaseOrders.OnYield = Read;
        Sources.Bills.OnYield = Read;
        Sources.Payments.OnYield = Read;
        Sources.Clients.OnYield = Read;
        Sources.Jobs.OnYield = Read;
        Sources.Costs.OnYield = Read;
    }

    public DemoPractice Practice { get; }

    public InMemorySourceSet Sources { get; } = new();

    /// <summary>Reports each record the engine reads (the sample's progress bars).</summary>
    public IDisposable OnRead(Action<RecordKind> callback)
    {
        _onRead = callback;
        return new Subscription(this);
    }

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

    private ValueTask Read(SyncRecord record)
    {
        _onRead?.Invoke(record.Kind);
        return ValueTask.CompletedTask;
    }

    private sealed class Subscription(DemoPsa psa) : IDisposable
    {
        public void Dispose() => psa._onRead = null;
    }
}
