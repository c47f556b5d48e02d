using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using SyncKit.Ledger;
using SyncKit.Records;
using SyncKit.Storage.PostgreSql;
using SyncKit.Testing.Storage;

namespace SyncKit.Storage.Tests.PostgreSql;

[RequiresPostgreSql]
public sealed class PostgreSqlProviderTests(PostgreSqlStoreFixture fixture) : IClassFixture<PostgreSqlStoreFixture>
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 9, 30, 0, TimeSpan.Zero);

    private static SyncLease Lease(string holder, DateTimeOffset now) => new()
    {
        TenantId = "tenant-a", Scope = "sync", Holder = holder, RunId = "run-" + holder, ExpiresAt = now.AddMinutes(5),
    };

    private PostgreSqlStorageOptions NewOptions(bool autoMigrate = true) => new()
    {
        ConnectionString = PostgreSqlStoreFixture.RequireConnectionString(), Schema = fixture.NewSchemaName(), AutoMigrate = autoMigrate,
    };

    [StoreFact]
    public async Task Two_nodes_with_their_own_data_sources_never_both_hold_a_lease()
    {
        var options = NewOptions();
        await using var node1 = PostgreSqlStoreFixture.Open(options);
        await using var node2 = PostgreSqlStoreFixture.Open(new PostgreSqlStorageOptions { ConnectionString = options.ConnectionString, Schema = options.Schema });
        await node1.Schema.MigrateAsync();

        var wins = new int[2];
        for (var round = 0; round < 25; round++)
        {
            var now = T0.AddMinutes(10 * round);
            using var start = new Barrier(2);
            var a = Task.Run(async () => { start.SignalAndWait(); return await node1.Tenants.TryAcquireLeaseAsync(Lease("node-1", now), now); });
            var b = Task.Run(async () => { start.SignalAndWait(); return await node2.Tenants.TryAcquireLeaseAsync(Lease("node-2", now), now); });
            var answers = await Task.WhenAll(a, b);

            Assert.Equal(answers[0], answers[1]);
            wins[answers[0].Holder == "node-1" ? 0 : 1]++;
            Assert.False(await (answers[0].Holder == "node-1" ? node2 : node1).Tenants.RenewLeaseAsync(Lease(answers[0].Holder == "node-1" ? "node-2" : "node-1", now)));
        }

        Assert.Equal(25, wins.Sum());
    }

    [StoreFact]
    public async Task A_dead_nodes_lease_is_taken_over_by_another_node_after_expiry()
    {
        var options = NewOptions();
        await using var node2 = PostgreSqlStoreFixture.Open(options);
        await using (var node1 = PostgreSqlStoreFixture.Open(new PostgreSqlStorageOptions { ConnectionString = options.ConnectionString, Schema = options.Schema }))
        {
            await node1.Tenants.TryAcquireLeaseAsync(Lease("node-1", T0), T0);
        }

        Assert.Equal("node-1", (await node2.Tenants.TryAcquireLeaseAsync(Lease("node-2", T0.AddMinutes(4)), T0.AddMinutes(4))).Holder);
        Assert.Equal("node-2", (await node2.Tenants.TryAcquireLeaseAsync(Lease("node-2", T0.AddMinutes(5)), T0.AddMinutes(5))).Holder);
    }

    [StoreFact]
    public async Task Two_nodes_migrating_a_new_schema_at_once_apply_each_script_once()
    {
        var options = NewOptions();
        await using var node1 = PostgreSqlStoreFixture.Open(options);
        await using var node2 = PostgreSqlStoreFixture.Open(new PostgreSqlStorageOptions { ConnectionString = options.ConnectionString, Schema = options.Schema });
        Assert.Equal(0, await node1.Schema.GetVersionAsync());

        var versions = await Task.WhenAll(Task.Run(() => node1.Schema.MigrateAsync()), Task.Run(() => node2.Schema.MigrateAsync()));

        Assert.All(versions, v => Assert.Equal(node1.Schema.LatestVersion, v));
        // Each script once; versions may skip a number (a migration numbered beside another branch's).
        Assert.Equal(await ScalarAsync($"SELECT COUNT(DISTINCT version) FROM {options.Schema}.schema_version;"), await ScalarAsync($"SELECT COUNT(*) FROM {options.Schema}.schema_version;"));
        Assert.Equal((long)node1.Schema.LatestVersion, await ScalarAsync($"SELECT MAX(version)::bigint FROM {options.Schema}.schema_version;"));
        // One row per script applied; versions may skip numbers while parallel branches' migrations are renumbered.
        Assert.Equal(SchemaScripts.Count(typeof(PostgreSqlDatabase)), await ScalarAsync($"SELECT COUNT(*) FROM {options.Schema}.schema_version;"));
        Assert.Equal(node1.Schema.LatestVersion, await node1.Schema.MigrateAsync());
    }

    [StoreFact]
    public async Task Two_nodes_saving_the_same_entry_version_exactly_one_wins()
    {
        var options = NewOptions();
        await using var node1 = PostgreSqlStoreFixture.Open(options);
        await using var node2 = PostgreSqlStoreFixture.Open(new PostgreSqlStorageOptions { ConnectionString = options.ConnectionString, Schema = options.Schema });
        var entry = new LedgerEntry { TenantId = "tenant-a", Kind = RecordKind.Invoice, SourceId = "inv-1", State = LedgerState.Pending, CreatedAt = T0, UpdatedAt = T0 };

        var results = await Task.WhenAll(
            Task.Run(() => node1.Ledger.SaveAsync([entry with { DisplayName = "node-1" }])),
            Task.Run(() => node2.Ledger.SaveAsync([entry with { DisplayName = "node-2" }])));

        Assert.Equal(1, results.Count(r => r.Count == 0));
        Assert.Equal(1, (await node1.Ledger.GetAsync(entry.Key))!.Version);
    }

    [StoreFact]
    public async Task Version_1_schema_upgrades_in_place_and_its_entries_read_as_no_outcome_pending()
    {
        var options = NewOptions(autoMigrate: false);
        await using (var old = new PostgreSqlDatabase(options))
        {
            Assert.Equal(1, await old.MigrateAsync(targetVersion: 1, CancellationToken.None));
        }

        await using (var connection = new NpgsqlConnection(PostgreSqlStoreFixture.RequireConnectionString()))
        {
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand(
                $"INSERT INTO {options.Schema}.ledger_entries (tenant_id, kind, source_id, state, remote_id, attempts, created_at, updated_at, version) " +
                "VALUES ('tenant-a', @kind, 'inv-1', @state, 'remote-1', 2, @t0, @t0, 5);",
                connection);
            insert.Parameters.AddWithValue("kind", (int)RecordKind.Invoice);
            insert.Parameters.AddWithValue("state", (int)LedgerState.Synced);
            insert.Parameters.AddWithValue("t0", T0);
            await insert.ExecuteNonQueryAsync();
        }

        await using var stores = PostgreSqlStoreFixture.Open(new PostgreSqlStorageOptions { ConnectionString = options.ConnectionString, Schema = options.Schema });
        var key = new LedgerKey("tenant-a", RecordKind.Invoice, "inv-1");

        var entry = await stores.Ledger.GetAsync(key);

        var expected = new LedgerEntry
        {
            TenantId = "tenant-a", Kind = RecordKind.Invoice, SourceId = "inv-1", State = LedgerState.Synced, RemoteId = "remote-1", Attempts = 2, CreatedAt = T0, UpdatedAt = T0, Version = 5,
        };
        Assert.NotNull(entry);
        Assert.Empty(entry.Warnings);
        Assert.Equal(expected, entry with { Warnings = expected.Warnings });
        Assert.Equal(stores.Schema.LatestVersion, await stores.Schema.GetVersionAsync());
        Assert.Equal(key, (await stores.Ledger.FindOwnersAsync("tenant-a", RecordKind.Invoice, ["remote-1"]))["remote-1"]);
    }

    [StoreFact]
    public async Task FindOwners_is_a_lookup_on_the_remote_id_index()
    {
        var options = NewOptions();
        await using var stores = PostgreSqlStoreFixture.Open(options);
        await stores.Schema.MigrateAsync();
        await using var connection = new NpgsqlConnection(PostgreSqlStoreFixture.RequireConnectionString());
        await connection.OpenAsync();
        await using (var noSeqScan = new NpgsqlCommand("SET enable_seqscan = off;", connection))
        {
            await noSeqScan.ExecuteNonQueryAsync();
        }

        await using var explain = new NpgsqlCommand("EXPLAIN " + PostgreSqlSql.For(options.Schema).LedgerFindOwners, connection);
        explain.Parameters.AddWithValue("tenant_id", "tenant-a");
        explain.Parameters.AddWithValue("kind", (int)RecordKind.Invoice);
        explain.Parameters.AddWithValue("remote_ids", new[] { "remote-1", "remote-2" });
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }

        Assert.Contains(plan, line => line.Contains("ledger_entries_remote_id", StringComparison.Ordinal));
    }

    [StoreFact]
    public async Task Without_auto_migrate_an_unmigrated_schema_is_refused_with_the_fix()
    {
        await using var stores = PostgreSqlStoreFixture.Open(NewOptions(autoMigrate: false));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => stores.Tenants.ListAsync());

        Assert.Contains("MigrateAsync", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await stores.Schema.GetVersionAsync());
    }

    [StoreFact]
    public async Task Times_are_stored_as_utc_timestamptz()
    {
        var options = NewOptions();
        await using var stores = PostgreSqlStoreFixture.Open(options);
        await stores.Tenants.SaveAsync(new TenantState { TenantId = "t", UpdatedAt = new DateTimeOffset(2026, 3, 1, 20, 30, 0, TimeSpan.FromHours(11)) });

        Assert.Equal("2026-03-01 09:30:00", await TextAsync($"SELECT to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') FROM {options.Schema}.tenants;"));
    }

    [StoreFact]
    public async Task UsePostgreSqlStorage_registers_working_singletons()
    {
        var options = NewOptions();
        var builder = new TestSyncKitBuilder();
        builder.UseSqliteStorage("ignored.db").UsePostgreSqlStorage(o => { o.ConnectionString = options.ConnectionString; o.Schema = options.Schema; });
        await using var provider = builder.Build();
        provider.GetRequiredService<IStartupValidator>().Validate();

        Assert.IsType<PostgreSqlTenantStore>(provider.GetRequiredService<TenantStore>());
        Assert.Single(builder.Services, d => d.ServiceType == typeof(TenantStore));
        var lease = Lease("node-1", T0);
        Assert.Equal(lease, await provider.GetRequiredService<TenantStore>().TryAcquireLeaseAsync(lease, T0));
        Assert.Equal(provider.GetRequiredService<StoreSchema>().LatestVersion, await provider.GetRequiredService<StoreSchema>().GetVersionAsync());
    }

    [StoreFact]
    public async Task UsePostgreSqlStorage_with_the_hosts_data_source_stores_through_it_and_leaves_it_open()
    {
        var schema = fixture.NewSchemaName();
        await using var hosts = NpgsqlDataSource.Create(PostgreSqlStoreFixture.RequireConnectionString());
        var builder = new TestSyncKitBuilder();
        builder.UsePostgreSqlStorage(hosts).UsePostgreSqlStorage(o => o.Schema = schema);
        await using (var provider = builder.Build())
        {
            provider.GetRequiredService<IStartupValidator>().Validate();
            var lease = Lease("node-1", T0);
            Assert.Equal(lease, await provider.GetRequiredService<TenantStore>().TryAcquireLeaseAsync(lease, T0));
        }

        // The container is gone; the host's data source is still the host's, open and usable.
        await using var connection = await hosts.OpenConnectionAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {schema}.leases", connection);
        Assert.Equal(1L, (long)(await command.ExecuteScalarAsync())!);
    }

    [StoreFact]
    public async Task UsePostgreSqlStorage_without_a_connection_string_takes_the_data_source_the_container_holds()
    {
        var schema = fixture.NewSchemaName();
        var builder = new TestSyncKitBuilder();
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(PostgreSqlStoreFixture.RequireConnectionString()));
        builder.UsePostgreSqlStorage(o => o.Schema = schema);
        await using var provider = builder.Build();
        provider.GetRequiredService<IStartupValidator>().Validate();

        var lease = Lease("node-1", T0);
        Assert.Equal(lease, await provider.GetRequiredService<TenantStore>().TryAcquireLeaseAsync(lease, T0));
        Assert.Equal(1L, await ScalarAsync($"SELECT count(*) FROM {schema}.leases"));
    }

    private static async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(PostgreSqlStoreFixture.RequireConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<string?> TextAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(PostgreSqlStoreFixture.RequireConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (string?)await command.ExecuteScalarAsync();
    }
}

