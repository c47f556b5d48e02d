using SyncKit.Errors;
using SyncKit.Ledger;
using SyncKit.Records;
using SyncKit.Storage;
using Xunit;

namespace SyncKit.Testing.Storage;

/// <summary>The behaviour every <see cref="LedgerStore"/> must show.</summary>
/// <param name="fixture">The provider's fixture.</param>
public abstract class LedgerStoreContract(StoreFixture fixture) : StoreContract(fixture)
{
    /// <summary>Every field of a fully populated entry survives a save and a read.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Save_new_entry_round_trips_every_field()
    {
        await using var stores = await CreateStoresAsync();
        var entry = FullEntry("bill-1");

        Assert.Empty(await stores.Ledger.SaveAsync([entry]));

        AssertEntry(entry, await stores.Ledger.GetAsync(entry.Key), version: 1);
    }

    /// <summary>Nulls and empty collections survive a save and a read.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Save_entry_with_nulls_and_empty_collections_round_trips()
    {
        await using var stores = await CreateStoresAsync();
        var bare = new LedgerEntry { TenantId = "tenant-a", Kind = RecordKind.Contact, SourceId = "c-1", State = LedgerState.Pending };
        var minimalError = NewEntry("inv-1") with
        {
            State = LedgerState.RetryScheduled,
            Error = new SyncError { Category = "Custom", Disposition = ErrorDisposition.RetryLater, Reason = "r", Message = "m" },
        };

        Assert.Empty(await stores.Ledger.SaveAsync([bare, minimalError]));

        AssertEntry(bare, await stores.Ledger.GetAsync(bare.Key), version: 1);
        AssertEntry(minimalError, await stores.Ledger.GetAsync(minimalError.Key), version: 1);
    }

    /// <summary>A key never saved reads as null.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Get_unknown_key_returns_null()
    {
        await using var stores = await CreateStoresAsync();

        Assert.Null(await stores.Ledger.GetAsync(new LedgerKey("tenant-a", RecordKind.Invoice, "nope")));
    }

    /// <summary>Saving at the stored version writes the entry and increments its version.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Save_at_current_version_updates_and_increments_version()
    {
        await using var stores = await CreateStoresAsync();
        await stores.Ledger.SaveAsync([NewEntry("inv-1")]);
        var stored = (await stores.Ledger.GetAsync(NewEntry("inv-1").Key))!;

        var changed = stored with { State = LedgerState.Synced, RemoteId = "remote-1", SyncedHash = "h", SyncedAt = T0.AddMinutes(1) };
        Assert.Empty(await stores.Ledger.SaveAsync([changed]));
        var again = (await stores.Ledger.GetAsync(changed.Key))!;
        Assert.Empty(await stores.Ledger.SaveAsync([again with { Attempts = 7 }]));

        AssertEntry(again with { Attempts = 7 }, await stores.Ledger.GetAsync(changed.Key), version: 3);
    }

    /// <summary>Saving with a stale version reports the key and leaves the stored row as it was.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Save_with_stale_version_reports_key_and_leaves_row_unchanged()
    {
        await using var stores = await CreateStoresAsync();
        var entry = NewEntry("inv-1");
        await stores.Ledger.SaveAsync([entry]);
        var v1 = (await stores.Ledger.GetAsync(entry.Key))!;
        await stores.Ledger.SaveAsync([v1 with { DisplayName = "first writer" }]);

        var conflicts = await stores.Ledger.SaveAsync([v1 with { DisplayName = "second writer" }]);

        Assert.Equal([entry.Key], conflicts);
        var stored = await stores.Ledger.GetAsync(entry.Key);
        AssertEntry(v1 with { DisplayName = "first writer" }, stored, version: 2);
    }

