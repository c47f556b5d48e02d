using Microsoft.Extensions.DependencyInjection;
using SyncKit.Offboarding;
using SyncKit.Records;
using SyncKit.Runs;
using SyncKit.Storage;
using SyncKit.Xero;

namespace SyncKit.AspNetCore.Tests.Connect;

public sealed class ConnectionLifecycleTests
{
    [Fact]
    public async Task ConnectedOrganisation_SyncsWithNoHostCode_ThroughTheConnectionRecordedAtConnect()
    {
        await using var host = await ConnectHost.StartAsync();
        await host.ConnectAsync(ConnectHost.Choose(host.Alpha, host.Beta));

        var run = await host.Engine.SyncAsync(new SyncRequest { TenantId = host.AlphaId, Kinds = [RecordKind.Contact] });

        Assert.Equal(RunOutcome.Completed, run.Outcome);
    }

    [Fact]
    public async Task SyncOfATenantNeverConnected_IsRefused_AndNothingIsStoredForIt()
    {
        await using var host = await ConnectHost.StartAsync();
        await host.ConnectAsync(ConnectHost.Choose(host.Alpha));
        var mistyped = Guid.NewGuid().ToString();

        var refused = await Assert.ThrowsAsync<UnknownTenantException>(() => host.Engine.SyncAsync(new SyncRequest { TenantId = mistyped }));

        Assert.Equal(mistyped, refused.TenantId);
        Assert.Null(await host.Tenants.GetAsync(mistyped));
        Assert.Empty(await host.Services.GetRequiredService<RunLog>().ListAsync(mistyped, 10));
        Assert.Null(await host.Tenants.GetLeaseAsync(mistyped, "sync"));
    }

    [Fact]
    public async Task TenantWhoseTokensTheHostSavedItself_IsStillKnown()
    {
        await using var host = await ConnectHost.StartAsync();
        await host.Authorization.SaveTokensAsync(host.AlphaId, new XeroTokenSet { AccessToken = host.Alpha.AccessToken, RefreshToken = host.Alpha.RefreshToken, ExpiresAt = ConnectHost.Start.AddMinutes(30) });

        var run = await host.Engine.SyncAsync(new SyncRequest { TenantId = host.AlphaId, Kinds = [RecordKind.Contact] });

        Assert.Equal(RunOutcome.Completed, run.Outcome);
    }

    [Fact]
    public async Task DisconnectKeepingData_RemovesTheConnectionAtXero_AndKeepsTheTenantsHistory()
    {
        await using var host = await ConnectHost.StartAsync();
        await host.ConnectAsync(ConnectHost.Choose(host.Alpha, host.Beta));
        await host.Engine.SyncAsync(new SyncRequest { TenantId = host.AlphaId, Kinds = [RecordKind.Contact] });
        var key = (await host.Tenants.GetAsync(host.AlphaId))!.ConnectionKey!;

        var done = await host.Authorization.DisconnectTenantAsync(host.AlphaId, TenantDataRetention.Keep);

        Assert.True(done.RemovedAtXero);
        Assert.False(done.TokensDeleted); // Beta still uses them
        Assert.Equal([host.BetaId], (await host.Authorization.GetConnectionsAsync(key)).Select(c => c.TenantId));
        var alpha = await host.Tenants.GetAsync(host.AlphaId);
        Assert.Equal(ConnectionState.Disconnected, alpha?.Connection);
        Assert.Single(await host.Engine.GetActivityAsync(host.AlphaId));
    }

    [Fact]
    public async Task Offboarding_RemovesTheConnectionAtXero_AndDeletesEverythingHeldForTheTenant()
    {
        await using var host = await ConnectHost.StartAsync();
        await host.ConnectAsync(ConnectHost.Choose(host.Alpha, host.Beta));
        await host.Engine.SyncAsync(new SyncRequest { TenantId = host.AlphaId, Kinds = [RecordKind.Contact] });
        await host.Engine.SetMappingAsync(host.AlphaId, Mapping.MappingKind.Account, "4000", "200");
        var key = (await host.Tenants.GetAsync(host.AlphaId))!.ConnectionKey!;

        var done = await host.Authorization.OffboardAsync(host.AlphaId);

        Assert.True(done.RemovedAtXero);
        Assert.Equal((true, 1, 1), (done.Erasure?.TenantRemoved, done.Erasure?.Runs, done.Erasure?.Mappings));
        Assert.Null(await host.Tenants.GetAsync(host.AlphaId));
        Assert.Empty(await host.Engine.GetActivityAsync(host.AlphaId));
        Assert.Equal([host.BetaId], (await host.Authorization.GetConnectionsAsync(key)).Select(c => c.TenantId));
        await Assert.ThrowsAsync<UnknownTenantException>(() => host.Engine.SyncAsync(new SyncRequest { TenantId = host.AlphaId }));
    }

