using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using SyncKit.Records;
using SyncKit.Testing.Connectors;
using SyncKit.Testing.Sources;

namespace SyncKit.Benchmarks;

/// <summary>
/// The engine's own cost per record (mapping, validation, ledger; no network): a first run over N new invoices, and a
/// run over the same N unchanged, through the in-memory ledger connector and each store. Records per second is N
/// divided by the mean; the engine runs on one thread, so that is records per CPU-second. Allocated bytes per record
/// should stay flat as N grows: a run holds a chunk, not the source. The job is chosen on the command line (docs/performance.md).
/// </summary>
[MemoryDiagnoser]
public class RunBenchmarks
{
    private const string Tenant = "bench";

    [Params(10_000)]
    public int Records { get; set; }

    [Params("InMemory", "Sqlite")]
    public string Store { get; set; } = "InMemory";

    private ServiceProvider _services = null!;
    private ISyncEngine _engine = null!;
    private string? _directory;

    [IterationSetup(Target = nameof(FirstRun))]
    public void SetupFirst() => Setup();

    [IterationSetup(Target = nameof(UnchangedRun))]
    public void SetupUnchanged()
    {
        Setup();
        _engine.SyncAsync(new SyncRequest { TenantId = Tenant }).GetAwaiter().GetResult();
    }

    private void Setup()
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
        var synckit = services.AddSyncKit(o => o.PassThroughMappings.UnionWith([Mapping.MappingKind.Account, Mapping.MappingKind.TaxRate]));
        if (Store == "Sqlite")
        {
            _directory = Directory.CreateTempSubdirectory("synckit-bench-").FullName;
            synckit.UseSqliteStorage(Path.Combine(_directory, "synckit.db"));
        }
        else
        {
            synckit.UseInMemoryStorage();
        }

        synckit.UseConnector(connector).AddSource(contacts).AddSource(invoices);
        _services = services.BuildServiceProvider();
        _engine = _services.GetRequiredService<ISyncEngine>();
    }

    [IterationCleanup]
    public void Cleanup()
    {
        _services.Dispose();
        if (_directory is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_directory, recursive: true);
            _directory = null;
        }
    }

    /// <summary>N new invoices (and 100 contacts): each observed, validated, mapped, claimed, pushed and settled.</summary>
    [Benchmark]
    public Task FirstRun() => _engine.SyncAsync(new SyncRequest { TenantId = Tenant });

    /// <summary>The same N again, unchanged: each read, hashed and found synced.</summary>
    [Benchmark]
    public Task UnchangedRun() => _engine.SyncAsync(new SyncRequest { TenantId = Tenant });
}
