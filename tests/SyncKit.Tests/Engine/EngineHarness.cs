using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SyncKit.Ledger;
using SyncKit.Mapping;
using SyncKit.Records;
using SyncKit.Storage;
using SyncKit.Testing.Connectors;
using SyncKit.Testing.Demo;
using SyncKit.Testing.Sources;

namespace SyncKit.Tests.Engine;

/// <summary>An engine over in-memory storage and the in-memory ledger, with a source per kind and a fake clock.</summary>
internal sealed class EngineHarness : IAsyncDisposable
{
    public const string Tenant = "tenant-demo";

    public EngineHarness(Action<SyncOptions>? configure = null, Action<ISyncKitBuilder>? build = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        var builder = services.AddSyncKit(o =>
        {
            o.RoundingAccountKey = "GL-ROUNDING";
            o.RoundingTaxKey = "TAX-NONE";
            configure?.Invoke(o);
        })
            .UseInMemoryStorage()
            .UseConnector(Connector);
        Sources.AddTo(builder);
        build?.Invoke(builder);
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        Engine = Services.GetRequiredService<ISyncEngine>();
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));

    public InMemoryLedgerConnector Connector { get; } = new();

    public InMemoryLedger Ledger => Connector.Ledger(Tenant);

    public ServiceProvider Services { get; }

    public ISyncEngine Engine { get; }

    public LedgerStore LedgerStore => Services.GetRequiredService<LedgerStore>();

    public InMemorySourceSet Sources { get; } = new();

    public async Task<DemoPractice> LoadDemoAsync(int customers = 50, int invoices = 200)
    {
        var demo = DemoPractice.Generate(new DateOnly(2026, 11, 1), customers, invoices);
        Sources.Load(demo, Tenant);
        await MapAsync(demo.Mappings);
        Ledger.Reference = demo.ApplyTo(Ledger.Reference);
        return demo;
    }

    public async Task MapAsync(IEnumerable<(MappingKind Kind, string LocalKey, string RemoteKey)> mappings)
    {
        var store = Services.GetRequiredService<MappingStore>();
        foreach (var (kind, local, remote) in mappings)
        {
            await store.SetAsync(Tenant, kind, local, remote);
        }
    }

    public Task<LedgerEntry?> EntryAsync(RecordKind kind, string sourceId) => LedgerStore.GetAsync(new LedgerKey(Tenant, kind, sourceId));

    public async Task<LedgerEntry> RequiredEntryAsync(RecordKind kind, string sourceId) =>
        await EntryAsync(kind, sourceId) ?? throw new InvalidOperationException($"No ledger entry for {kind} {sourceId}.");

    public async Task<List<LedgerEntry>> AllEntriesAsync(params LedgerState[] states)
    {
        var all = new List<LedgerEntry>();
        string? token = null;
        do
        {
            var page = await LedgerStore.QueryAsync(new LedgerQuery { TenantId = Tenant, States = states, PageSize = 1000, ContinuationToken = token });
            all.AddRange(page.Entries);
            token = page.ContinuationToken;
        }
        while (token is not null);
        return all;
    }

    public Task<Runs.SyncRun> SyncAllAsync(CancellationToken cancellationToken = default) =>
        Engine.SyncAsync(new SyncRequest { TenantId = Tenant, RequestedBy = "test" }, cancellationToken);

    public ValueTask DisposeAsync() => Services.DisposeAsync();
}
