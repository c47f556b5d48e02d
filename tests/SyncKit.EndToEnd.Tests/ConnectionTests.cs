using SyncKit.Ledger;
using SyncKit.Records;
using SyncKit.Runs;
using SyncKit.Storage;
using SyncKit.Testing.Emulator;

namespace SyncKit.EndToEnd.Tests;

/// <summary>Tokens, connections and rate limits, against the emulator's identity server and limits.</summary>
public sealed class ConnectionTests
{
    [Fact]
    public async Task AccessTokenExpiringMidRun_IsRefreshed_AndTheRunCarriesOn()
    {
        // One call a minute: 1,500 invoices take ~40 minutes of virtual time, past the 30-minute access token.
        await using var h = await XeroHarness.CreateAsync(
            new EmulatorTenantOptions { Name = "Slow Lane Ltd", MinuteLimit = 1 },
            o => o.CallsPerMinutePerTenant = 1);
        Data.Load(h, customers: 1, invoices: 1500, items: 0, paymentEvery: 0);

        var run = await h.DriveSyncAsync();

        Assert.Equal(RunOutcome.Completed, run.Outcome);
        Assert.True(run.Duration > TimeSpan.FromMinutes(30), $"The run took {run.Duration} of virtual time.");
        Assert.True(h.TokenRequests >= 1, "The access token was refreshed.");
        Assert.All(await h.AllEntriesAsync(), e => Assert.Equal(LedgerState.Synced, e.State));

        // At one call a minute the lease heartbeat's timer can land virtual time on a minute boundary mid-answer: the
        // answer's X-MinLimit-Remaining belongs to the minute that ended and must not close the new one.
        Assert.Equal(0, h.RateLimited);
    }

    [Fact]
    public async Task TwoTenantsSharingOneConnection_RefreshingAtOnce_MakeOneTokenRequest()
    {
        await using var h = await XeroHarness.CreateAsync(xero: o => o.ConnectionKeyForTenant = _ => "user-connection");
        var second = await h.Emulator.CreateTenantAsync(new EmulatorTenantOptions { Name = "Second Org Ltd" });
        await h.ConsentAsync("user-connection", h.Tenant.TenantId, second.TenantId);
        h.Sources.Contacts.Put(h.TenantId, Data.Contact(1));
        h.Sources.Contacts.Put(second.TenantId.ToString(), Data.Contact(2));
        h.Time.Advance(TimeSpan.FromMinutes(31));
        var before = h.TokenRequests;

        var runs = await Task.WhenAll(
            h.Engine.SyncAsync(new SyncRequest { TenantId = h.TenantId }),
            h.Engine.SyncAsync(new SyncRequest { TenantId = second.TenantId.ToString() }));

        Assert.All(runs, r => Assert.Equal(RunOutcome.Completed, r.Outcome));
        Assert.Equal(1, h.TokenRequests - before);
    }

    [Fact]
    public async Task RefreshTokenReused_GetsInvalidGrant_DisconnectsTheTenant_AndLosesNothing()
    {
        await using var h = await XeroHarness.CreateAsync();
        Data.Load(h, customers: 3, invoices: 20, items: 0, paymentEvery: 0);

        // Another process refreshed with the same refresh token first: the one SyncKit holds is now spent.
        await RefreshElsewhereAsync(h);
        h.Time.Advance(TimeSpan.FromMinutes(31));
        var run = await h.SyncAsync();

        Assert.Equal(RunOutcome.Disconnected, run.Outcome);
        var status = await h.Engine.GetStatusAsync(h.TenantId);
        Assert.Equal(ConnectionState.Disconnected, status.Connection);
        Assert.False(string.IsNullOrWhiteSpace(status.ConnectionMessage));
        await AssertNothingLostAfterReconnectAsync(h, expectedRecords: 23);
    }

    [Fact]
    public async Task ConnectionDeletedInXero_Answers403_DisconnectsTheTenant_AndLosesNothing()
    {
        await using var h = await XeroHarness.CreateAsync();
        Data.Load(h, customers: 3, invoices: 20, items: 0, paymentEvery: 0);
        await h.RawAsync(HttpMethod.Delete, "connections/" + h.Tenant.ConnectionId);

        var run = await h.SyncAsync();

        Assert.Equal(RunOutcome.Disconnected, run.Outcome);
        var status = await h.Engine.GetStatusAsync(h.TenantId);
        Assert.Equal(ConnectionState.Disconnected, status.Connection);
        Assert.False(string.IsNullOrWhiteSpace(status.ConnectionMessage));
        await AssertNothingLostAfterReconnectAsync(h, expectedRecords: 23);
    }

