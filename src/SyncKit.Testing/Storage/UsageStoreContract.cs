using SyncKit.Storage;
using Xunit;

namespace SyncKit.Testing.Storage;

/// <summary>The behaviour every <see cref="UsageStore"/> must show.</summary>
/// <param name="fixture">The provider's fixture.</param>
public abstract class UsageStoreContract(StoreFixture fixture) : StoreContract(fixture)
{
    /// <summary>Increments add up per tenant, month and endpoint, across flushes and within one.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Egress_increments_add_up_per_endpoint()
    {
        await using var stores = await CreateStoresAsync();
        var usage = Usage(stores);

        await usage.AddEgressAsync([Egress("GET Invoices", 1_000), Egress("PUT Invoices", 250), Egress("GET Invoices", 24)]);
        await usage.AddEgressAsync([Egress("GET Invoices", 5_000_000_000)]);

        var read = await usage.GetEgressAsync("tenant-a", "2026-03");
        Assert.Equal(
            [("GET Invoices", 5_000_001_024L), ("PUT Invoices", 250L)],
            read.Select(e => (e.Endpoint, e.Bytes)).ToArray());
        Assert.All(read, e => Assert.Equal(("tenant-a", "2026-03"), (e.TenantId, e.Month)));
    }

    /// <summary>Each tenant and month has its own counters.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Egress_is_kept_per_tenant_and_month()
    {
        await using var stores = await CreateStoresAsync();
        var usage = Usage(stores);

        await usage.AddEgressAsync([Egress("GET Accounts", 10), Egress("GET Accounts", 20, month: "2026-04"), Egress("GET Accounts", 40, tenant: "tenant-b")]);

        Assert.Equal(10, Assert.Single(await usage.GetEgressAsync("tenant-a", "2026-03")).Bytes);
        Assert.Equal(20, Assert.Single(await usage.GetEgressAsync("tenant-a", "2026-04")).Bytes);
        Assert.Equal(40, Assert.Single(await usage.GetEgressAsync("tenant-b", "2026-03")).Bytes);
        Assert.Empty(await usage.GetEgressAsync("tenant-c", "2026-03"));
    }

    /// <summary>A day window round-trips and a later save replaces it.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Call_window_is_replaced_by_the_last_save()
    {
        await using var stores = await CreateStoresAsync();
        var usage = Usage(stores);
        Assert.Null(await usage.GetCallWindowAsync("tenant-a"));

        await usage.SaveCallWindowAsync(new CallWindow { TenantId = "tenant-a", ResetsAt = T0.AddDays(1), Remaining = 900, UpdatedAt = T0 });
        await usage.SaveCallWindowAsync(new CallWindow { TenantId = "tenant-a", ResetsAt = T0.AddDays(1), Remaining = 412, UpdatedAt = T0.AddHours(2) });
        await usage.SaveCallWindowAsync(new CallWindow { TenantId = "tenant-b", ResetsAt = T0.AddHours(5), Remaining = 0, UpdatedAt = T0 });

        var a = await usage.GetCallWindowAsync("tenant-a");
        Assert.NotNull(a);
        Assert.Equal((T0.AddDays(1), 412, T0.AddHours(2)), (a.ResetsAt.ToUniversalTime(), a.Remaining, a.UpdatedAt.ToUniversalTime()));
        Assert.Equal(0, (await usage.GetCallWindowAsync("tenant-b"))!.Remaining);
    }

    private static UsageStore Usage(StoreSet stores) =>
        stores.Usage ?? throw new InvalidOperationException("The fixture's store set has no usage store.");

    private static EgressCounter Egress(string endpoint, long bytes, string tenant = "tenant-a", string month = "2026-03") =>
        new() { TenantId = tenant, Month = month, Endpoint = endpoint, Bytes = bytes };
}
