using System.Xml.Linq;
using SyncKit.Inbound;
using SyncKit.Records;
using SyncKit.Runs;
using SyncKit.Settings;
using SyncKit.Storage;
using SyncKit.Testing.Emulator;

namespace SyncKit.EndToEnd.Tests.Inbound;

/// <summary>FYI's manual sync from Practice Manager: clients, jobs with their state, staff and client custom fields, pulled from the emulator.</summary>
public sealed class PracticePullTests
{
    [Fact]
    public async Task Two_thousand_clients_and_five_thousand_jobs_pull_in_paged_reads_and_resume_from_their_page_after_two_kills()
    {
        var books = new PracticeBooks();
        await using var h = await CreateAsync(books, pageSize: 500);
        var clients = AddClients(h, 2000);
        AddJobs(h, clients, 5000);
        var killClientAt = 1200;
        var killJobAt = 2600;
        books.BeforeApply = r =>
            (r.Kind == RecordKind.Client && books.OffersOf(RecordKind.Client) == killClientAt) || (r.Kind == RecordKind.Job && books.OffersOf(RecordKind.Job) == killJobAt)
                ? throw new IOException("The host process was killed.")
                : Task.CompletedTask;

        var killedInClients = await PullAsync(h);
        var killedInJobs = await PullAsync(h);
        var finished = await PullAsync(h);

        Assert.Equal((RunOutcome.Failed, RunOutcome.Failed, RunOutcome.Completed), (killedInClients.Outcome, killedInJobs.Outcome, finished.Outcome));
        Assert.Equal(2000, books.Clients.Count);
        Assert.Equal(5000, books.Jobs.Count);

        // Clients: pages 1–3 of 500, then 3–4 (page 1 and 2 never read again). Jobs: one whole-list read per run that
        // reached them, applied 500 at a time; the resumed run skips the 2,500 applied before the kill.
        var calls = h.Emulator.GetStats().Calls[h.Tenant.TenantId];
        Assert.Equal(5, calls["GET client.api/paged-list"]);
        Assert.Equal(2, calls["GET job.api/current"]);
        Assert.Equal(0, h.RateLimited);

        // Each record offered once, but the one a kill interrupted: offered again, flagged.
        Assert.Equal(2001, books.OffersOf(RecordKind.Client));
        Assert.Equal(5001, books.OffersOf(RecordKind.Job));
        Assert.Equal(2, books.Offered.Count(o => o.MayBeApplied));
        Assert.All(books.Jobs.Values, j => Assert.NotNull(j.ClientHostId));
    }

    [Fact]
    public async Task A_pull_that_meets_the_daily_limit_pauses_and_the_next_day_carries_on_from_its_page_token()
    {
        var books = new PracticeBooks();
        await using var h = await CreateAsync(books, pageSize: 10);
        AddClients(h, 30);
        h.Emulator.SetRateLimits(h.Tenant.TenantId, dayLimit: 2);

        var paused = await PullAsync(h, RecordKind.Client);
        Assert.Equal(RunOutcome.Paused, paused.Outcome);
        Assert.NotNull(paused.PausedUntil);
        var offeredWhilePaused = books.Offered.Count;
        h.Time.Advance(paused.PausedUntil!.Value - h.Time.GetUtcNow() + TimeSpan.FromMinutes(1));
        var resumed = await PullAsync(h, RecordKind.Client);

        Assert.Equal(RunOutcome.Completed, resumed.Outcome);
        Assert.InRange(offeredWhilePaused, 10, 20);
        Assert.Equal(30, books.Clients.Count);

        // Nothing offered twice: the next day's run started from the saved token, not from page 1.
        Assert.Equal(30, books.Offered.Count);
    }

