using SyncKit.Records;
using SyncKit.Settings;
using SyncKit.Storage;
using Xunit;

namespace SyncKit.Testing.Storage;

/// <summary>The behaviour every <see cref="TenantSettingsStore"/> must show.</summary>
/// <param name="fixture">The provider's fixture.</param>
public abstract class TenantSettingsStoreContract(StoreFixture fixture) : StoreContract(fixture)
{
    /// <summary>A tenant that never saved settings has none.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Settings_never_saved_are_null()
    {
        await using var stores = await CreateStoresAsync();
        Assert.Null(await stores.Settings.GetAsync("tenant-a"));
    }

    /// <summary>Every direction and policy survives a save and a read.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Save_round_trips_every_direction_and_policy()
    {
        await using var stores = await CreateStoresAsync();
        var settings = new TenantSettings
        {
            TenantId = "tenant-a",
            Directions = new Dictionary<RecordKind, SyncDirection> { [RecordKind.Client] = SyncDirection.PullOnly, [RecordKind.Invoice] = SyncDirection.PushOnly, [RecordKind.Staff] = SyncDirection.Off },
            ConflictPolicies = new Dictionary<RecordKind, ConflictPolicy> { [RecordKind.Job] = ConflictPolicy.ApplyAfterPush, [RecordKind.Contact] = ConflictPolicy.Ask, [RecordKind.Client] = ConflictPolicy.LedgerWins },
            UpdatedAt = T0,
        };

        await stores.Settings.SaveAsync(settings);
        var read = await stores.Settings.GetAsync("tenant-a");

        Assert.NotNull(read);
        Assert.Equal(T0, read.UpdatedAt.ToUniversalTime());
        Assert.Equal(settings.Directions.OrderBy(d => d.Key), read.Directions.OrderBy(d => d.Key));
        Assert.Equal(settings.ConflictPolicies.OrderBy(p => p.Key), read.ConflictPolicies.OrderBy(p => p.Key));
        Assert.Equal((SyncDirection.PullOnly, SyncDirection.Both), (read.DirectionFor(RecordKind.Client), read.DirectionFor(RecordKind.Payment)));
    }

    /// <summary>A second save replaces the first: a kind left out returns to the defaults.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task A_second_save_replaces_the_first()
    {
        await using var stores = await CreateStoresAsync();
        await stores.Settings.SaveAsync(new TenantSettings { TenantId = "tenant-a", Directions = new Dictionary<RecordKind, SyncDirection> { [RecordKind.Client] = SyncDirection.PullOnly }, UpdatedAt = T0 });
        await stores.Settings.SaveAsync(new TenantSettings { TenantId = "tenant-a", ConflictPolicies = new Dictionary<RecordKind, ConflictPolicy> { [RecordKind.Job] = ConflictPolicy.Ask }, UpdatedAt = T0.AddMinutes(1) });

        var read = await stores.Settings.GetAsync("tenant-a");

        Assert.NotNull(read);
        Assert.Equal(SyncDirection.Both, read.DirectionFor(RecordKind.Client));
        Assert.Equal(ConflictPolicy.Ask, read.ConflictPolicyFor(RecordKind.Job));
        Assert.Equal(T0.AddMinutes(1), read.UpdatedAt.ToUniversalTime());
    }

    /// <summary>Settings are kept per tenant.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Settings_are_kept_per_tenant()
    {
        await using var stores = await CreateStoresAsync();
        await stores.Settings.SaveAsync(new TenantSettings { TenantId = "tenant-a", Directions = new Dictionary<RecordKind, SyncDirection> { [RecordKind.Client] = SyncDirection.Off }, UpdatedAt = T0 });

        Assert.Null(await stores.Settings.GetAsync("tenant-b"));
        Assert.Equal(SyncDirection.Off, (await stores.Settings.GetAsync("tenant-a"))!.DirectionFor(RecordKind.Client));
    }
}
