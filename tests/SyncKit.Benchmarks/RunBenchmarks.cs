using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using SyncKit.Records;
using SyncKit.Testing.Connectors;
using SyncKit.Testing.Sources;

namespace SyncKit.Benchmarks;

/// <summary>
/// A first run over N new invoices, and a second run over the same N unchanged ones, through the in-memory
/// store and ledger. Allocated bytes per record should stay flat as N grows: a run holds a chunk, not the source.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class RunBenchmarks
{
    private const string Tenant = "bench";

    [Params(1_000, 10_000)]
    public int Records { get; set; }

    private ServiceProvider _services = null!;
    private ISyncEngine _engine = null!;

    [IterationSetup]
    public void Setup()
    {
        var connector = new InMemoryLedgerConnector();
        var contacts = new InMemorySource<ContactRecord>(RecordKind.Contact);
        var invoices = new InMemorySource<InvoiceRecord>(RecordKind.Invoice);
        contacts.PutRange(Tenant, Enumerable.Range(0, 100).Select(i => new ContactRecord { SourceId = $"c{i}", Name = $"Customer {i}", BillingContact = new ContactPerson { Email = $"c{i}@example.com" } }));
        invoices.PutRange(Tenant, Enumerable.Range(0, Records).Select(i => new InvoiceRecord
        {
            SourceId = $"i{i}",
            Number = $"INV-{i}",
            ContactSourceId = $"c{i % 100}",
            Date = new DateOnly(2026, 11, 10),
            CurrencyCode = "AUD",
            Lines = [new DocumentLine { Description = "Work", Quantity = 2, UnitPrice = 110m, AccountKey = "200", TaxKey = "OUTPUT" }],
        }));

        var services = new ServiceCollection();
        services.AddSyncKit(o => o.PassThroughMappings.UnionWith([Mapping.MappingKind.Account, Mapping.MappingKind.TaxRate]))
            .UseInMemoryStorage()
            .UseConnector(connector)
            .AddSource(contacts)
            .AddSource(invoices);
        _services = services.BuildServiceProvider();
        _engine = _services.GetRequiredService<ISyncEngine>();
    }

    [IterationCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark]
    public async Task FirstRunThenUnchangedRun()
    {
        await _engine.SyncAsync(new SyncRequest { TenantId = Tenant });
        await _engine.SyncAsync(new SyncRequest { TenantId = Tenant });
    }
}