    [Fact]
    public async Task A_later_pull_reads_clients_modified_since_the_last_and_applies_only_what_changed()
    {
        var books = new PracticeBooks();
        await using var h = await CreateAsync(books);
        var clients = AddClients(h, 30);
        var jobs = AddJobs(h, clients, 20);
        await PullAsync(h);
        h.Time.Advance(TimeSpan.FromHours(1));
        h.Emulator.ActAsPracticeUser(h.Tenant.TenantId, "client.api/update", $"<Client><UUID>{clients[4]}</UUID><Email>new@client5.example</Email></Client>", "PUT");
        h.Emulator.SetJobState(h.Tenant.TenantId, jobs[7], "On Hold");
        var listBefore = Calls(h, "GET client.api/list");

        var second = await PullAsync(h);

        Assert.Equal(RunOutcome.Completed, second.Outcome);
        Assert.Equal(2, second.Counts.Synced);
        Assert.Equal(1, Calls(h, "GET client.api/list") - listBefore);
        Assert.Equal("new@client5.example", books.Clients["c-" + clients[4]].Email);
        Assert.Equal("On Hold", books.Jobs["j-" + jobs[7]].Job.State);
    }

    [Fact]
    public async Task An_archived_client_is_archived_in_the_host()
    {
        var books = new PracticeBooks();
        await using var h = await CreateAsync(books);
        var clients = AddClients(h, 3);
        await PullAsync(h);
        h.Time.Advance(TimeSpan.FromHours(1));
        h.Emulator.ActAsPracticeUser(h.Tenant.TenantId, "client.api/archive", $"<Client><UUID>{clients[1]}</UUID></Client>", "PUT");

        await PullAsync(h);

        Assert.Contains(books.Offered, o => o.RemoteId == clients[1] && o.Action == PullAction.Archive);
        Assert.True(books.Clients["c-" + clients[1]].Archived);
    }

    [Fact]
    public async Task Client_custom_fields_come_with_each_client_when_the_target_asks_at_one_call_per_client()
    {
        var books = new PracticeBooks { WantsCustomFields = true };
        await using var h = await CreateAsync(books);
        var clients = AddClients(h, 3);
        h.Emulator.DefineCustomField(h.Tenant.TenantId, "Tax agent", "Text", new Dictionary<string, string> { [clients[0]] = "Agent 42" });

        await PullAsync(h, RecordKind.Client);

        var field = Assert.Single(books.Clients["c-" + clients[0]].CustomFields);
        Assert.Equal(("Tax agent", "Agent 42"), (field.Name, field.Value));
        Assert.Empty(books.Clients["c-" + clients[1]].CustomFields);
        Assert.Equal(3, Calls(h, "GET client.api/get"));
    }

