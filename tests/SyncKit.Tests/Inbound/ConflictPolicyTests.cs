using SyncKit.Inbound;
using SyncKit.Ledger;
using SyncKit.Records;
using SyncKit.Settings;
using SyncKit.Storage;

namespace SyncKit.Tests.Inbound;

/// <summary>
/// A pulled job whose host version has a change waiting to be pushed: the kind's policy, each named field's own, newest
/// wins, and the hold an asked conflict puts on the host's push.
/// </summary>
public sealed class ConflictPolicyTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    private static PulledJob Job(string name, string state, DateTimeOffset at) =>
        new() { RemoteId = "J1", UpdatedAt = at, Name = name, State = state };

    /// <summary>A job pulled once (host id h-J1, linked in the ledger), then renamed and moved on in the ledger while the host has a change waiting.</summary>
    private static async Task<PullHost> JobInConflictAsync(ConflictPolicy kindPolicy, IReadOnlyDictionary<string, ConflictPolicy>? fields = null)
    {
        var host = new PullHost();
        host.Ledger.Set(RecordKind.Job, ListShape.NumberPaged, [Job("Audit", "Planned", T0)]);
        await host.PullAsync(RecordKind.Job);
        await host.Engine.SaveTenantSettingsAsync(new TenantSettings
        {
            TenantId = PullHost.Tenant,
            ConflictPolicies = new Dictionary<RecordKind, ConflictPolicy> { [RecordKind.Job] = kindPolicy },
            FieldConflictPolicies = fields is null
                ? new Dictionary<RecordKind, IReadOnlyDictionary<string, ConflictPolicy>>()
                : new Dictionary<RecordKind, IReadOnlyDictionary<string, ConflictPolicy>> { [RecordKind.Job] = fields },
        });
        host.Pending.Add("h-J1");
        host.Ledger.Set(RecordKind.Job, ListShape.NumberPaged, [Job("Audit 2026", "In Progress", T0.AddHours(2))]);
        return host;
    }

    private static Task<InboundRecord> InboundAsync(PullHost host) =>
        host.Inbound.GetRecordsAsync(PullHost.Tenant, RecordKind.Job, ["J1"]).ContinueWith(t => t.Result["J1"], TaskScheduler.Default);

    private static string? Names(IReadOnlySet<string>? fields) => fields is null ? null : string.Join(",", fields.Order(StringComparer.Ordinal));

    [Theory]
    // No field named: the whole record goes one way.
    [InlineData(ConflictPolicy.HostWins, null, ConflictPolicy.HostWins, false, null, InboundState.Conflict)]
    [InlineData(ConflictPolicy.LedgerWins, null, ConflictPolicy.HostWins, true, null, InboundState.Applied)]
    // The example: a job's name is the host's, its state the ledger's.
    [InlineData(ConflictPolicy.HostWins, "State", ConflictPolicy.LedgerWins, true, "State", InboundState.Applied)]
    [InlineData(ConflictPolicy.LedgerWins, "Name", ConflictPolicy.HostWins, true, "ClientName,ClientRemoteId,Current,CustomFields,Deleted,Description,DueDate,StartDate,State", InboundState.Applied)]
    // A field naming the kind's own policy changes nothing.
    [InlineData(ConflictPolicy.HostWins, "Name", ConflictPolicy.HostWins, false, null, InboundState.Conflict)]
    // Kept for later, with the field the ledger wins applied now.
    [InlineData(ConflictPolicy.ApplyAfterPush, "State", ConflictPolicy.LedgerWins, true, "State", InboundState.Deferred)]
    [InlineData(ConflictPolicy.Ask, "State", ConflictPolicy.LedgerWins, true, "State", InboundState.Conflict)]
    public async Task A_conflicting_record_is_split_by_its_fields_policies(
        ConflictPolicy kindPolicy, string? field, ConflictPolicy fieldPolicy, bool appliedNow, string? fieldsOffered, InboundState kept)
    {
        await using var host = await JobInConflictAsync(kindPolicy, field is null ? null : new Dictionary<string, ConflictPolicy> { [field] = fieldPolicy });
        var offeredBefore = host.Offered.Count;

        var run = await host.PullAsync(RecordKind.Job);

        Assert.Equal(appliedNow ? 1 : 0, host.Offered.Count - offeredBefore);
        if (appliedNow)
        {
            Assert.Equal(fieldsOffered, Names(host.Offered[^1].Fields));
        }

        Assert.Equal(kept, (await InboundAsync(host)).State);
        Assert.Equal(1, run.Counts.Conflicts);
        Assert.Equal(kindPolicy, Assert.Single(host.Conflicts).Policy);
    }

    [Fact]
    public async Task The_target_is_told_which_fields_went_which_way()
    {
        await using var host = await JobInConflictAsync(ConflictPolicy.HostWins, new Dictionary<string, ConflictPolicy> { ["State"] = ConflictPolicy.LedgerWins });

        await host.PullAsync(RecordKind.Job);

        var conflict = Assert.Single(host.Conflicts);
        Assert.Equal(["State"], conflict.LedgerFields);
        Assert.Empty(conflict.HostFields);
        Assert.Contains("State", conflict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_version_kept_until_the_push_lands_leaves_the_fields_the_host_won_alone()
    {
        await using var host = await JobInConflictAsync(ConflictPolicy.ApplyAfterPush, new Dictionary<string, ConflictPolicy> { ["Name"] = ConflictPolicy.HostWins });
        await host.PullAsync(RecordKind.Job);
        var offeredBefore = host.Offered.Count;

        host.Pending.Clear();
        await host.PullAsync(RecordKind.Job);

        var applied = Assert.Single(host.Offered.Skip(offeredBefore));
        Assert.False(applied.Fields!.Contains("Name"));
        Assert.True(applied.Fields.Contains("State"));
        Assert.Equal(InboundState.Applied, (await InboundAsync(host)).State);
    }

    [Theory]
    // The ledger changed at T0+2h. The host's change: earlier, later, at the same time, or at a time the host does not keep.
    [InlineData(60, true)]
    [InlineData(180, false)]
    [InlineData(120, false)]
    [InlineData(null, false)]
    public async Task Newest_wins_compares_the_hosts_local_change_time_with_the_ledgers(int? hostChangedMinutesAfterT0, bool ledgerApplied)
    {
        await using var host = await JobInConflictAsync(ConflictPolicy.NewestWins);
        if (hostChangedMinutesAfterT0 is { } minutes)
        {
            host.LocalChangeTimes["h-J1"] = T0.AddMinutes(minutes);
        }

        var offeredBefore = host.Offered.Count;
        await host.PullAsync(RecordKind.Job);

        Assert.Equal(ledgerApplied, host.Offered.Count > offeredBefore);
        Assert.Equal(ledgerApplied ? InboundState.Applied : InboundState.Conflict, (await InboundAsync(host)).State);
    }

    [Theory]
    // The host keeps no time: when a sync saw its change (the ledger entry's time) stands in for it.
    [InlineData(60, true)]
    [InlineData(180, false)]
    public async Task Newest_wins_without_a_host_time_takes_when_a_sync_saw_the_change(int seenMinutesAfterT0, bool ledgerApplied)
    {
        await using var host = await JobInConflictAsync(ConflictPolicy.NewestWins);
        host.Pending.Clear();
        var key = new LedgerKey(PullHost.Tenant, RecordKind.Job, "h-J1");
        var entry = (await host.LedgerStore.GetAsync(key))!;
        await host.LedgerStore.SaveAsync([LedgerTransitions.Apply(entry, new LedgerEvent.Observed("changed-in-host", "Audit"), T0.AddMinutes(seenMinutesAfterT0))]);
        var offeredBefore = host.Offered.Count;

        await host.PullAsync(RecordKind.Job);

        Assert.Equal(ledgerApplied, host.Offered.Count > offeredBefore);
    }

    [Theory]
    // Per field: the state newest-wins, the rest the host's.
    [InlineData(60, "State")]
    [InlineData(180, null)]
    public async Task A_field_may_take_newest_wins_on_its_own(int hostChangedMinutesAfterT0, string? fieldsOffered)
    {
        await using var host = await JobInConflictAsync(ConflictPolicy.HostWins, new Dictionary<string, ConflictPolicy> { ["State"] = ConflictPolicy.NewestWins });
        host.LocalChangeTimes["h-J1"] = T0.AddMinutes(hostChangedMinutesAfterT0);
        var offeredBefore = host.Offered.Count;

        await host.PullAsync(RecordKind.Job);

        Assert.Equal(fieldsOffered, host.Offered.Count > offeredBefore ? Names(host.Offered[^1].Fields) : null);
    }

    [Theory]
    [InlineData("Colour", ConflictPolicy.HostWins)]
    [InlineData("State", ConflictPolicy.Ask)]
    [InlineData("State", ConflictPolicy.ApplyAfterPush)]
    public async Task Settings_naming_an_unknown_field_or_a_policy_a_field_cannot_have_are_refused(string field, ConflictPolicy policy)
    {
        await using var host = new PullHost();

        await Assert.ThrowsAsync<ArgumentException>(() => host.Engine.SaveTenantSettingsAsync(new TenantSettings
        {
            TenantId = PullHost.Tenant,
            FieldConflictPolicies = new Dictionary<RecordKind, IReadOnlyDictionary<string, ConflictPolicy>> { [RecordKind.Job] = new Dictionary<string, ConflictPolicy> { [field] = policy } },
        }));
    }

    [Fact]
    public async Task An_asked_conflict_holds_the_hosts_push_with_its_reason_until_a_user_chooses()
    {
        await using var host = await JobInConflictAsync(ConflictPolicy.Ask);

        await host.PullAsync(RecordKind.Job);

        var entry = (await host.LedgerStore.GetAsync(new LedgerKey(PullHost.Tenant, RecordKind.Job, "h-J1")))!;
        Assert.Equal(LedgerState.Held, entry.State);
        Assert.Equal(ConflictHold.RuleId, entry.Error!.RuleId);
        Assert.Contains("waits until a user keeps one version", entry.Error.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await host.Engine.GetStatusAsync(PullHost.Tenant)).Counts.ByState[LedgerState.Held]);
    }

    [Theory]
    // Host wins: the push goes at once. Ledger wins: the push waits for the next pull to apply the ledger's version, then goes re-based.
    [InlineData(false, LedgerState.Pending, LedgerState.Pending, 0)]
    [InlineData(true, LedgerState.Held, LedgerState.Pending, 1)]
    public async Task A_users_choice_releases_the_held_push_when_its_version_is_in_the_host(bool takeLedger, LedgerState afterChoice, LedgerState afterNextPull, int appliedByNextPull)
    {
        await using var host = await JobInConflictAsync(ConflictPolicy.Ask);
        await host.PullAsync(RecordKind.Job);
        var key = new LedgerKey(PullHost.Tenant, RecordKind.Job, "h-J1");

        await host.Engine.ResolvePulledConflictAsync(PullHost.Tenant, RecordKind.Job, "J1", takeLedger);
        var chosen = (await host.LedgerStore.GetAsync(key))!.State;
        var offeredBefore = host.Offered.Count;
        await host.PullAsync(RecordKind.Job);

        Assert.Equal((afterChoice, afterNextPull), (chosen, (await host.LedgerStore.GetAsync(key))!.State));
        Assert.Equal(appliedByNextPull, host.Offered.Count - offeredBefore);
        if (takeLedger)
        {
            Assert.Equal(("Audit 2026", null), (((PulledJob)host.Offered[^1].Record).Name, host.Offered[^1].Fields));
        }
    }

    [Fact]
    public async Task Dismissing_an_asked_conflict_keeps_the_hosts_version_and_releases_its_push()
    {
        await using var host = await JobInConflictAsync(ConflictPolicy.Ask);
        await host.PullAsync(RecordKind.Job);

        await host.Engine.DismissPulledAsync(PullHost.Tenant, RecordKind.Job, "J1");

        Assert.Equal(LedgerState.Pending, (await host.LedgerStore.GetAsync(new LedgerKey(PullHost.Tenant, RecordKind.Job, "h-J1")))!.State);
    }

    [Fact]
    public async Task A_conflict_under_another_policy_does_not_hold_the_push()
    {
        await using var host = await JobInConflictAsync(ConflictPolicy.HostWins);

        await host.PullAsync(RecordKind.Job);

        Assert.NotEqual(LedgerState.Held, (await host.LedgerStore.GetAsync(new LedgerKey(PullHost.Tenant, RecordKind.Job, "h-J1")))!.State);
    }
}
