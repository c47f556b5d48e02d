using SyncKit.Storage;
using Xunit;

namespace SyncKit.Testing.Storage;

/// <summary>The behaviour every <see cref="TenantStore"/> must show: tenant state and leases.</summary>
/// <param name="fixture">The provider's fixture.</param>
public abstract class TenantStoreContract(StoreFixture fixture) : StoreContract(fixture)
{
    /// <summary>A lease for tenant-a's <c>sync</c> scope.</summary>
    /// <param name="holder">The holder.</param>
    /// <param name="expiresAt">When it lapses.</param>
    /// <param name="runId">The run; defaults to <c>run-</c> plus the holder.</param>
    /// <returns>The lease.</returns>
    protected static SyncLease Lease(string holder, DateTimeOffset expiresAt, string? runId = null) => new()
    {
        TenantId = "tenant-a",
        Scope = "sync",
        Holder = holder,
        RunId = runId ?? "run-" + holder,
        ExpiresAt = expiresAt,
    };

    /// <summary>An unknown tenant reads as null.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Get_unknown_tenant_returns_null()
    {
        await using var stores = await CreateStoresAsync();

        Assert.Null(await stores.Tenants.GetAsync("tenant-a"));
    }

    /// <summary>Every field of a tenant's state survives a save and a read; saving again replaces it.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Save_round_trips_every_field_and_upserts()
    {
        await using var stores = await CreateStoresAsync();
        var full = new TenantState
        {
            TenantId = "tenant-a",
            Name = "Demo Company (AU) — Ünïcødé",
            Connection = ConnectionState.Disconnected,
            ConnectionMessage = "invalid_grant",
            PausedUntil = T0.AddHours(3),
            PauseReason = "Daily limit",
            UpdatedAt = T0,
            ConnectionKey = "user-42",
            ConnectionId = "4a1f7a7e-2a0e-4f3b-9d7c-1b2f3c4d5e6f",
            Type = TenantType.Practice,
            ConnectedAt = T0.AddDays(-30),
        };

        await stores.Tenants.SaveAsync(full);
        Assert.Equal(full, await stores.Tenants.GetAsync("tenant-a"));

        var bare = new TenantState { TenantId = "tenant-a", Connection = ConnectionState.Connected, UpdatedAt = T0.AddMinutes(1) };
        await stores.Tenants.SaveAsync(bare);
        Assert.Equal(bare, await stores.Tenants.GetAsync("tenant-a"));
    }

    /// <summary>List returns every tenant ordered by id.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task List_returns_all_tenants_ordered_by_id()
    {
        await using var stores = await CreateStoresAsync();
        Assert.Empty(await stores.Tenants.ListAsync());
        foreach (var id in new[] { "b", "C", "a", "b" })
        {
            await stores.Tenants.SaveAsync(new TenantState { TenantId = id, Name = id, UpdatedAt = T0 });
        }

        Assert.Equal(["C", "a", "b"], (await stores.Tenants.ListAsync()).Select(t => t.TenantId));
    }

    /// <summary>A free lease is taken and then read back.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Acquire_free_lease_takes_it()
    {
        await using var stores = await CreateStoresAsync();
        var lease = Lease("node-1", T0.AddMinutes(5));

        Assert.Equal(lease, await stores.Tenants.TryAcquireLeaseAsync(lease, T0));
        Assert.Equal(lease, await stores.Tenants.GetLeaseAsync("tenant-a", "sync"));
        Assert.Null(await stores.Tenants.GetLeaseAsync("tenant-a", "other-scope"));
    }

    /// <summary>While a lease is held, another holder is refused and told who holds it.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Acquire_held_lease_returns_holders_lease()
    {
        await using var stores = await CreateStoresAsync();
        var held = Lease("node-1", T0.AddMinutes(5));
        await stores.Tenants.TryAcquireLeaseAsync(held, T0);

        var answer = await stores.Tenants.TryAcquireLeaseAsync(Lease("node-2", T0.AddMinutes(10)), T0.AddMinutes(4));

        Assert.Equal(held, answer);
        Assert.Equal(held, await stores.Tenants.GetLeaseAsync("tenant-a", "sync"));
    }

