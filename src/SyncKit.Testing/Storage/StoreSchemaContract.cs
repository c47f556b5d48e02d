using SyncKit.Storage;
using Xunit;

namespace SyncKit.Testing.Storage;

/// <summary>The behaviour every <see cref="StoreSchema"/> must show.</summary>
/// <param name="fixture">The provider's fixture.</param>
public abstract class StoreSchemaContract(StoreFixture fixture) : StoreContract(fixture)
{
    /// <summary>A store set from the fixture is at the latest version.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Created_stores_report_latest_version()
    {
        await using var stores = await CreateStoresAsync();

        Assert.True(stores.Schema.LatestVersion >= 1);
        Assert.Equal(stores.Schema.LatestVersion, await stores.Schema.GetVersionAsync());
    }

    /// <summary>Migrating again is a no-op that keeps the data and returns the latest version.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Migrate_is_idempotent_and_keeps_data()
    {
        await using var stores = await CreateStoresAsync();
        await stores.Ledger.SaveAsync([NewEntry("inv-1")]);
        await stores.Mappings.SetAsync("tenant-a", Mapping.MappingKind.Account, "4000", "200");

        Assert.Equal(stores.Schema.LatestVersion, await stores.Schema.MigrateAsync());
        Assert.Equal(stores.Schema.LatestVersion, await stores.Schema.MigrateAsync());

        Assert.Equal(stores.Schema.LatestVersion, await stores.Schema.GetVersionAsync());
        AssertEntry(NewEntry("inv-1"), await stores.Ledger.GetAsync(NewEntry("inv-1").Key), version: 1);
        Assert.Equal("200", await stores.Mappings.GetAsync("tenant-a", Mapping.MappingKind.Account, "4000"));
    }

    /// <summary>Concurrent migrations do not fail or apply a script twice.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Concurrent_migrations_all_succeed()
    {
        await using var stores = await CreateStoresAsync();

        var versions = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => stores.Schema.MigrateAsync())));

        Assert.All(versions, v => Assert.Equal(stores.Schema.LatestVersion, v));
    }
}
