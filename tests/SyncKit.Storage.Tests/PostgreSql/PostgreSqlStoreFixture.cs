using System.Collections.Concurrent;
using Npgsql;
using SyncKit.Storage.PostgreSql;
using SyncKit.Testing.Storage;

namespace SyncKit.Storage.Tests.PostgreSql;

/// <summary>Skips a PostgreSQL test class when <c>SYNCKIT_TEST_POSTGRES</c> is not set. When it is set, the tests run and a dead server fails them.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequiresPostgreSqlAttribute : StoreTestConditionAttribute
{
    public override string? GetSkipReason() => PostgreSqlStoreFixture.ConnectionString is null
        ? $"PostgreSQL tests skipped: {PostgreSqlStoreFixture.EnvironmentVariable} is not set (for example Host=127.0.0.1;Port=5432;Username=postgres;Password=postgres;Database=synckit_test; .ci/run sets up a local server)."
        : null;
}

/// <summary>A new schema (random suffix) per store set in the server named by <c>SYNCKIT_TEST_POSTGRES</c>; all dropped when the class ends.</summary>
public sealed class PostgreSqlStoreFixture : StoreFixture
{
    public const string EnvironmentVariable = "SYNCKIT_TEST_POSTGRES";

    private readonly ConcurrentBag<string> _schemas = [];

    public static string? ConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value ? value : null;

    public string NewSchemaName()
    {
        var schema = "synckit_t_" + Guid.NewGuid().ToString("N")[..12];
        _schemas.Add(schema);
        return schema;
    }

    public override async Task InitializeAsync()
    {
        if (ConnectionString is null)
        {
            return; // The tests skip themselves.
        }

        // Set but unreachable is a failure, not a skip.
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
    }

    public override async Task<StoreSet> CreateStoresAsync(CancellationToken cancellationToken = default)
    {
        var stores = Open(new PostgreSqlStorageOptions { ConnectionString = RequireConnectionString(), Schema = NewSchemaName() });
        await stores.Schema.MigrateAsync(cancellationToken);
        return stores;
    }

    public override Task<StoreSet?> OpenSecondNodeAsync(StoreSet stores, CancellationToken cancellationToken = default) =>
        Task.FromResult<StoreSet?>(Open(new PostgreSqlStorageOptions { ConnectionString = RequireConnectionString(), Schema = (string)stores.State! }));

    public static StoreSet Open(PostgreSqlStorageOptions options)
    {
        var database = new PostgreSqlDatabase(options);
        return new StoreSet
        {
            Ledger = new PostgreSqlLedgerStore(database),
            Mappings = new PostgreSqlMappingStore(database),
            Runs = new PostgreSqlRunLog(database),
            Tenants = new PostgreSqlTenantStore(database),
            Tokens = new PostgreSqlTokenStore(database),
            ReferenceData = new PostgreSqlReferenceDataCache(database),
            Inbound = new PostgreSqlInboundStore(database),
            Webhooks = new PostgreSqlWebhookInbox(database),
            Settings = new PostgreSqlTenantSettingsStore(database),
            Usage = new PostgreSqlUsageStore(database),
            Schema = new PostgreSqlStoreSchema(database),
            State = options.Schema,
            OnDispose = database.DisposeAsync,
        };
    }

    public static string RequireConnectionString() =>
        ConnectionString ?? throw new InvalidOperationException($"{EnvironmentVariable} is not set.");

    public override async Task DisposeAsync()
    {
        if (ConnectionString is null || _schemas.IsEmpty)
        {
            return;
        }

        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        foreach (var schema in _schemas)
        {
            // Schema names are generated above (synckit_t_ + hex), never user input.
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE;", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
