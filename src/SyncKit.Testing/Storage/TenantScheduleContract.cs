using SyncKit.Storage;
using Xunit;

namespace SyncKit.Testing.Storage;

/// <summary>
/// The behaviour every <see cref="TenantStore"/> must show for the scheduler's rota: a due tenant is claimed by one node
/// only, a claim that ran out is taken over, and the node that ran a tenant moves it to its next due time.
/// </summary>
/// <param name="fixture">The provider's fixture.</param>
public abstract class TenantScheduleContract(StoreFixture fixture) : StoreContract(fixture)
{
    /// <summary>A tenant put on the rota twice keeps its first due time (every node adds the tenants it lists).</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task A_tenant_added_twice_keeps_its_first_due_time()
    {
        await using var stores = await CreateStoresAsync();

        Assert.True(await stores.Tenants.AddToScheduleAsync("tenant-a", T0));
        Assert.False(await stores.Tenants.AddToScheduleAsync("tenant-a", T0.AddHours(1)));

        var due = Assert.Single(await stores.Tenants.GetScheduleAsync());
        Assert.Equal(new TenantDue { TenantId = "tenant-a", DueAt = T0 }, due);
    }

    /// <summary>A claim takes only tenants due by now, earliest first, up to the limit, and records the node and expiry.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Claim_takes_due_tenants_earliest_first_up_to_the_limit()
    {
        await using var stores = await CreateStoresAsync();
        await stores.Tenants.AddToScheduleAsync("tenant-c", T0.AddMinutes(3));
        await stores.Tenants.AddToScheduleAsync("tenant-b", T0.AddMinutes(1));
        await stores.Tenants.AddToScheduleAsync("tenant-a", T0.AddMinutes(2));
        await stores.Tenants.AddToScheduleAsync("tenant-later", T0.AddMinutes(30));

        var claimed = await stores.Tenants.ClaimDueAsync("node-1", T0.AddMinutes(10), T0.AddMinutes(15), limit: 2);

        Assert.Equal(["tenant-b", "tenant-a"], claimed.Select(d => d.TenantId));
        Assert.All(claimed, d => Assert.Equal("node-1", d.ClaimedBy));
        Assert.All(claimed, d => Assert.Equal(T0.AddMinutes(15), d.ClaimedUntil));
        var rest = await stores.Tenants.ClaimDueAsync("node-2", T0.AddMinutes(10), T0.AddMinutes(15), limit: 10);
        Assert.Equal(["tenant-c"], rest.Select(d => d.TenantId));
    }

    /// <summary>Nodes racing for the same due tenants: each tenant goes to exactly one of them.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Nodes_racing_for_due_tenants_each_win_a_tenant_only_once()
    {
        await using var stores = await CreateStoresAsync();
        var tenants = Enumerable.Range(1, 6).Select(i => $"tenant-{i}").ToList();
        foreach (var tenant in tenants)
        {
            await stores.Tenants.AddToScheduleAsync(tenant, T0);
        }

        using var start = new ManualResetEventSlim();
        var racers = Enumerable.Range(1, 8).Select(n => Task.Run(async () =>
        {
            start.Wait();
            return await stores.Tenants.ClaimDueAsync($"node-{n}", T0.AddMinutes(1), T0.AddMinutes(5), limit: tenants.Count);
        })).ToList();
        start.Set();
        var won = (await Task.WhenAll(racers)).SelectMany(c => c).ToList();

        Assert.Equal(tenants, won.Select(d => d.TenantId).Order(StringComparer.Ordinal));
        var rota = await stores.Tenants.GetScheduleAsync();
        Assert.All(rota, d => Assert.Equal(won.Single(w => w.TenantId == d.TenantId).ClaimedBy, d.ClaimedBy));
    }

    /// <summary>Two nodes asking for one due tenant: one gets it, the other gets nothing.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Two_nodes_claiming_one_due_tenant_exactly_one_wins()
    {
        await using var stores = await CreateStoresAsync();
        await stores.Tenants.AddToScheduleAsync("tenant-a", T0);

        var first = stores.Tenants.ClaimDueAsync("node-1", T0.AddMinutes(1), T0.AddMinutes(5), 1);
        var second = stores.Tenants.ClaimDueAsync("node-2", T0.AddMinutes(1), T0.AddMinutes(5), 1);
        var claims = await Task.WhenAll(first, second);

        Assert.Equal(1, claims.Sum(c => c.Count));
    }

