using SyncKit.Errors;
using SyncKit.Ledger;
using SyncKit.Records;
using SyncKit.Runs;

namespace SyncKit.EndToEnd.Tests;

/// <summary>Reference data (accounts, tax rates, tracking, lock dates) is read once an hour by background runs, afresh for a user.</summary>
public sealed class ReferenceDataCacheTests
{
    private static int AccountReads(XeroHarness h) =>
        h.Emulator.GetStats().Calls[h.Tenant.TenantId].GetValueOrDefault("GET Accounts");

    private static Task<SyncRun> ScheduledAsync(XeroHarness h) =>
        h.DriveAsync(() => h.Engine.SyncAsync(new SyncRequest { TenantId = h.TenantId, Trigger = SyncTrigger.Scheduled }));

    private static void AddInvoice(XeroHarness h, string sourceId, DateOnly date) =>
        h.Sources.Invoices.Put(h.TenantId, Data.Invoice(sourceId, sourceId.ToUpperInvariant(), "cust-0001", date));

    private static async Task<XeroHarness> TenantAsync(Action<SyncOptions>? engine = null)
    {
        var h = await XeroHarness.CreateAsync(engine: engine);
        Data.Load(h, customers: 3, invoices: 5, items: 0, paymentEvery: 0);
        return h;
    }

    [Fact]
    public async Task ScheduledRunsWithinAnHour_ReadTheReferenceDataOnce()
    {
        await using var h = await TenantAsync();
        await ScheduledAsync(h);
        AddInvoice(h, "later-1", Data.Day);
        h.Time.Advance(TimeSpan.FromMinutes(20));

        var second = await ScheduledAsync(h);

        Assert.Equal(RunOutcome.Completed, second.Outcome);
        Assert.Equal(LedgerState.Synced, (await h.RequiredEntryAsync(RecordKind.Invoice, "later-1")).State);
        Assert.Equal(1, AccountReads(h));
    }

    [Fact]
    public async Task AScheduledRunAfterTheHour_ReadsTheReferenceDataAgain()
    {
        await using var h = await TenantAsync();
        await ScheduledAsync(h);
        h.Time.Advance(TimeSpan.FromMinutes(61));

        await ScheduledAsync(h);

        Assert.Equal(2, AccountReads(h));
    }

    [Fact]
    public async Task ARunAUserStarts_ReadsTheReferenceDataAfresh()
    {
        await using var h = await TenantAsync();
        await ScheduledAsync(h);

        await h.DriveSyncAsync();

        Assert.Equal(2, AccountReads(h));
    }

    [Fact]
    public async Task ARecordFailingForAReferenceDataReason_DropsTheCache_SoTheNextRunReadsAfresh()
    {
        await using var h = await TenantAsync();
        await ScheduledAsync(h);
        h.Emulator.SetLockDates(h.Tenant.TenantId, new DateOnly(2026, 10, 31), null);
        AddInvoice(h, "locked-1", new DateOnly(2026, 10, 15));

        // The cache does not know the new lock date yet: Xero refuses the invoice, and that drops the cache.
        var refused = await ScheduledAsync(h);
        AddInvoice(h, "locked-2", new DateOnly(2026, 10, 16));
        var next = await ScheduledAsync(h);

        Assert.Equal(RunOutcome.CompletedWithErrors, refused.Outcome);
        Assert.Equal(ErrorCategories.LockDates, (await h.RequiredEntryAsync(RecordKind.Invoice, "locked-1")).Error!.Category);
        Assert.Equal(2, AccountReads(h));

        // Read afresh, the lock date now stops the second invoice before any call.
        var second = await h.RequiredEntryAsync(RecordKind.Invoice, "locked-2");
        Assert.Equal(LedgerState.Failed, second.State);
        Assert.Equal(0, next.Counts.Sent);
    }

    [Fact]
    public async Task WithTheCacheTurnedOff_EveryRunReadsTheReferenceData()
    {
        await using var h = await TenantAsync(o => o.ReferenceDataMaxAge = TimeSpan.Zero);
        await ScheduledAsync(h);

        await ScheduledAsync(h);

        Assert.Equal(2, AccountReads(h));
    }
}
