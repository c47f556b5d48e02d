using SyncKit.Storage.Sqlite;
using SyncKit.Testing.Storage;

namespace SyncKit.Storage.Tests.Sqlite;

/// <summary>A new SQLite file per store set, in a temp directory the fixture deletes.</summary>
public sealed class SqliteStoreFixture : StoreFixture
{
    private int _count;

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "synckit-sqlite-" + Guid.NewGuid().ToString("N"));

    public string NewPath() => Path.Combine(Directory, $"db-{Interlocked.Increment(ref _count)}.db");

    public override Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(Directory);
        return Task.CompletedTask;
    }

    public override async Task<StoreSet> CreateStoresAsync(CancellationToken cancellationToken = default)
    {
        var stores = Open(new SqliteStorageOptions { DatabasePath = NewPath() });
        await stores.Schema.MigrateAsync(cancellationToken);
        return stores;
    }

    public override Task<StoreSet?> OpenSecondNodeAsync(StoreSet stores, CancellationToken cancellationToken = default) =>
        Task.FromResult<StoreSet?>(Open(new SqliteStorageOptions { DatabasePath = (string)stores.State! }));

    public static StoreSet Open(SqliteStorageOptions options)
    {
        var database = new SqliteDatabase(options);
        return new StoreSet
        {
            Ledger = new SqliteLedgerStore(database),
            Mappings = new SqliteMappingStore(database),
            Runs = new SqliteRunLog(database),
            Tenants = new SqliteTenantStore(database),
            Tokens = new SqliteTokenStore(database),
            ReferenceData = new SqliteReferenceDataCache(database),
            Inbound = new SqliteInboundStore(database),
            Webhooks = new SqliteWebhookInbox(database),
            Settings = new SqliteTenantSettingsStore(database),
            Usage = new SqliteUsageStore(database),
            Schema = new SqliteStoreSchema(database),
            State = options.DatabasePath,
            OnDispose = database.DisposeAsync,
        };
    }

    public override Task DisposeAsync()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the OS temp cleaner removes leftovers.
        }

        return Task.CompletedTask;
    }
}