    /// <summary>A claim held is not given to another node until it runs out; then it is, and the first node's claim is lost.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task An_expired_claim_is_taken_over_and_the_dead_nodes_claim_is_lost()
    {
        await using var stores = await CreateStoresAsync();
        await stores.Tenants.AddToScheduleAsync("tenant-a", T0);
        var dead = Assert.Single(await stores.Tenants.ClaimDueAsync("node-dead", T0, T0.AddMinutes(5), 10));

        Assert.Empty(await stores.Tenants.ClaimDueAsync("node-2", T0.AddMinutes(4), T0.AddMinutes(9), 10));
        var taken = Assert.Single(await stores.Tenants.ClaimDueAsync("node-2", T0.AddMinutes(5), T0.AddMinutes(10), 10));

        Assert.Equal(new TenantDue { TenantId = "tenant-a", DueAt = T0, ClaimedBy = "node-2", ClaimedUntil = T0.AddMinutes(10) }, taken);
        Assert.False(await stores.Tenants.RenewDueAsync(dead, T0.AddMinutes(20)));
        Assert.False(await stores.Tenants.CompleteDueAsync(dead, T0.AddHours(3)));
        Assert.False(await stores.Tenants.ReleaseDueAsync(dead));
        Assert.True(await stores.Tenants.CompleteDueAsync(taken, T0.AddHours(3)));
        Assert.Equal(new TenantDue { TenantId = "tenant-a", DueAt = T0.AddHours(3) }, Assert.Single(await stores.Tenants.GetScheduleAsync()));
    }

    /// <summary>A renewed claim outlives its first expiry: no other node takes the tenant while its run goes on.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task A_renewed_claim_is_not_taken_over()
    {
        await using var stores = await CreateStoresAsync();
        await stores.Tenants.AddToScheduleAsync("tenant-a", T0);
        var claim = Assert.Single(await stores.Tenants.ClaimDueAsync("node-1", T0, T0.AddMinutes(5), 10));

        Assert.True(await stores.Tenants.RenewDueAsync(claim, T0.AddMinutes(10)));

        Assert.Empty(await stores.Tenants.ClaimDueAsync("node-2", T0.AddMinutes(6), T0.AddMinutes(11), 10));
        Assert.True(await stores.Tenants.CompleteDueAsync(claim, T0.AddHours(3)));
    }

    /// <summary>Completing moves the tenant to its next due time: no node claims it before then, any node after.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task A_completed_tenant_is_due_again_only_at_its_next_due_time()
    {
        await using var stores = await CreateStoresAsync();
        await stores.Tenants.AddToScheduleAsync("tenant-a", T0);
        var claim = Assert.Single(await stores.Tenants.ClaimDueAsync("node-1", T0, T0.AddMinutes(5), 10));

        Assert.True(await stores.Tenants.CompleteDueAsync(claim, T0.AddHours(3)));

        Assert.Empty(await stores.Tenants.ClaimDueAsync("node-2", T0.AddHours(3).AddSeconds(-1), T0.AddHours(4), 10));
        var next = Assert.Single(await stores.Tenants.ClaimDueAsync("node-2", T0.AddHours(3), T0.AddHours(4), 10));
        Assert.Equal(T0.AddHours(3), next.DueAt);
    }

    /// <summary>A released claim (its node stopping) is free at once, still due.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task A_released_claim_is_claimed_again_at_once()
    {
        await using var stores = await CreateStoresAsync();
        await stores.Tenants.AddToScheduleAsync("tenant-a", T0);
        var claim = Assert.Single(await stores.Tenants.ClaimDueAsync("node-1", T0, T0.AddMinutes(5), 10));

        Assert.True(await stores.Tenants.ReleaseDueAsync(claim));

        var again = Assert.Single(await stores.Tenants.ClaimDueAsync("node-2", T0.AddSeconds(1), T0.AddMinutes(5), 10));
        Assert.Equal(T0, again.DueAt);
    }

    /// <summary>Offboarding a tenant takes it off the rota.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Deleting_a_tenant_takes_it_off_the_rota()
    {
        await using var stores = await CreateStoresAsync();
        await stores.Tenants.SaveAsync(new TenantState { TenantId = "tenant-a", Connection = ConnectionState.Connected, UpdatedAt = T0 });
        await stores.Tenants.AddToScheduleAsync("tenant-a", T0);
        await stores.Tenants.AddToScheduleAsync("tenant-b", T0);

        await stores.Tenants.DeleteAsync("tenant-a");

        Assert.Equal(["tenant-b"], (await stores.Tenants.GetScheduleAsync()).Select(d => d.TenantId));
    }
}
