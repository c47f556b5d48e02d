using SyncKit.Mapping;
using SyncKit.Storage;
using Xunit;

namespace SyncKit.Testing.Storage;

/// <summary>The behaviour every <see cref="MappingStore"/> must show.</summary>
/// <param name="fixture">The provider's fixture.</param>
public abstract class MappingStoreContract(StoreFixture fixture) : StoreContract(fixture)
{
    /// <summary>An unmapped key reads as null.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Get_unmapped_key_returns_null()
    {
        await using var stores = await CreateStoresAsync();

        Assert.Null(await stores.Mappings.GetAsync("tenant-a", MappingKind.Account, "4000"));
    }

    /// <summary>A mapping set is read back.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Set_then_get_returns_remote_key()
    {
        await using var stores = await CreateStoresAsync();

        await stores.Mappings.SetAsync("tenant-a", MappingKind.Tracking, "Region/North — Ünïcødé", "Area/Nord");

        Assert.Equal("Area/Nord", await stores.Mappings.GetAsync("tenant-a", MappingKind.Tracking, "Region/North — Ünïcødé"));
    }

    /// <summary>Setting a mapped key replaces its remote key.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Set_existing_key_replaces_remote_key()
    {
        await using var stores = await CreateStoresAsync();
        await stores.Mappings.SetAsync("tenant-a", MappingKind.Account, "4000", "200");

        await stores.Mappings.SetAsync("tenant-a", MappingKind.Account, "4000", "260");

        Assert.Equal("260", await stores.Mappings.GetAsync("tenant-a", MappingKind.Account, "4000"));
        Assert.Single(await stores.Mappings.GetAllAsync("tenant-a", MappingKind.Account));
    }

    /// <summary>GetAll returns every mapping of one tenant and kind, and nothing else.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task GetAll_returns_mappings_of_tenant_and_kind_only()
    {
        await using var stores = await CreateStoresAsync();
        await stores.Mappings.SetAsync("tenant-a", MappingKind.Account, "4000", "200");
        await stores.Mappings.SetAsync("tenant-a", MappingKind.Account, "5000", "300");
        await stores.Mappings.SetAsync("tenant-a", MappingKind.TaxRate, "4000", "OUTPUT");
        await stores.Mappings.SetAsync("tenant-b", MappingKind.Account, "6000", "400");

        var all = await stores.Mappings.GetAllAsync("tenant-a", MappingKind.Account);

        Assert.Equal(
            new Dictionary<string, string> { ["4000"] = "200", ["5000"] = "300" },
            all.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary());
        Assert.Empty(await stores.Mappings.GetAllAsync("tenant-c", MappingKind.Account));
    }

    /// <summary>The same key in two tenants or two kinds maps independently.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Mappings_are_isolated_by_tenant_and_kind()
    {
        await using var stores = await CreateStoresAsync();
        await stores.Mappings.SetAsync("tenant-a", MappingKind.Item, "K", "a-item");
        await stores.Mappings.SetAsync("tenant-b", MappingKind.Item, "K", "b-item");
        await stores.Mappings.SetAsync("tenant-a", MappingKind.Contact, "K", "a-contact");

        Assert.Equal("a-item", await stores.Mappings.GetAsync("tenant-a", MappingKind.Item, "K"));
        Assert.Equal("b-item", await stores.Mappings.GetAsync("tenant-b", MappingKind.Item, "K"));
        Assert.Equal("a-contact", await stores.Mappings.GetAsync("tenant-a", MappingKind.Contact, "K"));
        Assert.Null(await stores.Mappings.GetAsync("tenant-a", MappingKind.Item, "k"));
    }

    /// <summary>Remove reports whether a mapping was there and removes only it.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Remove_deletes_mapping_and_reports_whether_it_existed()
    {
        await using var stores = await CreateStoresAsync();
        await stores.Mappings.SetAsync("tenant-a", MappingKind.Job, "job-1", "J000309");
        await stores.Mappings.SetAsync("tenant-b", MappingKind.Job, "job-1", "J000001");

        Assert.True(await stores.Mappings.RemoveAsync("tenant-a", MappingKind.Job, "job-1"));
        Assert.False(await stores.Mappings.RemoveAsync("tenant-a", MappingKind.Job, "job-1"));

        Assert.Null(await stores.Mappings.GetAsync("tenant-a", MappingKind.Job, "job-1"));
        Assert.Equal("J000001", await stores.Mappings.GetAsync("tenant-b", MappingKind.Job, "job-1"));
    }
}
