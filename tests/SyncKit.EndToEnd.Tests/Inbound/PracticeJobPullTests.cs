using SyncKit.Inbound;
using SyncKit.Records;
using SyncKit.Runs;
using static SyncKit.EndToEnd.Tests.Inbound.PracticePullTests;

namespace SyncKit.EndToEnd.Tests.Inbound;

/// <summary>
/// Practice Manager jobs beyond the current list: completed or deleted since the last pull, one job on demand ("Sync Job"),
/// and job custom fields with the practice's definitions.
/// </summary>
public sealed class PracticeJobPullTests
{
    [Fact]
    public async Task A_job_completed_in_Practice_Manager_between_two_pulls_reaches_the_host_as_completed()
    {
        var books = new PracticeBooks();
        await using var h = await CreateAsync(books);
        var jobs = AddJobs(h, AddClients(h, 1), 3);
        await PullJobsAsync(h);
        h.Time.Advance(TimeSpan.FromHours(1));
        h.Emulator.SetJobState(h.Tenant.TenantId, jobs[1], "Completed");

        var run = await PullJobsAsync(h);

        var (job, _) = books.Jobs["j-" + jobs[1]];
        Assert.Equal(RunOutcome.Completed, run.Outcome);
        Assert.Equal(("Completed", false), (job.State, job.Current));
        Assert.Equal(PullAction.Update, books.Offered.Last(o => o.RemoteId == jobs[1]).Action);
        Assert.Equal(1, Calls(h, "GET job.api/get"));
    }

    [Fact]
    public async Task A_job_that_left_the_current_list_is_read_by_its_number_once_not_on_every_later_pull()
    {
        var books = new PracticeBooks();
        await using var h = await CreateAsync(books);
        var jobs = AddJobs(h, AddClients(h, 1), 3);
        await PullJobsAsync(h);
        h.Emulator.SetJobState(h.Tenant.TenantId, jobs[0], "Completed");
        await PullJobsAsync(h);
        var offers = books.OffersOf(RecordKind.Job);

        await PullJobsAsync(h);
        await PullJobsAsync(h);

        Assert.Equal(1, Calls(h, "GET job.api/get"));
        Assert.Equal(4, Calls(h, "GET job.api/current"));
        Assert.Equal(offers, books.OffersOf(RecordKind.Job));
    }

    [Fact]
    public async Task A_completed_job_reopened_in_Practice_Manager_comes_back_to_the_host_as_current()
    {
        var books = new PracticeBooks();
        await using var h = await CreateAsync(books);
        var jobs = AddJobs(h, AddClients(h, 1), 2);
        await PullJobsAsync(h);
        h.Emulator.SetJobState(h.Tenant.TenantId, jobs[0], "Completed");
        await PullJobsAsync(h);
        h.Emulator.SetJobState(h.Tenant.TenantId, jobs[0], "In Progress");

        await PullJobsAsync(h);

        Assert.Equal(("In Progress", true), (books.Jobs["j-" + jobs[0]].Job.State, books.Jobs["j-" + jobs[0]].Job.Current));
    }

    [Fact]
    public async Task A_job_deleted_in_Practice_Manager_between_two_pulls_is_archived_in_the_host()
    {
        var books = new PracticeBooks();
        await using var h = await CreateAsync(books);
        var jobs = AddJobs(h, AddClients(h, 1), 2);
        await PullJobsAsync(h);
        h.Emulator.ActAsPracticeUser(h.Tenant.TenantId, "job.api/delete", $"<Job><ID>{jobs[1]}</ID></Job>");

        await PullJobsAsync(h);

        Assert.Equal(PullAction.Archive, books.Offered.Last(o => o.RemoteId == jobs[1]).Action);
        Assert.True(books.Jobs["j-" + jobs[1]].Job.Deleted);
    }