    /// <summary>A new entry (version 0) whose key already exists is a conflict.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Save_new_entry_whose_key_exists_reports_conflict()
    {
        await using var stores = await CreateStoresAsync();
        var entry = NewEntry("inv-1");
        await stores.Ledger.SaveAsync([entry]);

        var conflicts = await stores.Ledger.SaveAsync([entry with { DisplayName = "duplicate" }]);

        Assert.Equal([entry.Key], conflicts);
        AssertEntry(entry, await stores.Ledger.GetAsync(entry.Key), version: 1);
    }

    /// <summary>An update of an entry that was never saved is a conflict and creates nothing.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Save_update_of_missing_entry_reports_conflict()
    {
        await using var stores = await CreateStoresAsync();
        var entry = NewEntry("inv-1") with { Version = 4 };

        Assert.Equal([entry.Key], await stores.Ledger.SaveAsync([entry]));
        Assert.Null(await stores.Ledger.GetAsync(entry.Key));
    }

    /// <summary>In a batch, conflicting entries are reported and skipped while the others are written.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Save_batch_with_partial_conflicts_writes_the_others()
    {
        await using var stores = await CreateStoresAsync();
        await stores.Ledger.SaveAsync([NewEntry("a"), NewEntry("b")]);
        var a = (await stores.Ledger.GetAsync(NewEntry("a").Key))!;

        var conflicts = await stores.Ledger.SaveAsync(
        [
            a with { State = LedgerState.Synced },            // ok: current version
            NewEntry("b") with { DisplayName = "dup" },        // conflict: exists
            NewEntry("c"),                                     // ok: new
            NewEntry("d") with { Version = 2 },                // conflict: missing
        ]);

        Assert.Equal([NewEntry("b").Key, NewEntry("d").Key], conflicts.OrderBy(k => k.SourceId, StringComparer.Ordinal));
        AssertEntry(a with { State = LedgerState.Synced }, await stores.Ledger.GetAsync(a.Key), version: 2);
        AssertEntry(NewEntry("b"), await stores.Ledger.GetAsync(NewEntry("b").Key), version: 1);
        AssertEntry(NewEntry("c"), await stores.Ledger.GetAsync(NewEntry("c").Key), version: 1);
        Assert.Null(await stores.Ledger.GetAsync(NewEntry("d").Key));
    }

    /// <summary>Saving nothing is allowed and reports nothing.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Save_empty_batch_reports_no_conflicts()
    {
        await using var stores = await CreateStoresAsync();

        Assert.Empty(await stores.Ledger.SaveAsync([]));
    }

    /// <summary>A thousand entries are saved in one call.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Save_thousand_entries_in_one_call_stores_them_all()
    {
        await using var stores = await CreateStoresAsync();
        var entries = Enumerable.Range(0, 1000).Select(i => NewEntry($"inv-{i:D4}") with { DisplayName = $"INV-{i}" }).ToList();

        Assert.Empty(await stores.Ledger.SaveAsync(entries));

        var counts = await stores.Ledger.CountAsync("tenant-a");
        Assert.Equal(1000, counts.ByState[LedgerState.Pending]);
        AssertEntry(entries[777], await stores.Ledger.GetAsync(entries[777].Key), version: 1);
    }

    /// <summary>GetMany returns the entries found, keyed by source id, and only of the tenant and kind asked for.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task GetMany_returns_found_entries_of_tenant_and_kind()
    {
        await using var stores = await CreateStoresAsync();
        await stores.Ledger.SaveAsync(
        [
            NewEntry("1"), NewEntry("2"), NewEntry("3"),
            NewEntry("2", RecordKind.CreditNote),
            NewEntry("3", tenantId: "tenant-b"),
        ]);

        var found = await stores.Ledger.GetManyAsync("tenant-a", RecordKind.Invoice, ["2", "3", "missing"]);

        Assert.Equal(["2", "3"], found.Keys.Order(StringComparer.Ordinal));
        AssertEntry(NewEntry("2"), found["2"], version: 1);
        Assert.Equal("tenant-a", found["3"].TenantId);
        Assert.Empty(await stores.Ledger.GetManyAsync("tenant-a", RecordKind.Invoice, []));
    }

