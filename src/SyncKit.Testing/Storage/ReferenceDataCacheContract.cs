using SyncKit.Storage;
using Xunit;

namespace SyncKit.Testing.Storage;

/// <summary>The behaviour every <see cref="ReferenceDataCache"/> must show.</summary>
/// <param name="fixture">The provider's fixture.</param>
public abstract class ReferenceDataCacheContract(StoreFixture fixture) : StoreContract(fixture)
{
    /// <summary>A tenant never cached reads as null.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Get_uncached_tenant_returns_null()
    {
        await using var stores = await CreateStoresAsync();

        Assert.Null(await stores.ReferenceData.GetAsync("tenant-a"));
    }

    /// <summary>Cached data (including a large document) is read back as written.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Set_then_get_round_trips_json_and_time()
    {
        await using var stores = await CreateStoresAsync();
        var accounts = string.Join(",", Enumerable.Range(0, 2000).Select(i => $$"""{"code":"{{i}}","name":"Account {{i}} — ü"}"""));
        var data = new CachedReferenceData { TenantId = "tenant-a", Json = $$"""{"accounts":[{{accounts}}]}""", FetchedAt = T0 };

        await stores.ReferenceData.SetAsync(data);

        Assert.Equal(data, await stores.ReferenceData.GetAsync("tenant-a"));
    }

    /// <summary>Setting again replaces the tenant's data; other tenants keep theirs.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Set_replaces_only_that_tenants_data()
    {
        await using var stores = await CreateStoresAsync();
        await stores.ReferenceData.SetAsync(new CachedReferenceData { TenantId = "tenant-a", Json = "{\"v\":1}", FetchedAt = T0 });
        await stores.ReferenceData.SetAsync(new CachedReferenceData { TenantId = "tenant-b", Json = "{\"v\":\"b\"}", FetchedAt = T0 });

        var replacement = new CachedReferenceData { TenantId = "tenant-a", Json = "{\"v\":2}", FetchedAt = T0.AddHours(1) };
        await stores.ReferenceData.SetAsync(replacement);

        Assert.Equal(replacement, await stores.ReferenceData.GetAsync("tenant-a"));
        Assert.Equal("{\"v\":\"b\"}", (await stores.ReferenceData.GetAsync("tenant-b"))!.Json);
    }
}
