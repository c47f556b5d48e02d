using SyncKit.Records;
using SyncKit.Runs;
using SyncKit.Storage;
using Xunit;

namespace SyncKit.Testing.Storage;

/// <summary>The behaviour every <see cref="RunLog"/> must show.</summary>
/// <param name="fixture">The provider's fixture.</param>
public abstract class RunLogContract(StoreFixture fixture) : StoreContract(fixture)
{
    /// <summary>A minimal run.</summary>
    /// <param name="runId">The id.</param>
    /// <param name="startedAt">When it started.</param>
    /// <param name="tenantId">The tenant.</param>
    /// <returns>The run.</returns>
    protected static SyncRun NewRun(string runId, DateTimeOffset startedAt, string tenantId = "tenant-a") => new()
    {
        RunId = runId,
        TenantId = tenantId,
        Trigger = SyncTrigger.Scheduled,
        StartedAt = startedAt,
    };

    /// <summary>Every field of a run survives a save and a read.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Save_run_round_trips_every_field()
    {
        await using var stores = await CreateStoresAsync();
        var run = new SyncRun
        {
            RunId = "run-1",
            TenantId = "tenant-a",
            Trigger = SyncTrigger.Manual,
            RequestedBy = "jane@example.com",
            Kinds = [RecordKind.Contact, RecordKind.Invoice],
            RecordKey = "tenant-a/Invoice/inv-1",
            StartedAt = T0,
            CompletedAt = T0.AddSeconds(42.5),
            Outcome = RunOutcome.Paused,
            Counts = new RunCounts
            {
                Seen = 1, Unchanged = 2, Sent = 3, Synced = 4, Failed = 5, RetryScheduled = 6, Uncertain = 7,
                Reconciled = 8, Unmapped = 9, Held = 10, Skipped = 11, Warnings = 12, Calls = 13,
            },
            PausedUntil = T0.AddHours(24),
            Message = "Daily limit reached — “sync paused”",
        };

        await stores.Runs.SaveAsync(run);

        var stored = await stores.Runs.GetAsync("run-1");
        Assert.NotNull(stored);
        Assert.Equal(run.Kinds, stored.Kinds);
        Assert.Equal(run with { Kinds = [] }, stored with { Kinds = [] });
        Assert.Equal(TimeSpan.FromSeconds(42.5), stored.Duration);
    }

    /// <summary>A run with only its required fields survives a save and a read.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Save_minimal_run_round_trips()
    {
        await using var stores = await CreateStoresAsync();
        var run = NewRun("run-1", T0);

        await stores.Runs.SaveAsync(run);

        var stored = await stores.Runs.GetAsync("run-1");
        Assert.NotNull(stored);
        Assert.Empty(stored.Kinds);
        Assert.Equal(run with { Kinds = [] }, stored with { Kinds = [] });
        Assert.Null(stored.Duration);
    }

    /// <summary>An unknown run reads as null.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Get_unknown_run_returns_null()
    {
        await using var stores = await CreateStoresAsync();

        Assert.Null(await stores.Runs.GetAsync("nope"));
    }

    /// <summary>Saving a run again replaces its row (a run is saved when it starts and when it ends).</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Save_existing_run_replaces_it()
    {
        await using var stores = await CreateStoresAsync();
        var run = NewRun("run-1", T0);
        await stores.Runs.SaveAsync(run);

        await stores.Runs.SaveAsync(run with { Outcome = RunOutcome.Completed, CompletedAt = T0.AddMinutes(1), Counts = new RunCounts { Synced = 5 } });

        var stored = (await stores.Runs.GetAsync("run-1"))!;
        Assert.Equal(RunOutcome.Completed, stored.Outcome);
        Assert.Equal(5, stored.Counts.Synced);
        Assert.Single(await stores.Runs.ListAsync("tenant-a", 10));
    }

    /// <summary>List returns the tenant's runs newest first, at most <c>limit</c>.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task List_returns_newest_first_up_to_limit()
    {
        await using var stores = await CreateStoresAsync();
        for (var i = 0; i < 5; i++)
        {
            await stores.Runs.SaveAsync(NewRun($"run-{i}", T0.AddMinutes(i)));
        }

        await stores.Runs.SaveAsync(NewRun("other", T0.AddHours(1), tenantId: "tenant-b"));

        Assert.Equal(["run-4", "run-3", "run-2"], (await stores.Runs.ListAsync("tenant-a", 3)).Select(r => r.RunId));
        Assert.Equal(["run-4", "run-3", "run-2", "run-1", "run-0"], (await stores.Runs.ListAsync("tenant-a", 50)).Select(r => r.RunId));
        Assert.Empty(await stores.Runs.ListAsync("tenant-c", 10));
    }

    /// <summary><c>startedBefore</c> pages back in time and excludes runs started at that instant.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task List_started_before_pages_back_exclusively()
    {
        await using var stores = await CreateStoresAsync();
        for (var i = 0; i < 5; i++)
        {
            await stores.Runs.SaveAsync(NewRun($"run-{i}", T0.AddMinutes(i)));
        }

        var page = await stores.Runs.ListAsync("tenant-a", 2, startedBefore: T0.AddMinutes(3));

        Assert.Equal(["run-2", "run-1"], page.Select(r => r.RunId));
        Assert.Equal(["run-0"], (await stores.Runs.ListAsync("tenant-a", 2, page[^1].StartedAt)).Select(r => r.RunId));
    }
}