/// <summary>Registration checks that need no server.</summary>
public sealed class PostgreSqlRegistrationTests
{
    [Fact]
    public async Task UsePostgreSqlStorage_without_connection_string_fails_at_start_naming_the_fix()
    {
        var builder = new TestSyncKitBuilder();
        builder.UsePostgreSqlStorage(_ => { });
        await using var provider = builder.Build();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("UsePostgreSqlStorage(\"Host=", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsePostgreSqlStorage_with_a_registered_data_source_needs_no_connection_string()
    {
        var builder = new TestSyncKitBuilder();
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create("Host=localhost"));
        builder.UsePostgreSqlStorage(_ => { });
        await using var provider = builder.Build();

        provider.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public async Task UsePostgreSqlStorage_with_bad_schema_fails_at_start()
    {
        var builder = new TestSyncKitBuilder();
        builder.UsePostgreSqlStorage(o => { o.ConnectionString = "Host=localhost"; o.Schema = "public; drop"; });
        await using var provider = builder.Build();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Schema", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_schema_name_is_refused_by_the_store()
    {
        Assert.Throws<ArgumentException>(() => new PostgreSqlDatabase(new PostgreSqlStorageOptions { ConnectionString = "Host=localhost", Schema = "Bad\"Name" }));
    }

    [Fact]
    public async Task UsePostgreSqlStorage_twice_registers_each_store_once()
    {
        var builder = new TestSyncKitBuilder();
        builder.UsePostgreSqlStorage("Host=localhost").UsePostgreSqlStorage("Host=localhost");
        await using var provider = builder.Build();

        foreach (var type in new[] { typeof(LedgerStore), typeof(MappingStore), typeof(RunLog), typeof(TenantStore), typeof(TokenStore), typeof(ReferenceDataCache), typeof(StoreSchema) })
        {
            Assert.Single(builder.Services, d => d.ServiceType == type);
        }
    }
}
