using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SyncKit.Ledger;
using SyncKit.Mapping;
using SyncKit.Records;
using SyncKit.Storage.Sqlite;

namespace SyncKit.Storage.Tests.Sqlite;

public sealed class SqliteProviderTests(SqliteStoreFixture fixture) : IClassFixture<SqliteStoreFixture>
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 9, 30, 0, TimeSpan.Zero);

    private static LedgerEntry Entry(string id) => new()
    {
        TenantId = "tenant-a", Kind = RecordKind.Invoice, SourceId = id, State = LedgerState.Pending, CreatedAt = T0, UpdatedAt = T0,
    };

    [Fact]
    public async Task Data_survives_closing_everything_and_reopening_the_file()
    {
        var path = fixture.NewPath();
        await using (var first = SqliteStoreFixture.Open(new SqliteStorageOptions { DatabasePath = path }))
        {
            Assert.Empty(await first.Ledger.SaveAsync([.. Enumerable.Range(0, 50).Select(i => Entry($"inv-{i}"))]));
            await first.Mappings.SetAsync("tenant-a", MappingKind.Account, "4000", "200");
            await first.Tokens.TrySaveAsync(new StoredToken { ConnectionKey = "c", ProtectedPayload = "p", UpdatedAt = T0 });
        }

        await using var reopened = SqliteStoreFixture.Open(new SqliteStorageOptions { DatabasePath = path });

        Assert.Equal(50, (await reopened.Ledger.CountAsync("tenant-a")).ByState[LedgerState.Pending]);
        Assert.Equal(1, (await reopened.Ledger.GetAsync(Entry("inv-7").Key))!.Version);
        Assert.Equal("200", await reopened.Mappings.GetAsync("tenant-a", MappingKind.Account, "4000"));
        Assert.Equal(1, (await reopened.Tokens.GetAsync("c"))!.Version);
        Assert.Equal(reopened.Schema.LatestVersion, await reopened.Schema.GetVersionAsync());
    }

    [Fact]
    public async Task Database_is_in_wal_mode_after_first_use()
    {
        var path = fixture.NewPath();
        await using (var stores = SqliteStoreFixture.Open(new SqliteStorageOptions { DatabasePath = path }))
        {
            await stores.Ledger.SaveAsync([Entry("inv-1")]);
        }

        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";

        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Migrate_from_empty_file_reaches_latest_and_rerun_is_a_no_op()
    {
        var path = fixture.NewPath();
        await File.WriteAllBytesAsync(path, []);
        await using var stores = SqliteStoreFixture.Open(new SqliteStorageOptions { DatabasePath = path, AutoMigrate = false });

        Assert.Equal(0, await stores.Schema.GetVersionAsync());
        Assert.Equal(stores.Schema.LatestVersion, await stores.Schema.MigrateAsync());
        Assert.Equal(stores.Schema.LatestVersion, await stores.Schema.MigrateAsync());

        Assert.Equal(stores.Schema.LatestVersion, await stores.Schema.GetVersionAsync());
        // Each script once; versions may skip a number (a migration numbered beside another branch's).
        Assert.Equal(await ScalarAsync(path, "SELECT COUNT(DISTINCT version) FROM synckit_schema_version;"), await ScalarAsync(path, "SELECT COUNT(*) FROM synckit_schema_version;"));
        Assert.Equal(stores.Schema.LatestVersion, await ScalarAsync(path, "SELECT MAX(version) FROM synckit_schema_version;"));
        // One row per script applied; versions may skip numbers while parallel branches' migrations are renumbered.
        Assert.Equal(SchemaScripts.Count(typeof(SqliteDatabase)), await ScalarAsync(path, "SELECT COUNT(*) FROM synckit_schema_version;"));
        Assert.Equal(1L, await ScalarAsync(path, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'synckit_ledger_entries';"));
    }

    [Fact]
    public async Task Version_1_file_upgrades_in_place_and_its_entries_read_as_no_outcome_pending()
    {
        var path = fixture.NewPath();
        await using (var old = new SqliteDatabase(new SqliteStorageOptions { DatabasePath = path, AutoMigrate = false }))
        {
            Assert.Equal(1, await old.MigrateAsync(targetVersion: 1, CancellationToken.None));
        }

        await ExecuteAsync(
            path,
            "INSERT INTO synckit_ledger_entries (tenant_id, kind, source_id, state, remote_id, attempts, created_at, updated_at, version) " +
            "VALUES ('tenant-a', @kind, 'inv-1', @state, 'remote-1', 2, @t0, @t0, 5);",
            ("kind", (int)RecordKind.Invoice), ("state", (int)LedgerState.Synced), ("t0", SqliteDialect.ToText(T0)));
        await using var stores = SqliteStoreFixture.Open(new SqliteStorageOptions { DatabasePath = path });

        var entry = await stores.Ledger.GetAsync(Entry("inv-1").Key);

        var expected = Entry("inv-1") with { State = LedgerState.Synced, RemoteId = "remote-1", Attempts = 2, Version = 5 };
        Assert.NotNull(entry);
        Assert.Empty(entry.Warnings);
        Assert.Equal(expected, entry with { Warnings = expected.Warnings });
        Assert.Equal(stores.Schema.LatestVersion, await stores.Schema.GetVersionAsync());
        Assert.Equal(Entry("inv-1").Key, (await stores.Ledger.FindOwnersAsync("tenant-a", RecordKind.Invoice, ["remote-1"]))["remote-1"]);
    }

    [Fact]
    public async Task FindOwners_is_a_lookup_on_the_remote_id_index()
    {
        var path = fixture.NewPath();
        await using var stores = SqliteStoreFixture.Open(new SqliteStorageOptions { DatabasePath = path });
        await stores.Schema.MigrateAsync();
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + SqliteSql.For("synckit_").LedgerFindOwners;
        command.Parameters.AddWithValue("@tenant_id", "tenant-a");
        command.Parameters.AddWithValue("@kind", (int)RecordKind.Invoice);
        command.Parameters.AddWithValue("@remote_ids", "[\"remote-1\"]");

        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(3));
            }
        }

        Assert.Contains(plan, step => step.Contains("synckit_ledger_entries USING", StringComparison.Ordinal) && step.Contains("INDEX synckit_ledger_entries_remote_id (tenant_id=? AND kind=? AND remote_id=?)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_auto_migrate_an_unmigrated_file_is_refused_with_the_fix()
    {
        await using var stores = SqliteStoreFixture.Open(new SqliteStorageOptions { DatabasePath = fixture.NewPath(), AutoMigrate = false });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => stores.Ledger.GetAsync(Entry("x").Key));

        Assert.Contains("MigrateAsync", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Table_prefix_lets_two_stores_and_host_tables_share_one_file()
    {
        var path = fixture.NewPath();
        await ScalarAsync(path, "CREATE TABLE host_orders (id INTEGER PRIMARY KEY); INSERT INTO host_orders VALUES (1); SELECT 1;");
        await using var a = SqliteStoreFixture.Open(new SqliteStorageOptions { DatabasePath = path });
        await using var b = SqliteStoreFixture.Open(new SqliteStorageOptions { DatabasePath = path, TablePrefix = "other_" });

        await a.Ledger.SaveAsync([Entry("only-in-a")]);

        Assert.Null(await b.Ledger.GetAsync(Entry("only-in-a").Key));
        Assert.NotNull(await a.Ledger.GetAsync(Entry("only-in-a").Key));
        Assert.Equal(0L, await ScalarAsync(path, "SELECT COUNT(*) FROM other_ledger_entries;"));
        Assert.Equal(1L, await ScalarAsync(path, "SELECT COUNT(*) FROM host_orders;"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Synckit_")]
    [InlineData("x; DROP TABLE y; --")]
    [InlineData("1abc")]
    public void Invalid_table_prefix_is_refused(string prefix)
    {
        Assert.Throws<ArgumentException>(() => new SqliteDatabase(new SqliteStorageOptions { DatabasePath = "x.db", TablePrefix = prefix }));
    }

    [Fact]
    public async Task UseSqliteStorage_registers_working_singletons()
    {
        var builder = new TestSyncKitBuilder();
        builder.UseInMemoryStorage().UseSqliteStorage(fixture.NewPath()).UseSqliteStorage(fixture.NewPath());
        await using var provider = builder.Build();
        provider.GetRequiredService<IStartupValidator>().Validate();

        var ledger = provider.GetRequiredService<LedgerStore>();
        Assert.IsType<SqliteLedgerStore>(ledger);
        Assert.Same(ledger, provider.GetRequiredService<LedgerStore>());
        Assert.Single(builder.Services, d => d.ServiceType == typeof(LedgerStore));
        Assert.Single(builder.Services, d => d.ServiceType == typeof(StoreSchema));
        Assert.IsType<SqliteStoreSchema>(provider.GetRequiredService<StoreSchema>());
        Assert.IsType<SqliteTenantStore>(provider.GetRequiredService<TenantStore>());
        Assert.Empty(await ledger.SaveAsync([Entry("inv-1")]));
    }

    [Fact]
    public async Task UseSqliteStorage_without_path_fails_at_start_naming_the_fix()
    {
        var builder = new TestSyncKitBuilder();
        builder.UseSqliteStorage(_ => { });
        await using var provider = builder.Build();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("UseSqliteStorage(\"path/to/synckit.db\")", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UseSqliteStorage_with_bad_prefix_fails_at_start()
    {
        var builder = new TestSyncKitBuilder();
        builder.UseSqliteStorage(o => { o.DatabasePath = "x.db"; o.TablePrefix = "Bad-Prefix"; });
        await using var provider = builder.Build();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("TablePrefix", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UseSqliteStorage_then_UseInMemoryStorage_last_wins()
    {
        var builder = new TestSyncKitBuilder();
        builder.UseSqliteStorage(fixture.NewPath()).UseInMemoryStorage();
        await using var provider = builder.Build();

        Assert.Equal("InMemoryLedgerStore", provider.GetRequiredService<LedgerStore>().GetType().Name);
        Assert.Single(builder.Services, d => d.ServiceType == typeof(TokenStore));
    }

    private static async Task ExecuteAsync(string path, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue("@" + name, value);
        }

        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
