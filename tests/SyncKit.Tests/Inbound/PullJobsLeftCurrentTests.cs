using SyncKit.Inbound;
using SyncKit.Records;

namespace SyncKit.Tests.Inbound;

/// <summary>Practice Manager's current jobs leave a job out once it is completed: the pull reads such a job by its number.</summary>
public sealed class PullJobsLeftCurrentTests
{
    private static PulledJob Job(string number, string state = "In Progress") =>
        new() { RemoteId = number, UpdatedAt = DateTimeOffset.UnixEpoch, Name = "Job " + number, State = state };

    [Theory]
    [InlineData(true, PullAction.Update)]
    [InlineData(false, PullAction.Archive)]
    public async Task A_job_gone_from_the_current_list_is_read_by_its_number_and_applied_as_no_longer_current(bool foundByNumber, PullAction action)
    {
        await using var host = new PullHost();
        host.Ledger.Set(RecordKind.Job, ListShape.Unpaged, [Job("J1"), Job("J2")]);
        await host.PullAsync(RecordKind.Job);
        host.Time.Advance(TimeSpan.FromHours(1));
        host.Ledger.Set(RecordKind.Job, ListShape.Unpaged, [Job("J1")]);
        if (foundByNumber)
        {
            host.Ledger.Named["J2"] = Job("J2", "Completed");
        }

        await host.PullAsync(RecordKind.Job);

        var (offered, record, _, _) = host.Offered[^1];
        Assert.Equal(("J2", action, false), (record.RemoteId, offered, ((PulledJob)record).Current));
        Assert.Equal(["J2"], host.Ledger.Requests[^1].RemoteIds);
        Assert.Equal(3, host.Offered.Count);
    }

    [Fact]
    public async Task A_job_already_read_as_no_longer_current_is_not_read_again()
    {
        await using var host = new PullHost();
        host.Ledger.Set(RecordKind.Job, ListShape.Unpaged, [Job("J1"), Job("J2")]);
        await host.PullAsync(RecordKind.Job);
        host.Ledger.Set(RecordKind.Job, ListShape.Unpaged, [Job("J1")]);
        host.Ledger.Named["J2"] = Job("J2", "Completed");
        await host.PullAsync(RecordKind.Job);

        await host.PullAsync(RecordKind.Job);

        Assert.Single(host.Ledger.Requests, r => r.RemoteIds.Count > 0);
    }

    [Fact]
    public async Task A_date_range_pull_does_not_look_for_jobs_that_left_the_current_list()
    {
        await using var host = new PullHost();
        host.Ledger.Set(RecordKind.Job, ListShape.Unpaged, [Job("J1"), Job("J2")]);
        await host.PullAsync(RecordKind.Job);
        host.Ledger.Set(RecordKind.Job, ListShape.Unpaged, [Job("J1")]);

        await host.Engine.PullAsync(new PullRequest { TenantId = PullHost.Tenant, Kinds = [RecordKind.Job], JobsFrom = new DateOnly(2026, 1, 1), JobsTo = new DateOnly(2026, 12, 31) });

        Assert.DoesNotContain(host.Ledger.Requests, r => r.RemoteIds.Count > 0);
    }
}