    [Fact]
    public async Task OffboardingTheLastTenantOfAConnection_DeletesItsTokens()
    {
        await using var host = await ConnectHost.StartAsync();
        await host.ConnectAsync(ConnectHost.Choose(host.Alpha));
        var key = (await host.Tenants.GetAsync(host.AlphaId))!.ConnectionKey!;

        var done = await host.Authorization.OffboardAsync(host.AlphaId);

        Assert.True(done.TokensDeleted);
        Assert.Null(await host.Services.GetRequiredService<TokenStore>().GetAsync(key));
    }

    [Fact]
    public async Task OffboardingATenantAlreadyRemovedInXero_StillDeletesItsData()
    {
        await using var host = await ConnectHost.StartAsync();
        await host.ConnectAsync(ConnectHost.Choose(host.Alpha));
        var state = (await host.Tenants.GetAsync(host.AlphaId))!;
        await host.Authorization.DisconnectAsync(state.ConnectionKey!, state.ConnectionId!); // the user removed it in Xero's settings

        var done = await host.Authorization.OffboardAsync(host.AlphaId);

        Assert.False(done.RemovedAtXero);
        Assert.Null(await host.Tenants.GetAsync(host.AlphaId));
    }

    [Fact]
    public async Task OffboardingAnUnknownTenant_IsRefused()
    {
        await using var host = await ConnectHost.StartAsync();

        await Assert.ThrowsAsync<UnknownTenantException>(() => host.Authorization.OffboardAsync("nobody"));
    }

    [Fact]
    public async Task ConnectionsList_ShowsEachTenantsLastSync_SoInactiveOnesCanBeFound()
    {
        await using var host = await ConnectHost.StartAsync();
        await host.ConnectAsync(ConnectHost.Choose(host.Alpha, host.Beta));
        host.Time.Advance(TimeSpan.FromHours(1));
        await host.Engine.SyncAsync(new SyncRequest { TenantId = host.AlphaId, Kinds = [RecordKind.Contact] });

        var list = await host.Authorization.ListConnectionsAsync();

        var alpha = Assert.Single(list, c => c.TenantId == host.AlphaId);
        var beta = Assert.Single(list, c => c.TenantId == host.BetaId);
        Assert.Equal(ConnectHost.Start.AddHours(1), alpha.LastSyncAt);
        Assert.Null(beta.LastSyncAt);
        Assert.Equal(("Beta Partners", TenantType.Practice, ConnectionState.Connected), (beta.Name, beta.Type, beta.Connection));
        Assert.Equal(ConnectHost.Start, beta.ConnectedAt);
    }

    [Fact]
    public async Task ConsentingAgainUnderAnotherKey_MovesTheOrganisationToTheNewConnection()
    {
        await using var host = await ConnectHost.StartAsync();
        await host.ConnectAsync(ConnectHost.Choose(host.Alpha));
        var first = (await host.Tenants.GetAsync(host.AlphaId))!.ConnectionKey;

        await host.ConnectAsync(ConnectHost.Choose(host.Alpha, host.Beta));

        var second = (await host.Tenants.GetAsync(host.AlphaId))!.ConnectionKey;
        Assert.NotEqual(first, second);
        Assert.Equal(second, (await host.Tenants.GetAsync(host.BetaId))!.ConnectionKey);
        Assert.Equal(RunOutcome.Completed, (await host.Engine.SyncAsync(new SyncRequest { TenantId = host.AlphaId, Kinds = [RecordKind.Contact] })).Outcome);
    }
}