    [Fact]
    public async Task GrantRevokedMidRun_Answers401ThenFailsToRefresh_DisconnectsTheTenant()
    {
        await using var h = await XeroHarness.CreateAsync();
        Data.Load(h, customers: 3, invoices: 20, items: 0, paymentEvery: 0);
        h.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.RevokeToken, Method = "PUT", Path = "/Invoices", Count = 1 });

        var run = await h.SyncAsync();

        Assert.Equal(RunOutcome.Disconnected, run.Outcome);
        Assert.Equal(ConnectionState.Disconnected, (await h.Engine.GetStatusAsync(h.TenantId)).Connection);
        await AssertNothingLostAfterReconnectAsync(h, expectedRecords: 23);
    }

    [Fact]
    public async Task DailyLimitSpent_PausesTheTenant_UntilTheLimitRefreshes_ThenTheNextRunCompletes()
    {
        await using var h = await XeroHarness.CreateAsync(new EmulatorTenantOptions { Name = "Busy Day Ltd", DayLimit = 8 });
        var data = Data.Load(h, customers: 2, invoices: 200, items: 0, paymentEvery: 0);

        var run = await h.SyncAsync();

        Assert.Equal(RunOutcome.Paused, run.Outcome);
        var status = await h.Engine.GetStatusAsync(h.TenantId);
        Assert.NotNull(status.PausedUntil);
        Assert.True(status.PausedUntil > h.Time.GetUtcNow().AddHours(20), $"Paused until {status.PausedUntil}.");
        Assert.StartsWith("Sync paused until " + status.PausedUntil.Value.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture), run.Message, StringComparison.Ordinal);
        Assert.Equal("Xero's daily call limit reached", status.PauseReason);
        var unsent = data.Invoices.Count - (await h.AllEntriesAsync(LedgerState.Synced)).Count(e => e.Kind == RecordKind.Invoice);
        Assert.True(unsent > 0);
        Assert.All(await h.AllEntriesAsync(), e => Assert.True(e.State is LedgerState.Synced or LedgerState.Pending, $"{e.SourceId}: {e.State}"));

        h.Time.Advance(status.PausedUntil.Value - h.Time.GetUtcNow() + TimeSpan.FromSeconds(1));
        h.Emulator.SetRateLimits(h.Tenant.TenantId, dayLimit: 5000);
        await ReconnectAsync(h);
        var next = await h.SyncAsync();

        Assert.Equal(RunOutcome.Completed, next.Outcome);
        Assert.Equal(data.Contacts.Count + data.Invoices.Count, (await h.AllEntriesAsync(LedgerState.Synced)).Count);
    }

    [Fact]
    public async Task MinuteLimit429s_AreWaitedOut_AndEveryRecordSyncs()
    {
        await using var h = await XeroHarness.CreateAsync();
        var data = Data.Load(h, customers: 5, invoices: 200, items: 0, paymentEvery: 4);
        h.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.RateLimit, RateLimitProblem = "minute", RetryAfterSeconds = 30, Path = "/Invoices", Method = "PUT", Count = 3 });

        var run = await h.DriveSyncAsync();

        Assert.Equal(RunOutcome.Completed, run.Outcome);
        Assert.Equal(3, h.Emulator.GetStats().RateLimited["minute"]);
        var entries = await h.AllEntriesAsync();
        Assert.Equal(data.Contacts.Count + data.Invoices.Count + data.Payments.Count, entries.Count);
        Assert.All(entries, e => Assert.Equal(LedgerState.Synced, e.State));
        Assert.Equal(data.Invoices.Count, h.Export().GetProperty("invoices").GetArrayLength());
    }

    /// <summary>Uses the refresh token SyncKit holds from outside SyncKit (another process), rotating it.</summary>
    private static async Task RefreshElsewhereAsync(XeroHarness h)
    {
        using var http = h.Emulator.CreateHttpClient();
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = h.Tenant.RefreshToken,
            ["client_id"] = h.Tenant.ClientId,
            ["client_secret"] = h.Tenant.ClientSecret,
        });
        using var response = await http.PostAsync("connect/token", content);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static Task ReconnectAsync(XeroHarness h) => h.ConsentAsync(h.TenantId, h.Tenant.TenantId);

    /// <summary>Nothing sent is lost: every record is still waiting, and after a reconnect the next run sends them all.</summary>
    private static async Task AssertNothingLostAfterReconnectAsync(XeroHarness h, int expectedRecords)
    {
        Assert.All(await h.AllEntriesAsync(), e => Assert.True(e.State is LedgerState.Pending or LedgerState.Synced, $"{e.SourceId}: {e.State} {e.Error?.Category}"));

        await ReconnectAsync(h);
        var run = await h.SyncAsync();

        Assert.Equal(RunOutcome.Completed, run.Outcome);
        Assert.Equal(ConnectionState.Connected, (await h.Engine.GetStatusAsync(h.TenantId)).Connection);
        var entries = await h.AllEntriesAsync();
        Assert.Equal(expectedRecords, entries.Count);
        Assert.All(entries, e => Assert.Equal(LedgerState.Synced, e.State));
        Assert.Equal(expectedRecords - 3, h.Export().GetProperty("invoices").GetArrayLength());
    }
}
