using SyncKit.Records;
using SyncKit.Storage;
using Xunit;

namespace SyncKit.Testing.Storage;

/// <summary>The behaviour every <see cref="InboundStore"/> must show.</summary>
/// <param name="fixture">The provider's fixture.</param>
public abstract class InboundStoreContract(StoreFixture fixture) : StoreContract(fixture)
{
    /// <summary>A pulled record with every field set.</summary>
    /// <param name="remoteId">The ledger id.</param>
    /// <param name="state">The state.</param>
    /// <param name="kind">The kind.</param>
    /// <param name="tenantId">The tenant.</param>
    /// <returns>The record.</returns>
    protected static InboundRecord FullRecord(string remoteId, InboundState state = InboundState.NeedsReconciliation, RecordKind kind = RecordKind.Payment, string tenantId = "tenant-a") => new()
    {
        TenantId = tenantId,
        Kind = kind,
        RemoteId = remoteId,
        State = state,
        HostId = "host-" + remoteId,
        ParentHostId = "inv-" + remoteId,
        Candidates = ["inv-1", "inv-2 — Ünïcødé"],
        Message = "2 open invoices of Acme have exactly 110.00 outstanding; choose the one it pays.",
        DisplayName = "110.00 on INV-0001",
        RemoteUpdatedAt = T0.AddMinutes(-3),
        PayloadJson = "{\"RemoteId\":\"" + remoteId + "\",\"Amount\":110.00}",
        Attempts = 2,
        CreatedAt = T0.AddDays(-1),
        UpdatedAt = T0,
    };

    /// <summary>A cursor before the first pull is absent.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Cursor_before_the_first_pull_is_null()
    {
        await using var stores = await CreateStoresAsync();
        Assert.Null(await stores.Inbound.GetCursorAsync("tenant-a", RecordKind.Contact));
    }

    /// <summary>Every field of a cursor survives a save and a read, and a second save replaces the first.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Save_cursor_round_trips_every_field_and_replaces()
    {
        await using var stores = await CreateStoresAsync();
        await stores.Inbound.SaveCursorAsync(new PullCursor { TenantId = "tenant-a", Kind = RecordKind.Payment, UpdatedAt = T0 });
        var cursor = new PullCursor
        {
            TenantId = "tenant-a",
            Kind = RecordKind.Payment,
            Watermark = T0.AddHours(-1),
            InProgress = true,
            InProgressSince = T0.AddHours(-1).AddMinutes(-5),
            NextPage = 7,
            MaxSeen = T0.AddMinutes(-2),
            PageToken = "bGlnaHQgd29y+/=",
            UpdatedAt = T0,
        };
        await stores.Inbound.SaveCursorAsync(cursor);

        var read = await stores.Inbound.GetCursorAsync("tenant-a", RecordKind.Payment);
        Assert.NotNull(read);
        Assert.Equal(cursor, read with { Watermark = read.Watermark?.ToUniversalTime(), InProgressSince = read.InProgressSince?.ToUniversalTime(), MaxSeen = read.MaxSeen?.ToUniversalTime(), UpdatedAt = read.UpdatedAt.ToUniversalTime() });
    }

    /// <summary>Cursors are kept per tenant and kind.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Cursors_are_kept_per_tenant_and_kind()
    {
        await using var stores = await CreateStoresAsync();
        await stores.Inbound.SaveCursorAsync(new PullCursor { TenantId = "tenant-a", Kind = RecordKind.Payment, NextPage = 3, UpdatedAt = T0 });
        Assert.Null(await stores.Inbound.GetCursorAsync("tenant-a", RecordKind.Contact));
        Assert.Null(await stores.Inbound.GetCursorAsync("tenant-b", RecordKind.Payment));
    }

    /// <summary>Every field of a pulled record survives a save and a read.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Save_record_round_trips_every_field()
    {
        await using var stores = await CreateStoresAsync();
        var record = FullRecord("pay-1");
        await stores.Inbound.SaveRecordAsync(record);

        var read = (await stores.Inbound.GetRecordsAsync("tenant-a", RecordKind.Payment, ["pay-1", "pay-missing"]))["pay-1"];
        AssertRecord(record, read);
    }

