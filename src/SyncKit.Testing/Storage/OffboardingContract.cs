using SyncKit.Inbound;
using SyncKit.Mapping;
using SyncKit.Records;
using SyncKit.Runs;
using SyncKit.Storage;
using Xunit;

namespace SyncKit.Testing.Storage;

/// <summary>The behaviour every store must show when a tenant is offboarded: its data goes, every other tenant's stays.</summary>
/// <param name="fixture">The provider's fixture.</param>
public abstract class OffboardingContract(StoreFixture fixture) : StoreContract(fixture)
{
    /// <summary>Deleting a tenant removes its ledger, mappings, runs, pulled records, cursors, reference data, state and leases.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Deleting_a_tenant_removes_all_of_its_data()
    {
        await using var stores = await CreateStoresAsync();
        await SeedAsync(stores, "tenant-a");

        Assert.Equal(2, await stores.Ledger.DeleteTenantAsync("tenant-a"));
        Assert.Equal(2, await stores.Mappings.DeleteTenantAsync("tenant-a"));
        Assert.Equal(1, await stores.Runs.DeleteTenantAsync("tenant-a"));
        Assert.Equal(2, await stores.Inbound.DeleteTenantAsync("tenant-a"));
        Assert.Equal(1, await stores.ReferenceData.DeleteTenantAsync("tenant-a"));
        Assert.True(await stores.Tenants.DeleteAsync("tenant-a"));

        Assert.Null(await stores.Ledger.GetAsync(new Ledger.LedgerKey("tenant-a", RecordKind.Invoice, "inv-1")));
        Assert.Empty(await stores.Mappings.GetAllAsync("tenant-a", MappingKind.Account));
        Assert.Empty(await stores.Runs.ListAsync("tenant-a", 10));
        Assert.Null(await stores.Inbound.GetCursorAsync("tenant-a", RecordKind.Payment));
        Assert.Empty(await stores.Inbound.GetRecordsAsync("tenant-a", RecordKind.Payment, ["pay-1"]));
        Assert.Null(await stores.ReferenceData.GetAsync("tenant-a"));
        Assert.Null(await stores.Tenants.GetAsync("tenant-a"));
        Assert.Null(await stores.Tenants.GetLeaseAsync("tenant-a", "sync"));
    }

    /// <summary>Deleting one tenant leaves another tenant's data exactly as it was.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Deleting_a_tenant_leaves_other_tenants_untouched()
    {
        await using var stores = await CreateStoresAsync();
        await SeedAsync(stores, "tenant-a");
        await SeedAsync(stores, "tenant-b");

        await stores.Ledger.DeleteTenantAsync("tenant-a");
        await stores.Mappings.DeleteTenantAsync("tenant-a");
        await stores.Runs.DeleteTenantAsync("tenant-a");
        await stores.Inbound.DeleteTenantAsync("tenant-a");
        await stores.ReferenceData.DeleteTenantAsync("tenant-a");
        await stores.Tenants.DeleteAsync("tenant-a");

        Assert.NotNull(await stores.Ledger.GetAsync(new Ledger.LedgerKey("tenant-b", RecordKind.Invoice, "inv-1")));
        Assert.Equal(2, (await stores.Mappings.GetAllAsync("tenant-b", MappingKind.Account)).Count);
        Assert.Single(await stores.Runs.ListAsync("tenant-b", 10));
        Assert.NotNull(await stores.Inbound.GetCursorAsync("tenant-b", RecordKind.Payment));
        Assert.Single(await stores.Inbound.GetRecordsAsync("tenant-b", RecordKind.Payment, ["pay-1"]));
        Assert.NotNull(await stores.ReferenceData.GetAsync("tenant-b"));
        Assert.Equal("Org tenant-b", (await stores.Tenants.GetAsync("tenant-b"))?.Name);
        Assert.NotNull(await stores.Tenants.GetLeaseAsync("tenant-b", "sync"));
    }

    /// <summary>Deleting a tenant no store knows deletes nothing and says so.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Deleting_an_unknown_tenant_deletes_nothing()
    {
        await using var stores = await CreateStoresAsync();
        await SeedAsync(stores, "tenant-b");

        Assert.False(await stores.Tenants.DeleteAsync("tenant-a"));
        Assert.Equal(0, await stores.Ledger.DeleteTenantAsync("tenant-a"));
        Assert.Equal(0, await stores.Mappings.DeleteTenantAsync("tenant-a"));
        Assert.Equal(0, await stores.Runs.DeleteTenantAsync("tenant-a"));
        Assert.Equal(0, await stores.Inbound.DeleteTenantAsync("tenant-a"));
        Assert.Equal(0, await stores.ReferenceData.DeleteTenantAsync("tenant-a"));
        Assert.NotNull(await stores.Tenants.GetAsync("tenant-b"));
    }

    private static async Task SeedAsync(StoreSet stores, string tenantId)
    {
        await stores.Ledger.SaveAsync([NewEntry("inv-1", tenantId: tenantId), NewEntry("con-1", RecordKind.Contact, tenantId)]);
        await stores.Mappings.SetAsync(tenantId, MappingKind.Account, "4000", "200");
        await stores.Mappings.SetAsync(tenantId, MappingKind.Account, "4100", "210");
        await stores.Runs.SaveAsync(new SyncRun { RunId = "run-" + tenantId, TenantId = tenantId, Trigger = SyncTrigger.Manual, StartedAt = T0, Outcome = RunOutcome.Completed, CompletedAt = T0.AddSeconds(1) });
        await stores.Inbound.SaveCursorAsync(new PullCursor { TenantId = tenantId, Kind = RecordKind.Payment, UpdatedAt = T0 });
        await stores.Inbound.SaveRecordAsync(new InboundRecord
        {
            TenantId = tenantId,
            Kind = RecordKind.Payment,
            RemoteId = "pay-1",
            State = InboundState.NeedsReconciliation,
            RemoteUpdatedAt = T0,
            CreatedAt = T0,
            UpdatedAt = T0,
        });
        await stores.ReferenceData.SetAsync(new CachedReferenceData { TenantId = tenantId, Json = "{}", FetchedAt = T0 });
        await stores.Tenants.SaveAsync(new TenantState { TenantId = tenantId, Name = "Org " + tenantId, Connection = ConnectionState.Connected, UpdatedAt = T0 });
        await stores.Tenants.TryAcquireLeaseAsync(new SyncLease { TenantId = tenantId, Scope = "sync", Holder = "node", RunId = "run-" + tenantId, ExpiresAt = T0.AddMinutes(5) }, T0);
    }
}