    /// <summary>The same source id under another tenant or kind is a separate entry.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Entries_are_isolated_by_tenant_and_kind()
    {
        await using var stores = await CreateStoresAsync();
        var a = NewEntry("X-1") with { DisplayName = "a" };
        var b = NewEntry("X-1", tenantId: "tenant-b") with { DisplayName = "b" };
        var c = NewEntry("X-1", RecordKind.Payment) with { DisplayName = "c" };

        Assert.Empty(await stores.Ledger.SaveAsync([a, b, c]));

        Assert.Equal("a", (await stores.Ledger.GetAsync(a.Key))!.DisplayName);
        Assert.Equal("b", (await stores.Ledger.GetAsync(b.Key))!.DisplayName);
        Assert.Equal("c", (await stores.Ledger.GetAsync(c.Key))!.DisplayName);
        Assert.Null(await stores.Ledger.GetAsync(new LedgerKey("tenant-a", RecordKind.Invoice, "x-1")));
    }

    /// <summary>A query returns the tenant's entries ordered by kind then by source id (ordinal).</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Query_orders_by_kind_then_source_id_ordinal()
    {
        await using var stores = await CreateStoresAsync();
        await stores.Ledger.SaveAsync(
        [
            NewEntry("b", RecordKind.Payment), NewEntry("B"), NewEntry("a"), NewEntry("a10"), NewEntry("a9"),
            NewEntry("z", RecordKind.Contact), NewEntry("other", tenantId: "tenant-b"),
        ]);

        var page = await stores.Ledger.QueryAsync(new LedgerQuery { TenantId = "tenant-a" });

        Assert.Equal(
            ["Contact/z", "Invoice/B", "Invoice/a", "Invoice/a10", "Invoice/a9", "Payment/b"],
            page.Entries.Select(e => $"{e.Kind}/{e.SourceId}"));
        Assert.Null(page.ContinuationToken);
    }

    /// <summary>Each filter of <see cref="LedgerQuery"/> selects what it says.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Query_applies_every_filter()
    {
        await using var stores = await CreateStoresAsync();
        var lockError = FullEntry("x").Error!;
        await stores.Ledger.SaveAsync(
        [
            NewEntry("pending") with { RunId = "run-1" },
            NewEntry("failed") with { State = LedgerState.Failed, Error = lockError, RunId = "run-2" },
            NewEntry("retry-due") with { State = LedgerState.RetryScheduled, NextAttemptAt = T0, Error = lockError with { Category = ErrorCategories.RateLimit } },
            NewEntry("retry-later") with { State = LedgerState.RetryScheduled, NextAttemptAt = T0.AddTicks(TimeSpan.TicksPerMillisecond) },
            NewEntry("unmapped", RecordKind.Bill) with { State = LedgerState.Unmapped, MissingMapping = "Account:4000" },
            NewEntry("unmapped-tax", RecordKind.Bill) with { State = LedgerState.Unmapped, MissingMapping = "TaxRate:GST" },
            NewEntry("synced", RecordKind.Contact) with { State = LedgerState.Synced, RunId = "run-1" },
            NewEntry("failed", tenantId: "tenant-b") with { State = LedgerState.Failed, Error = lockError },
        ]);

        async Task<string[]> Ids(LedgerQuery query) =>
            [.. (await stores.Ledger.QueryAsync(query)).Entries.Select(e => e.SourceId)];

        Assert.Equal(["failed", "unmapped", "unmapped-tax"], await Ids(new() { TenantId = "tenant-a", States = [LedgerState.Failed, LedgerState.Unmapped] }));
        Assert.Equal(["synced", "unmapped", "unmapped-tax"], await Ids(new() { TenantId = "tenant-a", Kinds = [RecordKind.Bill, RecordKind.Contact] }));
        Assert.Equal(["failed"], await Ids(new() { TenantId = "tenant-a", ErrorCategory = ErrorCategories.LockDates }));
        Assert.Equal(["unmapped"], await Ids(new() { TenantId = "tenant-a", MissingMapping = "Account:4000" }));
        Assert.Equal(
            ["failed", "retry-due", "retry-later", "unmapped", "unmapped-tax"],
            await Ids(new() { TenantId = "tenant-a", NotTouchedByRunId = "run-1" }));
        Assert.Equal(["synced", "pending"], await Ids(new() { TenantId = "tenant-a", TouchedByRunId = "run-1" }));
        Assert.Empty(await Ids(new() { TenantId = "tenant-a", TouchedByRunId = "run-9" }));
        Assert.Equal(
            ["synced", "failed", "pending", "retry-due", "unmapped", "unmapped-tax"],
            await Ids(new() { TenantId = "tenant-a", DueAt = T0 }));
        Assert.Equal(
            ["retry-due"],
            await Ids(new() { TenantId = "tenant-a", States = [LedgerState.RetryScheduled], Kinds = [RecordKind.Invoice], DueAt = T0, NotTouchedByRunId = "run-2" }));
        Assert.Equal(["failed"], await Ids(new() { TenantId = "tenant-b" }));
        Assert.Empty(await Ids(new() { TenantId = "tenant-c" }));
    }

