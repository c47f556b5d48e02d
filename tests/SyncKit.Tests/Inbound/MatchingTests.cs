using SyncKit.Inbound;
using SyncKit.Ledger;
using SyncKit.Records;

namespace SyncKit.Tests.Inbound;

/// <summary>A pulled record the ledger does not know, which the host may already have: matched to one, never merged.</summary>
public sealed class MatchingTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    private static PulledClient Client(string remoteId) => new() { RemoteId = remoteId, UpdatedAt = T0, Name = "Client " + remoteId };

    private static async Task LinkAsync(PullHost host, string hostId, string remoteId)
    {
        var key = new LedgerKey(PullHost.Tenant, RecordKind.Client, hostId);
        var linked = LedgerTransitions.Apply(LedgerTransitions.New(key, string.Empty, hostId, T0), new LedgerEvent.MarkedResolved(remoteId), T0);
        await host.LedgerStore.SaveAsync([linked]);
    }

    [Fact]
    public async Task A_record_the_host_says_it_already_has_updates_that_record_and_links_it_instead_of_creating_one()
    {
        await using var host = new PullHost();
        host.Ledger.Set(RecordKind.Client, ListShape.Unpaged, [Client("x1")]);
        host.Matches["x1"] = ["host-7"];

        await host.PullAsync(RecordKind.Client);

        Assert.Equal((PullAction.Update, "host-7"), (host.Offered[0].Action, host.OfferedHostIds[0]));
        Assert.Equal("x1", (await host.LedgerStore.GetAsync(new LedgerKey(PullHost.Tenant, RecordKind.Client, "host-7")))!.RemoteId);
    }

    [Fact]
    public async Task Two_pulled_records_matching_one_host_record_are_not_merged_into_it()
    {
        await using var host = new PullHost();
        host.Ledger.Set(RecordKind.Client, ListShape.Unpaged, [Client("x1"), Client("x2")]);
        host.Matches["x1"] = ["host-7"];
        host.Matches["x2"] = ["host-7"];

        await host.PullAsync(RecordKind.Client);

        Assert.Equal([(PullAction.Update, "host-7"), (PullAction.Create, null)], host.Offered.Zip(host.OfferedHostIds, (o, h) => (o.Action, h)));
    }

    [Fact]
    public async Task Several_candidates_are_not_merged_the_record_is_created()
    {
        await using var host = new PullHost();
        host.Ledger.Set(RecordKind.Client, ListShape.Unpaged, [Client("x1")]);
        host.Matches["x1"] = ["host-7", "host-8"];

        await host.PullAsync(RecordKind.Client);

        Assert.Equal((PullAction.Create, (string?)null), (host.Offered[0].Action, host.OfferedHostIds[0]));
    }

    [Fact]
    public async Task A_candidate_the_ledger_links_to_another_record_is_not_taken()
    {
        await using var host = new PullHost();
        await LinkAsync(host, "host-7", "x0");
        host.Ledger.Set(RecordKind.Client, ListShape.Unpaged, [Client("x1")]);
        host.Matches["x1"] = ["host-7"];

        await host.PullAsync(RecordKind.Client);

        Assert.Equal((PullAction.Create, (string?)null), (host.Offered[0].Action, host.OfferedHostIds[0]));
    }

    [Fact]
    public async Task Of_two_candidates_the_one_already_linked_elsewhere_leaves_the_other_as_the_match()
    {
        await using var host = new PullHost();
        await LinkAsync(host, "host-7", "x0");
        host.Ledger.Set(RecordKind.Client, ListShape.Unpaged, [Client("x1")]);
        host.Matches["x1"] = ["host-7", "host-8"];

        await host.PullAsync(RecordKind.Client);

        Assert.Equal((PullAction.Update, "host-8"), (host.Offered[0].Action, host.OfferedHostIds[0]));
    }

    [Fact]
    public async Task A_matched_record_changed_again_in_the_ledger_updates_the_same_host_record_without_asking_again()
    {
        await using var host = new PullHost();
        host.Ledger.Set(RecordKind.Client, ListShape.Unpaged, [Client("x1")]);
        host.Matches["x1"] = ["host-7"];
        await host.PullAsync(RecordKind.Client);
        host.Matches.Clear();
        host.Time.Advance(TimeSpan.FromHours(1));
        host.Ledger.Set(RecordKind.Client, ListShape.Unpaged, [Client("x1") with { UpdatedAt = T0.AddHours(1), Name = "Renamed" }]);

        await host.PullAsync(RecordKind.Client);

        Assert.Equal((PullAction.Update, "host-7"), (host.Offered[^1].Action, host.OfferedHostIds[^1]));
    }
}