    /// <summary>A lease is free at and after its expiry, judged by the time passed in.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Acquire_expired_lease_takes_it_over()
    {
        await using var stores = await CreateStoresAsync();
        await stores.Tenants.TryAcquireLeaseAsync(Lease("node-1", T0.AddMinutes(5)), T0);
        var wanted = Lease("node-2", T0.AddMinutes(10));

        Assert.Equal(wanted, await stores.Tenants.TryAcquireLeaseAsync(wanted, T0.AddMinutes(5)));
        Assert.Equal(wanted, await stores.Tenants.GetLeaseAsync("tenant-a", "sync"));
    }

    /// <summary>The holder asking again (same holder and run) gets the lease with the new expiry.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Acquire_by_current_holder_extends_it()
    {
        await using var stores = await CreateStoresAsync();
        await stores.Tenants.TryAcquireLeaseAsync(Lease("node-1", T0.AddMinutes(5)), T0);
        var again = Lease("node-1", T0.AddMinutes(9));

        Assert.Equal(again, await stores.Tenants.TryAcquireLeaseAsync(again, T0.AddMinutes(1)));
    }

    /// <summary>Leases on other tenants or scopes do not block each other.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Leases_are_independent_by_tenant_and_scope()
    {
        await using var stores = await CreateStoresAsync();
        var a = Lease("node-1", T0.AddMinutes(5));
        var otherScope = Lease("node-2", T0.AddMinutes(5)) with { Scope = "reconcile" };
        var otherTenant = Lease("node-3", T0.AddMinutes(5)) with { TenantId = "tenant-b" };

        Assert.Equal(a, await stores.Tenants.TryAcquireLeaseAsync(a, T0));
        Assert.Equal(otherScope, await stores.Tenants.TryAcquireLeaseAsync(otherScope, T0));
        Assert.Equal(otherTenant, await stores.Tenants.TryAcquireLeaseAsync(otherTenant, T0));
    }

    /// <summary>The holder renews its lease; the new expiry is stored.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Renew_by_holder_extends_expiry()
    {
        await using var stores = await CreateStoresAsync();
        await stores.Tenants.TryAcquireLeaseAsync(Lease("node-1", T0.AddMinutes(5)), T0);

        Assert.True(await stores.Tenants.RenewLeaseAsync(Lease("node-1", T0.AddMinutes(15))));

        Assert.Equal(T0.AddMinutes(15), (await stores.Tenants.GetLeaseAsync("tenant-a", "sync"))!.ExpiresAt);
    }

    /// <summary>Another holder (or another run of the same holder) cannot renew a lease it does not hold.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Renew_by_other_holder_is_refused()
    {
        await using var stores = await CreateStoresAsync();
        var held = Lease("node-1", T0.AddMinutes(5));
        await stores.Tenants.TryAcquireLeaseAsync(held, T0);

        Assert.False(await stores.Tenants.RenewLeaseAsync(Lease("node-2", T0.AddMinutes(15))));
        Assert.False(await stores.Tenants.RenewLeaseAsync(Lease("node-1", T0.AddMinutes(15), runId: "another-run")));
        Assert.False(await stores.Tenants.RenewLeaseAsync(Lease("node-1", T0.AddMinutes(15)) with { TenantId = "tenant-b" }));

        Assert.Equal(held, await stores.Tenants.GetLeaseAsync("tenant-a", "sync"));
    }