    [Fact]
    public async Task Staff_are_pulled_from_the_staff_list()
    {
        var books = new PracticeBooks();
        await using var h = await CreateAsync(books);

        await PullAsync(h, RecordKind.Staff);

        Assert.Equal(["Alex Partner", "Sam Accountant"], books.Staff.Values.Select(s => s.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Jobs_in_a_date_range_include_completed_ones_that_the_current_list_leaves_out()
    {
        var books = new PracticeBooks();
        await using var h = await CreateAsync(books);
        var clients = AddClients(h, 1);
        var jobs = AddJobs(h, clients, 2);
        h.Emulator.SetJobState(h.Tenant.TenantId, jobs[0], "Completed");

        await h.DriveAsync(() => h.Engine.PullAsync(new PullRequest { TenantId = h.TenantId, Kinds = [RecordKind.Job], JobsFrom = new DateOnly(2026, 1, 1), JobsTo = new DateOnly(2027, 12, 31) }));

        Assert.Equal("Completed", books.Jobs["j-" + jobs[0]].Job.State);
        Assert.Equal(1, Calls(h, "GET job.api/list"));
    }

    [Fact]
    public async Task A_job_with_a_pending_local_change_is_not_overwritten_by_a_pull_under_the_default_policy()
    {
        var books = new PracticeBooks();
        await using var h = await CreateAsync(books);
        var jobs = AddJobs(h, AddClients(h, 1), 1);
        await PullAsync(h, RecordKind.Job);
        books.LocalEdits["j-" + jobs[0]] = true;
        h.Emulator.SetJobState(h.Tenant.TenantId, jobs[0], "On Hold");

        var run = await PullAsync(h, RecordKind.Job);

        Assert.Equal("In Progress", books.Jobs["j-" + jobs[0]].Job.State);
        Assert.Equal((1, ConflictPolicy.HostWins), (run.Counts.Conflicts, Assert.Single(books.Conflicts).Policy));
        Assert.Equal(InboundState.Conflict, Assert.Single(await h.Engine.GetReconciliationListAsync(h.TenantId)).State);
    }

    [Fact]
    public async Task A_job_with_a_pending_local_change_is_updated_by_the_first_pull_after_its_push_lands_under_apply_after_push()
    {
        var books = new PracticeBooks();
        await using var h = await CreateAsync(books);
        var clients = AddClients(h, 1);
        var jobs = AddJobs(h, clients, 1);
        await h.Engine.SaveTenantSettingsAsync(new TenantSettings { TenantId = h.TenantId, ConflictPolicies = new Dictionary<RecordKind, ConflictPolicy> { [RecordKind.Job] = ConflictPolicy.ApplyAfterPush } });
        await PullAsync(h, RecordKind.Client, RecordKind.Job);
        var hostId = "j-" + jobs[0];

        // The host edits the job's description (Pending Sync) while a user puts it On Hold in Practice Manager.
        books.LocalEdits[hostId] = true;
        h.Sources.Clients.Put(h.TenantId, new ClientRecord { SourceId = "c-" + clients[0], Name = "Client 0000" });
        h.Sources.Jobs.Put(h.TenantId, new JobRecord { SourceId = hostId, ClientSourceId = "c-" + clients[0], JobNumber = jobs[0], Name = "Job 0000", Description = "Edited in the host", State = "In Progress" });
        h.Emulator.SetJobState(h.Tenant.TenantId, jobs[0], "On Hold");
        var whilePending = await PullAsync(h, RecordKind.Job);
        var keptWhilePending = books.Jobs[hostId].Job;

        // The push lands (the host's version, description and state, is in Practice Manager) and the host's flag is cleared.
        var push = await h.DriveSyncAsync();
        books.LocalEdits.TryRemove(hostId, out _);
        var before = books.JobVersions.Count;
        h.Time.Advance(TimeSpan.FromMinutes(1));
        var afterPush = await PullAsync(h, RecordKind.Job);
        var appliedAfterPush = books.JobVersions.Skip(before).ToList();

        Assert.Equal(1, whilePending.Counts.Conflicts);
        Assert.Equal(("In Progress", "Job 0000"), (keptWhilePending.State, keptWhilePending.Description ?? "Job 0000"));
        Assert.Equal(RunOutcome.Completed, push.Outcome);

        // First the version kept during the conflict, then Practice Manager's current one (the push's), in that order.
        Assert.Equal(["On Hold", "In Progress"], appliedAfterPush.Select(j => j.State));
        Assert.Equal("Edited in the host", books.Jobs[hostId].Job.Description);
        Assert.Equal(2, afterPush.Counts.Synced);
        Assert.Empty(await h.Engine.GetReconciliationListAsync(h.TenantId));
    }

    [Fact]
    public async Task A_user_who_takes_the_ledgers_version_of_a_conflict_gets_it_applied_by_the_next_pull()
    {
        var books = new PracticeBooks();
        await using var h = await CreateAsync(books);
        var jobs = AddJobs(h, AddClients(h, 1), 1);
        await h.Engine.SaveTenantSettingsAsync(new TenantSettings { TenantId = h.TenantId, ConflictPolicies = new Dictionary<RecordKind, ConflictPolicy> { [RecordKind.Job] = ConflictPolicy.Ask } });
        await PullAsync(h, RecordKind.Job);
        books.LocalEdits["j-" + jobs[0]] = true;
        h.Emulator.SetJobState(h.Tenant.TenantId, jobs[0], "On Hold");
        await PullAsync(h, RecordKind.Job);

        await h.Engine.ResolvePulledConflictAsync(h.TenantId, RecordKind.Job, jobs[0], takeLedgerVersion: true);
        await PullAsync(h, RecordKind.Job);

        Assert.Equal("On Hold", books.Jobs["j-" + jobs[0]].Job.State);
        Assert.Empty(await h.Engine.GetReconciliationListAsync(h.TenantId));
    }

    [Fact]
    public async Task A_pull_only_kind_is_left_alone_by_sync_all_and_a_push_only_kind_by_pulls()
    {
        var books = new PracticeBooks();
        await using var h = await CreateAsync(books);
        AddClients(h, 2);
        await h.Engine.SaveTenantSettingsAsync(new TenantSettings
        {
            TenantId = h.TenantId,
            Directions = new Dictionary<RecordKind, SyncDirection> { [RecordKind.Client] = SyncDirection.PullOnly, [RecordKind.Staff] = SyncDirection.PushOnly },
        });
        h.Sources.Clients.Put(h.TenantId, new ClientRecord { SourceId = "host-only", Name = "Only In The Host" });

        await h.DriveSyncAsync();
        await PullAsync(h, RecordKind.Client, RecordKind.Staff);

        Assert.Equal(0, Calls(h, "POST client.api/add"));
        Assert.Null(await h.EntryAsync(RecordKind.Client, "host-only"));
        Assert.Equal(2, books.Clients.Count);
        Assert.Empty(books.Staff);
        Assert.Equal(0, Calls(h, "GET staff.api/list"));
    }

    internal static Task<XeroHarness> CreateAsync(PracticeBooks books, int pageSize = 100) =>
        XeroHarness.CreateAsync(
            new EmulatorTenantOptions { Name = "Practice Pty Ltd", PracticeManager = true },
            xero: o => o.IsPracticeManagerTenant = _ => true,
            engine: o => o.PullPageSize = pageSize,
            configure: b => books.AddTo(b));

    /// <summary>Clients typed into Practice Manager by a user (no calls counted); their UUIDs in order.</summary>
    internal static List<string> AddClients(XeroHarness h, int count) =>
        [.. Enumerable.Range(0, count).Select(i => Element(h.Emulator.ActAsPracticeUser(h.Tenant.TenantId, "client.api/add", $"<Client><Name>Client {i:D4}</Name><Email>client{i}@practice.example</Email></Client>"), "Client", "UUID"))];

    /// <summary>Jobs typed into Practice Manager, spread over the clients; their job numbers in order.</summary>
    internal static List<string> AddJobs(XeroHarness h, IReadOnlyList<string> clients, int count) =>
        [.. Enumerable.Range(0, count).Select(i => Element(h.Emulator.ActAsPracticeUser(h.Tenant.TenantId, "job.api/add", $"<Job><Name>Job {i:D4}</Name><ClientUUID>{clients[i % clients.Count]}</ClientUUID></Job>"), "Job", "ID"))];

    private static string Element(string xml, string record, string name) =>
        (xml.StartsWith('<') ? XElement.Parse(xml).Element(record)?.Element(name)?.Value : null) ?? throw new InvalidOperationException("Practice Manager refused: " + xml);

    private static Task<SyncRun> PullAsync(XeroHarness h, params RecordKind[] kinds) =>
        h.DriveAsync(() => h.Engine.PullAsync(new PullRequest { TenantId = h.TenantId, Kinds = kinds.Length == 0 ? [RecordKind.Client, RecordKind.Job] : kinds }));

    private static int Calls(XeroHarness h, string endpoint) =>
        h.Emulator.GetStats().Calls.GetValueOrDefault(h.Tenant.TenantId)?.GetValueOrDefault(endpoint) ?? 0;
}
