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

    private static long AccountBytes(XeroHarness h) =>
        h.Emulator.GetStats().Egress.Single().ByEndpoint.GetValueOrDefault("GET Accounts");

    private static int Calls(XeroHarness h, string endpoint) =>
        h.Emulator.GetStats().Calls[h.Tenant.TenantId].GetValueOrDefault(endpoint);

    [Fact]
    public async Task AScheduledRunAfterTheHour_AsksOnlyForTheAccountsChangedSince_AndXeroAnswersNone()
    {
        await using var h = await TenantAsync();

        // The organisation's accounts were set up a while before (a read starts five minutes early, for clock skew).
        h.Time.Advance(TimeSpan.FromMinutes(10));
        await ScheduledAsync(h);
        var firstRead = AccountBytes(h);
        h.Time.Advance(TimeSpan.FromMinutes(61));

        await ScheduledAsync(h);

        // The chart of accounts came once; the revalidation brought back an empty list. Tax rates take no header.
        Assert.Equal(2, AccountReads(h));
        Assert.True(AccountBytes(h) - firstRead < firstRead / 20, $"first read {firstRead} bytes, revalidation {AccountBytes(h) - firstRead} bytes");
        Assert.Equal(2, Calls(h, "GET TaxRates"));
    }

    [Fact]
    public async Task AnAccountArchivedInXero_ComesBackInTheRevalidation_SoARecordUsingItStopsBeforeAnyCall()
    {
        await using var h = await TenantAsync();
        h.Time.Advance(TimeSpan.FromMinutes(10));
        await ScheduledAsync(h);
        var firstRead = AccountBytes(h);
        h.Time.Advance(TimeSpan.FromMinutes(30));
        h.Emulator.ArchiveAccount(h.Tenant.TenantId, "400");
        h.Time.Advance(TimeSpan.FromMinutes(31));
        h.Sources.Invoices.Put(h.TenantId, Data.Invoice("archived-1", "ARCHIVED-1", "cust-0001", Data.Day, account: "400", tax: "NONE"));
        var writes = Calls(h, "PUT Invoices") + Calls(h, "POST Invoices");

        var run = await ScheduledAsync(h);

        // Only the archived account came back; it replaced its old self and the rest of the chart was kept.
        Assert.True(AccountBytes(h) - firstRead < firstRead / 5, $"first read {firstRead} bytes, revalidation {AccountBytes(h) - firstRead} bytes");
        var entry = await h.RequiredEntryAsync(RecordKind.Invoice, "archived-1");
        Assert.Equal(LedgerState.Failed, entry.State);
        Assert.Equal(ErrorCategories.AccountArchived, entry.Error!.Category);
        Assert.Equal(writes, Calls(h, "PUT Invoices") + Calls(h, "POST Invoices"));
        Assert.Equal(0, run.Counts.Sent);
    }

    [Fact]
    public async Task TheRevalidatedChartOfAccounts_KeepsTheAccountsThatDidNotChange()
    {
        await using var h = await TenantAsync();
        h.Time.Advance(TimeSpan.FromMinutes(10));
        await ScheduledAsync(h);
        h.Time.Advance(TimeSpan.FromMinutes(61));
        AddInvoice(h, "later-200", Data.Day);

        var run = await ScheduledAsync(h);

        Assert.Equal(RunOutcome.Completed, run.Outcome);
        Assert.Equal(LedgerState.Synced, (await h.RequiredEntryAsync(RecordKind.Invoice, "later-200")).State);
        Assert.Equal(2, AccountReads(h));
    }

    [Fact]
    public async Task ARunAUserStarts_ReadsTheWholeChartOfAccounts_NotOnlyWhatChanged()
    {
        await using var h = await TenantAsync();
        await ScheduledAsync(h);
        var firstRead = AccountBytes(h);
        h.Time.Advance(TimeSpan.FromMinutes(61));

        await h.DriveSyncAsync();

        Assert.Equal(2 * firstRead, AccountBytes(h));
    }
}