    /// <summary>Keyset paging visits every matching entry exactly once, across kinds, and ends with a null token.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Query_pages_through_all_matches_without_duplicates_or_misses()
    {
        await using var stores = await CreateStoresAsync();
        var entries = new List<LedgerEntry>();
        foreach (var kind in new[] { RecordKind.Contact, RecordKind.Invoice, RecordKind.Payment })
        {
            for (var i = 0; i < 23; i++)
            {
                entries.Add(NewEntry($"{kind}-{i}", kind) with { State = i % 3 == 0 ? LedgerState.Synced : LedgerState.Failed });
            }
        }

        await stores.Ledger.SaveAsync(entries);
        var expected = entries.Where(e => e.State == LedgerState.Failed)
            .OrderBy(e => e.Kind).ThenBy(e => e.SourceId, StringComparer.Ordinal)
            .Select(e => e.Key).ToList();

        var seen = new List<LedgerKey>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await stores.Ledger.QueryAsync(new LedgerQuery
            {
                TenantId = "tenant-a", States = [LedgerState.Failed], PageSize = 7, ContinuationToken = token,
            });
            Assert.True(page.Entries.Count <= 7);
            seen.AddRange(page.Entries.Select(e => e.Key));
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null && pages < 100);

        Assert.Equal(expected, seen);
        Assert.Equal((expected.Count + 6) / 7, pages);
    }

    /// <summary>When the matches fill the pages exactly, the last full page carries no token.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Query_exact_multiple_of_page_size_ends_without_token()
    {
        await using var stores = await CreateStoresAsync();
        await stores.Ledger.SaveAsync([.. Enumerable.Range(0, 10).Select(i => NewEntry($"e{i}"))]);

        var first = await stores.Ledger.QueryAsync(new LedgerQuery { TenantId = "tenant-a", PageSize = 5 });
        var second = await stores.Ledger.QueryAsync(new LedgerQuery { TenantId = "tenant-a", PageSize = 5, ContinuationToken = first.ContinuationToken });

        Assert.NotNull(first.ContinuationToken);
        Assert.Equal(5, second.Entries.Count);
        Assert.Null(second.ContinuationToken);
    }

    /// <summary>An entry saved behind the cursor is not returned again and one ahead of it is found.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Query_keyset_paging_is_stable_under_inserts()
    {
        await using var stores = await CreateStoresAsync();
        await stores.Ledger.SaveAsync([NewEntry("b"), NewEntry("d"), NewEntry("f")]);
        var first = await stores.Ledger.QueryAsync(new LedgerQuery { TenantId = "tenant-a", PageSize = 2 });

        await stores.Ledger.SaveAsync([NewEntry("a"), NewEntry("e")]);
        var second = await stores.Ledger.QueryAsync(new LedgerQuery { TenantId = "tenant-a", PageSize = 2, ContinuationToken = first.ContinuationToken });

        Assert.Equal(["b", "d"], first.Entries.Select(e => e.SourceId));
        Assert.Equal(["e", "f"], second.Entries.Select(e => e.SourceId));
        Assert.Null(second.ContinuationToken);
    }

    /// <summary>Page sizes outside 1–1000 are refused.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Query_with_page_size_out_of_range_throws()
    {
        await using var stores = await CreateStoresAsync();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => stores.Ledger.QueryAsync(new LedgerQuery { TenantId = "tenant-a", PageSize = 0 }));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => stores.Ledger.QueryAsync(new LedgerQuery { TenantId = "tenant-a", PageSize = 1001 }));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => stores.Ledger.QueryAsync(new LedgerQuery { TenantId = "tenant-a", ContinuationToken = "not a token" }));
    }

    /// <summary>Counts group the tenant's entries by state and, for entries with an error, by category.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Count_groups_by_state_and_error_category()
    {
        await using var stores = await CreateStoresAsync();
        var error = FullEntry("x").Error!;
        await stores.Ledger.SaveAsync(
        [
            NewEntry("1"), NewEntry("2"),
            NewEntry("3") with { State = LedgerState.Failed, Error = error },
            NewEntry("4") with { State = LedgerState.Failed, Error = error },
            NewEntry("5") with { State = LedgerState.RetryScheduled, Error = error with { Category = ErrorCategories.RateLimit } },
            NewEntry("6") with { State = LedgerState.Synced },
            NewEntry("7", tenantId: "tenant-b") with { State = LedgerState.Failed, Error = error },
        ]);

        var counts = await stores.Ledger.CountAsync("tenant-a");

        Assert.Equal(
            new Dictionary<LedgerState, int> { [LedgerState.Pending] = 2, [LedgerState.Failed] = 2, [LedgerState.RetryScheduled] = 1, [LedgerState.Synced] = 1 },
            counts.ByState.OrderBy(p => p.Key).ToDictionary());
        Assert.Equal(
            new Dictionary<string, int> { [ErrorCategories.LockDates] = 2, [ErrorCategories.RateLimit] = 1 },
            counts.ByCategory.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary());
    }

    /// <summary>A tenant without entries counts nothing.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Count_of_unknown_tenant_is_empty()
    {
        await using var stores = await CreateStoresAsync();

        var counts = await stores.Ledger.CountAsync("nobody");

        Assert.Empty(counts.ByState);
        Assert.Empty(counts.ByCategory);
    }

    /// <summary>The same key twice in one batch: the second is a conflict because the first already wrote it.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Save_same_key_twice_in_one_batch_reports_second_as_conflict()
    {
        await using var stores = await CreateStoresAsync();
        var first = NewEntry("inv-1") with { DisplayName = "first" };

        var conflicts = await stores.Ledger.SaveAsync([first, NewEntry("inv-1") with { DisplayName = "second" }]);

        Assert.Equal([first.Key], conflicts);
        AssertEntry(first, await stores.Ledger.GetAsync(first.Key), version: 1);
    }

    /// <summary>The outcome-pending flag survives a save and a read, set and then cleared by a later save.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Save_outcome_pending_round_trips_set_and_cleared()
    {
        await using var stores = await CreateStoresAsync();
        var entry = NewEntry("inv-1") with { OutcomePending = true };
        await stores.Ledger.SaveAsync([entry]);
        var pending = await stores.Ledger.GetAsync(entry.Key);

        Assert.Empty(await stores.Ledger.SaveAsync([pending! with { OutcomePending = false }]));

        Assert.True(pending.OutcomePending);
        AssertEntry(entry with { OutcomePending = false }, await stores.Ledger.GetAsync(entry.Key), version: 2);
    }

    /// <summary>The outcome-pending filter selects the tenant's entries whose flag has the value asked for; without it, all.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Query_filters_by_outcome_pending()
    {
        await using var stores = await CreateStoresAsync();
        await stores.Ledger.SaveAsync(
        [
            NewEntry("told"),
            NewEntry("untold") with { OutcomePending = true },
            NewEntry("untold-contact", RecordKind.Contact) with { OutcomePending = true, State = LedgerState.Synced },
            NewEntry("untold", tenantId: "tenant-b") with { OutcomePending = true },
        ]);

        async Task<string[]> Ids(LedgerQuery query) =>
            [.. (await stores.Ledger.QueryAsync(query)).Entries.Select(e => e.SourceId)];

        Assert.Equal(["untold-contact", "untold"], await Ids(new() { TenantId = "tenant-a", OutcomePending = true }));
        Assert.Equal(["told"], await Ids(new() { TenantId = "tenant-a", OutcomePending = false }));
        Assert.Equal(["untold"], await Ids(new() { TenantId = "tenant-a", OutcomePending = true, Kinds = [RecordKind.Invoice] }));
        Assert.Equal(["untold-contact", "told", "untold"], await Ids(new() { TenantId = "tenant-a" }));
    }

    /// <summary>FindOwners returns, by remote id, the key of the entry that holds it; ids no entry holds are absent.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task FindOwners_returns_key_of_entry_holding_each_remote_id()
    {
        await using var stores = await CreateStoresAsync();
        await stores.Ledger.SaveAsync(
        [
            NewEntry("inv-1") with { RemoteId = "remote-1" },
            NewEntry("inv-2") with { RemoteId = "remote-2" },
            NewEntry("inv-3") with { RemoteId = "remote-3" },
        ]);

        var owners = await stores.Ledger.FindOwnersAsync("tenant-a", RecordKind.Invoice, ["remote-1", "remote-3", "remote-9"]);

        Assert.Equal(
            new Dictionary<string, LedgerKey> { ["remote-1"] = NewEntry("inv-1").Key, ["remote-3"] = NewEntry("inv-3").Key },
            owners.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary());
    }

    /// <summary>The same remote id held by another tenant's entry, or by an entry of another kind, has no owner here.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task FindOwners_ignores_other_tenants_and_kinds()
    {
        await using var stores = await CreateStoresAsync();
        await stores.Ledger.SaveAsync(
        [
            NewEntry("inv-1", tenantId: "tenant-b") with { RemoteId = "remote-1" },
            NewEntry("bill-1", RecordKind.Bill) with { RemoteId = "remote-1" },
            NewEntry("inv-2") with { RemoteId = "remote-2" },
        ]);

        var owners = await stores.Ledger.FindOwnersAsync("tenant-a", RecordKind.Invoice, ["remote-1", "remote-2"]);

        Assert.Equal(["remote-2"], owners.Keys);
        Assert.Equal(NewEntry("inv-2").Key, owners["remote-2"]);
    }

    /// <summary>An entry without a remote id owns nothing, not even an id equal to its source id.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task FindOwners_ignores_entries_without_remote_id()
    {
        await using var stores = await CreateStoresAsync();
        await stores.Ledger.SaveAsync([NewEntry("inv-1"), NewEntry("inv-2") with { State = LedgerState.Failed }]);

        Assert.Empty(await stores.Ledger.FindOwnersAsync("tenant-a", RecordKind.Invoice, ["inv-1", "inv-2", string.Empty]));
    }

    /// <summary>Asking about no ids answers an empty map.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task FindOwners_of_no_ids_is_empty()
    {
        await using var stores = await CreateStoresAsync();
        await stores.Ledger.SaveAsync([NewEntry("inv-1") with { RemoteId = "remote-1" }]);

        Assert.Empty(await stores.Ledger.FindOwnersAsync("tenant-a", RecordKind.Invoice, []));
    }

    /// <summary>Should two entries hold one remote id, the one with the lowest source id (ordinal) is its owner.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task FindOwners_of_id_held_twice_returns_lowest_source_id()
    {
        await using var stores = await CreateStoresAsync();
        await stores.Ledger.SaveAsync(
        [
            NewEntry("inv-b") with { RemoteId = "remote-1" },
            NewEntry("inv-a") with { RemoteId = "remote-1" },
            NewEntry("INV-c") with { RemoteId = "remote-1" },
        ]);

        var owners = await stores.Ledger.FindOwnersAsync("tenant-a", RecordKind.Invoice, ["remote-1"]);

        Assert.Equal(NewEntry("INV-c").Key, Assert.Single(owners).Value);
    }

    /// <summary>A list of 1,200 ids (more than any one statement of a store takes), repeats included, finds every owner.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task FindOwners_with_1200_ids_finds_every_owner()
    {
        await using var stores = await CreateStoresAsync();
        var held = Enumerable.Range(0, 1100).Select(i => NewEntry($"inv-{i:D4}") with { RemoteId = $"remote-{i:D4}" }).ToList();
        Assert.Empty(await stores.Ledger.SaveAsync(held));
        List<string> ids = [.. held.Select(e => e.RemoteId!), .. Enumerable.Range(0, 90).Select(i => $"unknown-{i}"), .. held.Take(10).Select(e => e.RemoteId!)];

        var owners = await stores.Ledger.FindOwnersAsync("tenant-a", RecordKind.Invoice, ids);

        Assert.Equal(1200, ids.Count);
        Assert.Equal(held.Count, owners.Count);
        Assert.All(held, e => Assert.Equal(e.Key, owners[e.RemoteId!]));
    }

    /// <summary>Acknowledging an entry's outcome clears its flag and leaves its version and every other field as they were.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task AcknowledgeOutcomes_clears_flag_without_changing_version()
    {
        await using var stores = await CreateStoresAsync();
        var entry = FullEntry("bill-1");
        await stores.Ledger.SaveAsync([entry]);
        var read = (await stores.Ledger.GetAsync(entry.Key))!;

        await stores.Ledger.AcknowledgeOutcomesAsync([read]);

        AssertEntry(entry with { OutcomePending = false }, await stores.Ledger.GetAsync(entry.Key), version: 1);
    }

    /// <summary>An entry saved again since it was read (its version differs) keeps its flag; the others in the call are cleared.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task AcknowledgeOutcomes_leaves_entry_changed_since_flagged()
    {
        await using var stores = await CreateStoresAsync();
        await stores.Ledger.SaveAsync([NewEntry("inv-1") with { OutcomePending = true }, NewEntry("inv-2") with { OutcomePending = true }]);
        var read = await stores.Ledger.GetManyAsync("tenant-a", RecordKind.Invoice, ["inv-1", "inv-2"]);
        await stores.Ledger.SaveAsync([read["inv-2"] with { State = LedgerState.Failed }]);

        await stores.Ledger.AcknowledgeOutcomesAsync([read["inv-1"], read["inv-2"]]);

        AssertEntry(read["inv-1"] with { OutcomePending = false }, await stores.Ledger.GetAsync(read["inv-1"].Key), version: 1);
        AssertEntry(read["inv-2"] with { State = LedgerState.Failed }, await stores.Ledger.GetAsync(read["inv-2"].Key), version: 2);
    }

    /// <summary>A writer holding the entry read before the acknowledgement can still save it: acknowledging is not a change.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task AcknowledgeOutcomes_does_not_make_a_held_read_stale()
    {
        await using var stores = await CreateStoresAsync();
        await stores.Ledger.SaveAsync([NewEntry("inv-1") with { OutcomePending = true }]);
        var read = (await stores.Ledger.GetAsync(NewEntry("inv-1").Key))!;
        await stores.Ledger.AcknowledgeOutcomesAsync([read]);

        Assert.Empty(await stores.Ledger.SaveAsync([read with { State = LedgerState.Synced, OutcomePending = true }]));

        AssertEntry(read with { State = LedgerState.Synced, OutcomePending = true }, await stores.Ledger.GetAsync(read.Key), version: 2);
    }

    /// <summary>Acknowledging an entry that was never saved, or nothing at all, writes nothing and does not fail.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task AcknowledgeOutcomes_of_unknown_entry_or_none_writes_nothing()
    {
        await using var stores = await CreateStoresAsync();

        await stores.Ledger.AcknowledgeOutcomesAsync([NewEntry("ghost") with { OutcomePending = true, Version = 1 }]);
        await stores.Ledger.AcknowledgeOutcomesAsync([]);

        Assert.Null(await stores.Ledger.GetAsync(NewEntry("ghost").Key));
    }

    /// <summary>A cancelled token stops FindOwners and AcknowledgeOutcomes; the flag stays set.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task FindOwners_and_AcknowledgeOutcomes_with_cancelled_token_throw_and_write_nothing()
    {
        await using var stores = await CreateStoresAsync();
        await stores.Ledger.SaveAsync([NewEntry("inv-1") with { RemoteId = "remote-1", OutcomePending = true }]);
        var read = (await stores.Ledger.GetAsync(NewEntry("inv-1").Key))!;
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stores.Ledger.FindOwnersAsync("tenant-a", RecordKind.Invoice, ["remote-1"], cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stores.Ledger.AcknowledgeOutcomesAsync([read], cancelled.Token));

        Assert.True((await stores.Ledger.GetAsync(read.Key))!.OutcomePending);
    }

    /// <summary>A cancelled token stops reads and writes; nothing is written.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Operations_with_cancelled_token_throw_and_write_nothing()
    {
        await using var stores = await CreateStoresAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stores.Ledger.SaveAsync([NewEntry("inv-1")], cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stores.Ledger.GetAsync(NewEntry("inv-1").Key, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stores.Ledger.QueryAsync(new LedgerQuery { TenantId = "tenant-a" }, cancelled.Token));

        Assert.Null(await stores.Ledger.GetAsync(NewEntry("inv-1").Key));
    }

    /// <summary>Eight callers saving different entries at once all succeed.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Parallel_saves_of_different_entries_all_succeed()
    {
        await using var stores = await CreateStoresAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            var conflicts = new List<LedgerKey>();
            for (var i = 0; i < 10; i++)
            {
                conflicts.AddRange(await stores.Ledger.SaveAsync([NewEntry($"t{t}-{i}"), NewEntry($"t{t}-{i}", RecordKind.Contact)]));
            }

            return conflicts;
        })));

        Assert.All(results, Assert.Empty);
        var counts = await stores.Ledger.CountAsync("tenant-a");
        Assert.Equal(160, counts.ByState[LedgerState.Pending]);
    }

    /// <summary>Eight callers updating one entry from the same version: exactly one wins.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Parallel_updates_from_same_version_exactly_one_wins()
    {
        await using var stores = await CreateStoresAsync();
        await stores.Ledger.SaveAsync([NewEntry("inv-1")]);
        var v1 = (await stores.Ledger.GetAsync(NewEntry("inv-1").Key))!;

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
            stores.Ledger.SaveAsync([v1 with { DisplayName = $"writer-{t}" }]))));

        Assert.Equal(1, results.Count(r => r.Count == 0));
        var stored = (await stores.Ledger.GetAsync(v1.Key))!;
        Assert.Equal(2, stored.Version);
        Assert.Equal($"writer-{Array.FindIndex(results, r => r.Count == 0)}", stored.DisplayName);
    }
}
