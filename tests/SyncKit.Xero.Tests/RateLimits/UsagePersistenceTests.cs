using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SyncKit.Storage;
using SyncKit.Xero.RateLimits;
using SyncKit.Xero.Tests.Infrastructure;

namespace SyncKit.Xero.Tests.RateLimits;

/// <summary>What a tenant spent is aggregated in memory, written about once a minute, and taken up again after a restart.</summary>
public sealed class UsagePersistenceTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
    private readonly CountingUsageStore _store = new();

    private (XeroRateGovernor Governor, XeroUsage Usage) Process(int dayLimit = 100)
    {
        var options = Options.Create(TestConnector.Options(o => (o.DailyCallLimit, o.DailyCallReserve) = (dayLimit, 10)));
        var governor = new XeroRateGovernor(options, _time, _store);
        return (governor, new XeroUsage(governor, options, _time, _store));
    }

    private static async Task CallAsync(XeroRateGovernor governor, string tenant, int calls)
    {
        for (var i = 0; i < calls; i++)
        {
            using var lease = await governor.AcquireAsync(tenant);
            Assert.Null(lease.DayBlockedFor);
        }
    }

    [Fact]
    public async Task EgressOfManyCalls_IsWrittenAboutOnceAMinute_NotOncePerCall()
    {
        var (_, usage) = Process();

        for (var call = 0; call < 120; call++)
        {
            usage.RecordEgress("tenant-a", call % 2 == 0 ? "GET Invoices" : "PUT Invoices", 1_000);
            await usage.FlushIfDueAsync(CancellationToken.None);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        await usage.FlushAsync(CancellationToken.None);

        Assert.Equal(3, _store.EgressWrites);
        Assert.Equal(120_000, (await _store.GetEgressAsync("tenant-a", "2026-11")).Sum(e => e.Bytes));
    }

    [Fact]
    public async Task EgressNotYetWritten_IsInTheUsageAlready()
    {
        var (_, usage) = Process();
        usage.RecordEgress("tenant-a", "GET Accounts", 4_000);
        await usage.FlushAsync(CancellationToken.None);
        usage.RecordEgress("tenant-a", "GET Accounts", 500);

        var read = await usage.GetTenantUsageAsync("tenant-a");

        Assert.Equal(4_500, read.EgressBytes);
        Assert.Equal(4_500, read.EgressBytesByEndpoint["GET Accounts"]);
    }

    [Fact]
    public async Task ANewProcess_TakesUpTheDayWindowTheLastOneSaved()
    {
        var (governor, usage) = Process();
        await CallAsync(governor, "tenant-a", 7);
        await usage.FlushAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromHours(2));

        var (_, restarted) = Process();
        var read = await restarted.GetTenantUsageAsync("tenant-a");

        Assert.Equal(93, read.DailyCallsRemaining);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero), read.DayResetsAt);
    }

    [Fact]
    public async Task ANewProcess_WhoseSavedBudgetIsSpent_RefusesCallsUntilTheReset()
    {
        var (governor, usage) = Process(dayLimit: 20);
        await CallAsync(governor, "tenant-a", 20);
        await usage.FlushAsync(CancellationToken.None);

        var (restarted, _) = Process(dayLimit: 20);
        using var refused = await restarted.AcquireAsync("tenant-a");

        Assert.Equal(TimeSpan.FromDays(1), refused.DayBlockedFor);
    }

    [Fact]
    public async Task ADayWindowThatEndedBeforeTheRestart_IsNotTakenUp()
    {
        var (governor, usage) = Process();
        await CallAsync(governor, "tenant-a", 7);
        await usage.FlushAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));

        var (_, restarted) = Process();

        Assert.Equal(100, (await restarted.GetTenantUsageAsync("tenant-a")).DailyCallsRemaining);
    }

    [Fact]
    public async Task AWriteThatFails_KeepsItsCountsForTheNextOne()
    {
        var (governor, usage) = Process();
        await CallAsync(governor, "tenant-a", 3);
        usage.RecordEgress("tenant-a", "GET Invoices", 2_000);
        _store.FailNext = true;
        await usage.FlushAsync(CancellationToken.None);

        await usage.FlushAsync(CancellationToken.None);

        Assert.Equal(2_000, (await _store.GetEgressAsync("tenant-a", "2026-11")).Single().Bytes);
        Assert.Equal(97, (await _store.GetCallWindowAsync("tenant-a"))!.Remaining);
    }

    /// <summary>A usage store in memory that counts its egress writes and can fail one.</summary>
    private sealed class CountingUsageStore : UsageStore
    {
        private readonly Dictionary<(string, string, string), long> _egress = [];
        private readonly Dictionary<string, CallWindow> _windows = new(StringComparer.Ordinal);

        public int EgressWrites { get; private set; }

        public bool FailNext { get; set; }

        public override Task AddEgressAsync(IReadOnlyCollection<EgressCounter> increments, CancellationToken cancellationToken = default)
        {
            if (FailNext)
            {
                FailNext = false;
                throw new InvalidOperationException("The store is down.");
            }

            if (increments.Count > 0)
            {
                EgressWrites++;
            }

            foreach (var i in increments)
            {
                _egress[(i.TenantId, i.Month, i.Endpoint)] = _egress.GetValueOrDefault((i.TenantId, i.Month, i.Endpoint)) + i.Bytes;
            }

            return Task.CompletedTask;
        }

        public override Task<IReadOnlyList<EgressCounter>> GetEgressAsync(string tenantId, string month, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<EgressCounter>>(_egress
                .Where(e => e.Key.Item1 == tenantId && e.Key.Item2 == month)
                .Select(e => new EgressCounter { TenantId = tenantId, Month = month, Endpoint = e.Key.Item3, Bytes = e.Value })
                .ToArray());

        public override Task SaveCallWindowAsync(CallWindow window, CancellationToken cancellationToken = default)
        {
            _windows[window.TenantId] = window;
            return Task.CompletedTask;
        }

        public override Task<CallWindow?> GetCallWindowAsync(string tenantId, CancellationToken cancellationToken = default) =>
            Task.FromResult(_windows.GetValueOrDefault(tenantId));
    }
}
