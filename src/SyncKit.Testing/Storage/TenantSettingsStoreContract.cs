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

    /// <summary>Per-field conflict policies and every sending policy survive a save and a read, in the same one document.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Save_round_trips_field_policies_and_sending_policies()
    {
        await using var stores = await CreateStoresAsync();
        var settings = new TenantSettings
        {
            TenantId = "tenant-a",
            ConflictPolicies = new Dictionary<RecordKind, ConflictPolicy> { [RecordKind.Job] = ConflictPolicy.NewestWins },
            FieldConflictPolicies = new Dictionary<RecordKind, IReadOnlyDictionary<string, ConflictPolicy>>
            {
                [RecordKind.Job] = new Dictionary<string, ConflictPolicy> { ["Name"] = ConflictPolicy.HostWins, ["State"] = ConflictPolicy.LedgerWins },
                [RecordKind.Contact] = new Dictionary<string, ConflictPolicy> { ["Email"] = ConflictPolicy.NewestWins },
            },
            PushPayments = false,
            ImportPayments = true,
            ZeroValueDocuments = ZeroValuePolicy.Send,
            NegativeInvoices = NegativeInvoicePolicy.Skip,
            SummariseLines = true,
            RoundingAccountKey = "GL-ROUNDING",
            RoundingTaxKey = string.Empty,
            MaxRoundingAdjustment = 0.05m,
            WarnOnMissingBillingContact = true,
            ApprovalHold = ApprovalHold.Always,
            ApprovalHoldKinds = [RecordKind.Invoice, RecordKind.Bill],
            UpdatedAt = T0,
        };

        await stores.Settings.SaveAsync(settings);
        var read = await stores.Settings.GetAsync("tenant-a");

        Assert.NotNull(read);
        Assert.Equal(ConflictPolicy.NewestWins, read.ConflictPolicyFor(RecordKind.Job));
        Assert.Equal(
            (ConflictPolicy.HostWins, ConflictPolicy.LedgerWins, ConflictPolicy.NewestWins, ConflictPolicy.NewestWins),
            (read.ConflictPolicyFor(RecordKind.Job, "Name"), read.ConflictPolicyFor(RecordKind.Job, "State"), read.ConflictPolicyFor(RecordKind.Job, "DueDate"), read.ConflictPolicyFor(RecordKind.Contact, "Email")));
        Assert.Equal((false, true), (read.PushPayments, read.ImportPayments));
        Assert.Equal((ZeroValuePolicy.Send, NegativeInvoicePolicy.Skip, true), (read.ZeroValueDocuments, read.NegativeInvoices, read.SummariseLines));
        Assert.Equal(("GL-ROUNDING", string.Empty, 0.05m), (read.RoundingAccountKey, read.RoundingTaxKey, read.MaxRoundingAdjustment));
        Assert.Equal((true, ApprovalHold.Always), (read.WarnOnMissingBillingContact, read.ApprovalHold));
        Assert.Equal([RecordKind.Invoice, RecordKind.Bill], read.ApprovalHoldKinds);
        Assert.False(read.Pushes(RecordKind.Payment));
    }

    /// <summary>Settings left unset are read back unset (the process-wide options apply), not as a default value.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Sending_policies_left_unset_are_read_back_unset()
    {
        await using var stores = await CreateStoresAsync();
        await stores.Settings.SaveAsync(new TenantSettings { TenantId = "tenant-a", UpdatedAt = T0 });

        var read = await stores.Settings.GetAsync("tenant-a");

        Assert.NotNull(read);
        Assert.Equal(
            ((bool?)null, (bool?)null, (ZeroValuePolicy?)null, (NegativeInvoicePolicy?)null, (bool?)null, (string?)null, (string?)null, (decimal?)null, (bool?)null, (ApprovalHold?)null),
            (read.PushPayments, read.ImportPayments, read.ZeroValueDocuments, read.NegativeInvoices, read.SummariseLines, read.RoundingAccountKey, read.RoundingTaxKey, read.MaxRoundingAdjustment, read.WarnOnMissingBillingContact, read.ApprovalHold));
        Assert.Empty(read.FieldConflictPolicies);
        Assert.Empty(read.ApprovalHoldKinds);
    }

    /// <summary>A host changing its dictionaries after a save does not change what is stored.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task A_saved_document_does_not_follow_later_changes_to_the_hosts_dictionaries()
    {
        await using var stores = await CreateStoresAsync();
        var fields = new Dictionary<string, ConflictPolicy> { ["State"] = ConflictPolicy.LedgerWins };
        await stores.Settings.SaveAsync(new TenantSettings
        {
            TenantId = "tenant-a",
            FieldConflictPolicies = new Dictionary<RecordKind, IReadOnlyDictionary<string, ConflictPolicy>> { [RecordKind.Job] = fields },
            UpdatedAt = T0,
        });

        fields["State"] = ConflictPolicy.HostWins;
        var read = await stores.Settings.GetAsync("tenant-a");

        Assert.Equal(ConflictPolicy.LedgerWins, read!.ConflictPolicyFor(RecordKind.Job, "State"));
    }
}