    [Fact]
    public async Task Sync_Job_pulls_one_job_by_its_number_without_reading_the_current_list()
    {
        var books = new PracticeBooks();
        await using var h = await CreateAsync(books);
        var jobs = AddJobs(h, AddClients(h, 1), 3);
        h.Emulator.SetJobState(h.Tenant.TenantId, jobs[2], "Completed");

        var run = await h.DriveAsync(() => h.Engine.PullAsync(new PullRequest
        {
            TenantId = h.TenantId,
            RemoteIds = new Dictionary<RecordKind, IReadOnlyList<string>> { [RecordKind.Job] = [jobs[2]] },
        }));

        Assert.Equal(RunOutcome.Completed, run.Outcome);
        Assert.Equal(["j-" + jobs[2]], books.Jobs.Keys);
        Assert.Equal("Completed", books.Jobs["j-" + jobs[2]].Job.State);
        Assert.Equal((1, 0), (Calls(h, "GET job.api/get"), Calls(h, "GET job.api/current")));
    }

    [Fact]
    public async Task Job_custom_fields_come_with_each_job_when_the_target_asks_at_one_call_per_job()
    {
        var books = new PracticeBooks { WantsJobCustomFields = true };
        await using var h = await CreateAsync(books);
        var jobs = AddJobs(h, AddClients(h, 1), 2);
        h.Emulator.DefineCustomField(h.Tenant.TenantId, "Engagement letter", "Date", new Dictionary<string, string> { [jobs[0]] = "2026-07-01" });

        await PullJobsAsync(h);

        var field = Assert.Single(books.Jobs["j-" + jobs[0]].Job.CustomFields);
        Assert.Equal(("Engagement letter", "2026-07-01"), (field.Name, field.Value));
        Assert.Empty(books.Jobs["j-" + jobs[1]].Job.CustomFields);
        Assert.Equal(2, Calls(h, "GET job.api/get"));
    }

    [Fact]
    public async Task The_practices_custom_field_definitions_are_told_to_the_target_once_per_pull_before_its_records()
    {
        var books = new PracticeBooks { WantsJobCustomFields = true };
        await using var h = await CreateAsync(books);
        AddJobs(h, AddClients(h, 1), 1);
        h.Emulator.DefineCustomField(h.Tenant.TenantId, "Partner", "Text", new Dictionary<string, string>());
        h.Emulator.DefineCustomField(h.Tenant.TenantId, "Fee cap", "Decimal", new Dictionary<string, string>());

        await PullJobsAsync(h);

        var (kind, definitions) = Assert.Single(books.Definitions);
        Assert.Equal(RecordKind.Job, kind);
        Assert.Equal([("Partner", "Text", true), ("Fee cap", "Decimal", true)], definitions.Select(d => (d.Name, d.Type, d.AppliesToJobs)));
        Assert.Equal(1, Calls(h, "GET customfield.api/definition"));
    }

    [Fact]
    public async Task Without_the_targets_asking_no_custom_field_or_definition_is_read()
    {
        var books = new PracticeBooks();
        await using var h = await CreateAsync(books);
        var jobs = AddJobs(h, AddClients(h, 1), 2);
        h.Emulator.DefineCustomField(h.Tenant.TenantId, "Partner", "Text", new Dictionary<string, string> { [jobs[0]] = "Alex" });

        await PullJobsAsync(h);

        Assert.Empty(books.Jobs["j-" + jobs[0]].Job.CustomFields);
        Assert.Empty(books.Definitions);
        Assert.Equal((0, 0), (Calls(h, "GET job.api/get"), Calls(h, "GET customfield.api/definition")));
    }

    private static Task<SyncRun> PullJobsAsync(XeroHarness h) =>
        h.DriveAsync(() => h.Engine.PullAsync(new PullRequest { TenantId = h.TenantId, Kinds = [RecordKind.Job] }));

    private static int Calls(XeroHarness h, string endpoint) =>
        h.Emulator.GetStats().Calls.GetValueOrDefault(h.Tenant.TenantId)?.GetValueOrDefault(endpoint) ?? 0;
}