    /// <summary>Saving a record again replaces its state but keeps when it was first pulled.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Save_record_again_replaces_it_and_keeps_its_creation_time()
    {
        await using var stores = await CreateStoresAsync();
        await stores.Inbound.SaveRecordAsync(FullRecord("pay-1"));
        var applied = FullRecord("pay-1", InboundState.Applied) with { Candidates = [], Message = null, CreatedAt = T0.AddDays(5), UpdatedAt = T0.AddMinutes(1) };
        await stores.Inbound.SaveRecordAsync(applied);

        var read = (await stores.Inbound.GetRecordsAsync("tenant-a", RecordKind.Payment, ["pay-1"]))["pay-1"];
        AssertRecord(applied with { CreatedAt = T0.AddDays(-1) }, read);
    }

    /// <summary>Reading by ledger id finds only the tenant's and kind's records.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Get_records_finds_only_the_tenant_and_kind()
    {
        await using var stores = await CreateStoresAsync();
        await stores.Inbound.SaveRecordAsync(FullRecord("x", tenantId: "tenant-b"));
        await stores.Inbound.SaveRecordAsync(FullRecord("x", kind: RecordKind.Contact));
        Assert.Empty(await stores.Inbound.GetRecordsAsync("tenant-a", RecordKind.Payment, ["x"]));
        Assert.Empty(await stores.Inbound.GetRecordsAsync("tenant-a", RecordKind.Payment, []));
    }

    /// <summary>The list filters by state and pages by (kind, ledger id).</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task List_records_filters_by_state_and_pages_in_order()
    {
        await using var stores = await CreateStoresAsync();
        foreach (var id in new[] { "c", "a", "d", "b" })
        {
            await stores.Inbound.SaveRecordAsync(FullRecord(id));
        }

        await stores.Inbound.SaveRecordAsync(FullRecord("e", InboundState.Applied));
        await stores.Inbound.SaveRecordAsync(FullRecord("z", kind: RecordKind.Contact));
        await stores.Inbound.SaveRecordAsync(FullRecord("f", tenantId: "tenant-b"));

        var first = await stores.Inbound.ListRecordsAsync("tenant-a", [InboundState.NeedsReconciliation], 3);
        Assert.Equal([("z", RecordKind.Contact), ("a", RecordKind.Payment), ("b", RecordKind.Payment)], first.Select(r => (r.RemoteId, r.Kind)));
        var second = await stores.Inbound.ListRecordsAsync("tenant-a", [InboundState.NeedsReconciliation], 3, (first[^1].Kind, first[^1].RemoteId));
        Assert.Equal(["c", "d"], second.Select(r => r.RemoteId));
        var all = await stores.Inbound.ListRecordsAsync("tenant-a", [], 100);
        Assert.Equal(6, all.Count);
    }

    /// <summary>Asserts two records are equal field by field.</summary>
    /// <param name="expected">The expected record.</param>
    /// <param name="actual">The stored record.</param>
    protected static void AssertRecord(InboundRecord expected, InboundRecord? actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        Assert.NotNull(actual);
        Assert.Equal(expected.Candidates, actual.Candidates);
        Assert.Equal(expected.RemoteUpdatedAt.UtcTicks, actual.RemoteUpdatedAt.UtcTicks);
        Assert.Equal(expected.CreatedAt.UtcTicks, actual.CreatedAt.UtcTicks);
        Assert.Equal(expected.UpdatedAt.UtcTicks, actual.UpdatedAt.UtcTicks);
        Assert.Equal(
            expected with { Candidates = [], RemoteUpdatedAt = default, CreatedAt = default, UpdatedAt = default },
            actual with { Candidates = [], RemoteUpdatedAt = default, CreatedAt = default, UpdatedAt = default });
    }
}