    /// <summary>A holder whose lease expired and was taken by another cannot renew it.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Renew_after_lease_was_lost_returns_false()
    {
        await using var stores = await CreateStoresAsync();
        await stores.Tenants.TryAcquireLeaseAsync(Lease("node-1", T0.AddMinutes(5)), T0);
        var taker = Lease("node-2", T0.AddMinutes(20));
        await stores.Tenants.TryAcquireLeaseAsync(taker, T0.AddMinutes(6));

        Assert.False(await stores.Tenants.RenewLeaseAsync(Lease("node-1", T0.AddMinutes(25))));
        Assert.Equal(taker, await stores.Tenants.GetLeaseAsync("tenant-a", "sync"));
    }

    /// <summary>The holder releases its lease and the scope is free again.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Release_by_holder_frees_the_lease()
    {
        await using var stores = await CreateStoresAsync();
        var held = Lease("node-1", T0.AddMinutes(5));
        await stores.Tenants.TryAcquireLeaseAsync(held, T0);

        await stores.Tenants.ReleaseLeaseAsync(held);

        Assert.Null(await stores.Tenants.GetLeaseAsync("tenant-a", "sync"));
        var next = Lease("node-2", T0.AddMinutes(6));
        Assert.Equal(next, await stores.Tenants.TryAcquireLeaseAsync(next, T0.AddMinutes(1)));
    }

    /// <summary>A release by someone other than the holder does nothing.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Release_by_other_holder_does_nothing()
    {
        await using var stores = await CreateStoresAsync();
        var held = Lease("node-1", T0.AddMinutes(5));
        await stores.Tenants.TryAcquireLeaseAsync(held, T0);

        await stores.Tenants.ReleaseLeaseAsync(Lease("node-2", T0.AddMinutes(5)));
        await stores.Tenants.ReleaseLeaseAsync(Lease("node-1", T0.AddMinutes(5), runId: "old-run"));

        Assert.Equal(held, await stores.Tenants.GetLeaseAsync("tenant-a", "sync"));
    }

    /// <summary>An expired lease that nobody took is still read back (for diagnostics).</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task GetLease_returns_expired_lease()
    {
        await using var stores = await CreateStoresAsync();
        var old = Lease("node-1", T0.AddMinutes(-5));
        Assert.Equal(old, await stores.Tenants.TryAcquireLeaseAsync(old, T0.AddMinutes(-10)));

        Assert.Equal(old, await stores.Tenants.GetLeaseAsync("tenant-a", "sync"));
    }

    /// <summary>Eight callers racing for one free lease: exactly one wins and all see the winner.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Racing_acquires_exactly_one_wins()
    {
        await using var stores = await CreateStoresAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            stores.Tenants.TryAcquireLeaseAsync(Lease($"node-{i}", T0.AddMinutes(5)), T0))));

        var winners = answers.Select(a => a.Holder).Distinct().ToList();
        Assert.Single(winners);
        Assert.Equal(winners[0], (await stores.Tenants.GetLeaseAsync("tenant-a", "sync"))!.Holder);
    }

    /// <summary>Two nodes sharing one store (when the provider supports it) never both hold a lease.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Two_nodes_racing_for_a_lease_exactly_one_wins()
    {
        await using var node1 = await CreateStoresAsync();
        await using var node2 = await Fixture.OpenSecondNodeAsync(node1);
        if (node2 is null)
        {
            return; // The provider keeps data per instance: nothing to share.
        }

        for (var round = 0; round < 10; round++)
        {
            var now = T0.AddMinutes(10 * round);
            var a = Task.Run(() => node1.Tenants.TryAcquireLeaseAsync(Lease("node-1", now.AddMinutes(5), $"r{round}-1"), now));
            var b = Task.Run(() => node2.Tenants.TryAcquireLeaseAsync(Lease("node-2", now.AddMinutes(5), $"r{round}-2"), now));
            var answers = await Task.WhenAll(a, b);

            Assert.Equal(answers[0], answers[1]);
            Assert.Equal(answers[0], await node2.Tenants.GetLeaseAsync("tenant-a", "sync"));
        }
    }
}
