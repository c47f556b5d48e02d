using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace SyncKit.Benchmarks.Engine;

/// <summary>
/// An engine over one store (InMemory, Sqlite, PostgreSql) with generated sources and the discarding connector: what the
/// engine-cost benchmarks run. SQLite gets a fresh file, PostgreSQL a fresh schema (dropped on dispose).
/// </summary>
internal sealed class EngineHost : IDisposable
{
    public const string Tenant = "bench";

    /// <summary>The PostgreSQL connection string from <c>SYNCKIT_TEST_POSTGRES</c>, or null (the PostgreSQL store is then skipped).</summary>
    public static string? PostgresConnectionString => Environment.GetEnvironmentVariable("SYNCKIT_TEST_POSTGRES") is { Length: > 0 } cs ? cs : null;

    private readonly ServiceProvider _services;
    private readonly string? _directory;
    private readonly string? _schema;

    public EngineHost(string store, int invoices, int contacts = 100)
    {
        var services = new ServiceCollection();
        var synckit = services.AddSyncKit(o => o.PassThroughMappings.UnionWith([Mapping.MappingKind.Account, Mapping.MappingKind.TaxRate]));
        switch (store)
        {
            case "Sqlite":
                _directory = Directory.CreateTempSubdirectory("synckit-bench-").FullName;
                synckit.UseSqliteStorage(Path.Combine(_directory, "synckit.db"));
                break;
            case "PostgreSql":
                _schema = "bench_" + Guid.NewGuid().ToString("N")[..12];
                synckit.UsePostgreSqlStorage(o =>
                {
                    o.ConnectionString = PostgresConnectionString ?? throw new InvalidOperationException("Set SYNCKIT_TEST_POSTGRES to measure PostgreSQL.");
                    o.Schema = _schema;
                });
                break;
            default:
                synckit.UseInMemoryStorage();
                break;
        }

        synckit.UseConnector(new DiscardingConnector()).AddSource(new GeneratedContacts(contacts)).AddSource(new GeneratedInvoices(invoices, contacts));
        _services = services.BuildServiceProvider();
        Engine = _services.GetRequiredService<ISyncEngine>();

        // The schema is made at deploy time, not in a run: out of the figures.
        _services.GetService<Storage.StoreSchema>()?.MigrateAsync().GetAwaiter().GetResult();
    }

    public ISyncEngine Engine { get; }

    public Runs.SyncRun Run() => Engine.SyncAsync(new SyncRequest { TenantId = Tenant }).GetAwaiter().GetResult();

    public void Dispose()
    {
        _services.Dispose();
        if (_directory is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_directory, recursive: true);
        }

        if (_schema is not null)
        {
            NpgsqlConnection.ClearAllPools();
            using var connection = new NpgsqlConnection(PostgresConnectionString);
            connection.Open();
            using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE;", connection);
            drop.ExecuteNonQuery();
        }
    }
}
