using SyncKit.Inbound;
using SyncKit.Records;
using SyncKit.Runs;
using SyncKit.Settings;
using SyncKit.Storage;

namespace SyncKit.Tests.Inbound;

/// <summary>The pull executor against a scripted ledger: paging, resuming, change detection, conflicts and direction.</summary>
public sealed class PullExecutorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    private static PulledClient Client(int i, string? email = null, DateTimeOffset? at = null) =>
        new() { RemoteId = $"c{i:D3}", UpdatedAt = at ?? T0.AddMinutes(i), Name = $"Client {i}", Email = email };

    private static IEnumerable<PulledClient> Clients(int count) => Enumerable.Range(1, count).Select(i => Client(i));

    [Theory]
    [InlineData(ListShape.NumberPaged, 25, 3)]
    [InlineData(ListShape.TokenPaged, 25, 3)]
    [InlineData(ListShape.Unpaged, 25, 1)]
    [InlineData(ListShape.NumberPaged, 0, 1)]
    [InlineData(ListShape.Unpaged, 0, 1)]
    public async Task A_first_pull_offers_every_record_once_in_the_reads_the_list_shape_needs(ListShape shape, int records, int reads)
    {
        await using var host = new PullHost(pageSize: 10);
        host.Ledger.Set(RecordKind.Client, shape, Clients(records));

        var run = await host.PullAsync(RecordKind.Client);

        Assert.Equal(RunOutcome.Completed, run.Outcome);
        Assert.Equal((records, records, reads), (host.Offered.Count, run.Counts.Synced, host.Ledger.Requests.Count));
        Assert.All(host.Offered, o => Assert.Equal(PullAction.Create, o.Action));
    }

    [Theory]
    [InlineData(ListShape.NumberPaged, 15, new[] { 1, 2, 2, 3 }, new string?[] { null, null, null, null })]
    [InlineData(ListShape.TokenPaged, 15, new[] { 1, 2, 2, 3 }, new string?[] { null, "10", "10", "20" })]
    [InlineData(ListShape.Unpaged, 15, new[] { 1, 2 }, new string?[] { null, null })]
    public async Task A_pull_stopped_by_the_host_resumes_from_the_page_it_reached(ListShape shape, int failOn, int[] pagesRead, string?[] tokensSent)
    {
        await using var host = new PullHost(pageSize: 10);
        host.Ledger.Set(RecordKind.Client, shape, Clients(25));
        host.FailOnOffer = failOn;

        var stopped = await host.PullAsync(RecordKind.Client);
        var resumed = await host.PullAsync(RecordKind.Client);

        Assert.Equal((RunOutcome.Failed, RunOutcome.Completed), (stopped.Outcome, resumed.Outcome));
        Assert.Equal(pagesRead, host.Ledger.Requests.Select(r => r.Page));
        Assert.Equal(tokensSent, host.Ledger.Requests.Select(r => r.PageToken));

        // The record the stop interrupted is offered again, flagged; nothing already applied is offered twice.
        Assert.Equal(26, host.Offered.Count);
        Assert.True(host.Offered.Single(o => o.MayBeApplied).Record.RemoteId == $"c{failOn:D3}");
        Assert.Equal(25, host.Offered.Select(o => o.Record.RemoteId).Distinct().Count());
    }

    [Theory]
    [InlineData(ListShape.Unpaged, false, 0)]
    [InlineData(ListShape.Unpaged, true, 1)]
    [InlineData(ListShape.TokenPaged, true, 1)]
    [InlineData(ListShape.NumberPaged, false, 0)]
    [InlineData(ListShape.NumberPaged, true, 1)]
    public async Task A_second_pull_offers_only_records_that_changed(ListShape shape, bool changeOne, int offeredAgain)
    {
        await using var host = new PullHost();
        host.Ledger.Set(RecordKind.Client, shape, Clients(5));
        await host.PullAsync(RecordKind.Client);
        host.Time.Advance(TimeSpan.FromHours(1));
        if (changeOne)
        {
            // A ledger with change times moves the record's time; one without shows only the new content.
            host.Ledger.Set(RecordKind.Client, shape, Clients(5).Select(c => c.RemoteId == "c003" ? Client(3, "new@c3.example", host.Time.GetUtcNow()) : c));
        }

        var offeredBefore = host.Offered.Count;
        var second = await host.PullAsync(RecordKind.Client);

        Assert.Equal(offeredAgain, host.Offered.Count - offeredBefore);
        Assert.Equal(offeredAgain, second.Counts.Synced);
        Assert.All(host.Offered.Skip(offeredBefore), o => Assert.Equal((PullAction.Update, "c003"), (o.Action, o.Record.RemoteId)));
    }

    [Fact]
    public async Task A_ledger_without_change_times_is_read_next_from_when_the_first_pull_began_less_the_skew_margin()
    {
        await using var host = new PullHost(pageSize: 10);
        host.Ledger.Set(RecordKind.Client, ListShape.TokenPaged, Clients(25));
        var began = host.Time.GetUtcNow();
        await host.PullAsync(RecordKind.Client);
        host.Time.Advance(TimeSpan.FromHours(1));

        await host.PullAsync(RecordKind.Client);

        Assert.Equal(began - TimeSpan.FromMinutes(5), host.Ledger.Requests[^1].ModifiedSince);
        Assert.Null((await host.Inbound.GetCursorAsync(PullHost.Tenant, RecordKind.Client))!.PageToken);
    }

    [Theory]
    [InlineData(ConflictPolicy.HostWins, "c001", InboundState.Conflict, false)]
    [InlineData(ConflictPolicy.Ask, "c001", InboundState.Conflict, false)]
    [InlineData(ConflictPolicy.ApplyAfterPush, "c001", InboundState.Deferred, false)]
    [InlineData(ConflictPolicy.LedgerWins, "c001", InboundState.Applied, true)]
    public async Task A_record_with_a_local_change_waiting_follows_the_kinds_conflict_policy(ConflictPolicy policy, string remoteId, InboundState kept, bool appliedNow)
    {
        await using var host = new PullHost();
        host.Ledger.Set(RecordKind.Client, ListShape.Unpaged, Clients(2));
        await host.PullAsync(RecordKind.Client);
        await host.Engine.SaveTenantSettingsAsync(new TenantSettings { TenantId = PullHost.Tenant, ConflictPolicies = new Dictionary<RecordKind, ConflictPolicy> { [RecordKind.Client] = policy } });
        host.Pending.Add("h-" + remoteId);
        host.Ledger.Set(RecordKind.Client, ListShape.Unpaged, Clients(2).Select(c => c.RemoteId == remoteId ? c with { Email = "changed@ledger.example" } : c));
        var offeredBefore = host.Offered.Count;

        var run = await host.PullAsync(RecordKind.Client);

        var record = (await host.Inbound.GetRecordsAsync(PullHost.Tenant, RecordKind.Client, [remoteId]))[remoteId];
        Assert.Equal(kept, record.State);
        Assert.Equal(appliedNow, host.Offered.Count > offeredBefore);
        Assert.Equal(policy, Assert.Single(host.Conflicts).Policy);
        Assert.Equal(1, run.Counts.Conflicts);
    }

    [Fact]
    public async Task A_version_kept_until_the_push_lands_is_applied_by_the_first_pull_after_the_local_change_is_gone()
    {
        await using var host = new PullHost();
        host.Ledger.Set(RecordKind.Client, ListShape.Unpaged, Clients(1));
        await host.PullAsync(RecordKind.Client);
        await host.Engine.SaveTenantSettingsAsync(new TenantSettings { TenantId = PullHost.Tenant, ConflictPolicies = new Dictionary<RecordKind, ConflictPolicy> { [RecordKind.Client] = ConflictPolicy.ApplyAfterPush } });
        host.Pending.Add("h-c001");
        host.Ledger.Set(RecordKind.Client, ListShape.Unpaged, [Client(1, "ledger@c1.example")]);
        await host.PullAsync(RecordKind.Client);
        var stillPending = await host.PullAsync(RecordKind.Client);

        host.Pending.Clear();
        var afterPush = await host.PullAsync(RecordKind.Client);

        Assert.Equal(1, stillPending.Counts.Conflicts);
        Assert.Equal("ledger@c1.example", ((PulledClient)host.Offered[^1].Record).Email);
        Assert.Equal(1, afterPush.Counts.Synced);
        Assert.Equal(InboundState.Applied, (await host.Inbound.GetRecordsAsync(PullHost.Tenant, RecordKind.Client, ["c001"]))["c001"].State);
    }

    [Theory]
    [InlineData(true, InboundState.Accepted, 1)]
    [InlineData(false, InboundState.Dismissed, 0)]
    public async Task A_users_choice_on_an_asked_conflict_applies_the_ledgers_version_or_keeps_the_hosts(bool takeLedger, InboundState chosen, int appliedByNextPull)
    {
        await using var host = new PullHost();
        host.Ledger.Set(RecordKind.Client, ListShape.Unpaged, Clients(1));
        await host.PullAsync(RecordKind.Client);
        await host.Engine.SaveTenantSettingsAsync(new TenantSettings { TenantId = PullHost.Tenant, ConflictPolicies = new Dictionary<RecordKind, ConflictPolicy> { [RecordKind.Client] = ConflictPolicy.Ask } });
        host.Pending.Add("h-c001");
        host.Ledger.Set(RecordKind.Client, ListShape.Unpaged, [Client(1, "ledger@c1.example")]);
        await host.PullAsync(RecordKind.Client);

        var resolved = await host.Engine.ResolvePulledConflictAsync(PullHost.Tenant, RecordKind.Client, "c001", takeLedger);
        var offeredBefore = host.Offered.Count;
        await host.PullAsync(RecordKind.Client);

        Assert.Equal(chosen, resolved.State);
        Assert.Equal(appliedByNextPull, host.Offered.Count - offeredBefore);
        Assert.Empty(await host.Engine.GetReconciliationListAsync(PullHost.Tenant));
    }

    [Theory]
    [InlineData(SyncDirection.Both, 1)]
    [InlineData(SyncDirection.PullOnly, 1)]
    [InlineData(SyncDirection.PushOnly, 0)]
    [InlineData(SyncDirection.Off, 0)]
    public async Task A_kind_is_pulled_only_when_the_tenants_direction_allows_it(SyncDirection direction, int reads)
    {
        await using var host = new PullHost();
        host.Ledger.Set(RecordKind.Client, ListShape.Unpaged, Clients(3));
        await host.Engine.SaveTenantSettingsAsync(new TenantSettings { TenantId = PullHost.Tenant, Directions = new Dictionary<RecordKind, SyncDirection> { [RecordKind.Client] = direction } });

        var run = await host.PullAsync(RecordKind.Client);

        Assert.Equal(RunOutcome.Completed, run.Outcome);
        Assert.Equal(reads, host.Ledger.Requests.Count);
    }

    [Fact]
    public async Task A_deleted_job_is_archived_in_the_host_and_a_job_carries_its_clients_host_id()
    {
        await using var host = new PullHost();
        host.Ledger.Set(RecordKind.Client, ListShape.Unpaged, Clients(1));
        host.Ledger.Set(RecordKind.Job, ListShape.Unpaged, [new PulledJob { RemoteId = "J000001", UpdatedAt = T0, Name = "Audit", State = "In Progress", ClientRemoteId = "c001" }]);
        await host.PullAsync(RecordKind.Client, RecordKind.Job);
        host.Ledger.Set(RecordKind.Job, ListShape.Unpaged, [new PulledJob { RemoteId = "J000001", UpdatedAt = T0, Name = "Audit", State = "Deleted", ClientRemoteId = "c001", Deleted = true }]);

        await host.PullAsync(RecordKind.Job);

        Assert.Equal((PullAction.Create, PullAction.Archive), (host.Offered[1].Action, host.Offered[2].Action));
    }
}
