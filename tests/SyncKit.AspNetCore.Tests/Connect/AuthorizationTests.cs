using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using SyncKit.Authorization;
using SyncKit.Inbound;
using SyncKit.Ledger;
using SyncKit.Mapping;
using SyncKit.Records;
using SyncKit.Storage;

namespace SyncKit.AspNetCore.Tests.Connect;

public sealed class AuthorizationTests
{
    private static readonly ClaimsPrincipal s_sam = new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "sam")], "test"));

    [Fact]
    public async Task SyncAll_IsRefusedByDefault_AndNoRunStarts()
    {
        await using var host = await ConnectHost.StartAsync();
        await host.ConnectAsync(ConnectHost.Choose(host.Alpha));
        var authorizer = host.Services.GetRequiredService<ISyncAuthorizer>();

        var refused = await Assert.ThrowsAsync<SyncAuthorizationException>(() => host.Engine.For(s_sam, authorizer).SyncAsync(new SyncRequest { TenantId = host.AlphaId }));

        Assert.Equal(SyncPermission.SyncAll, refused.Request.Permission);
        Assert.Contains("User 'sam' may not SyncAll", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await host.Engine.GetActivityAsync(host.AlphaId));
    }

    [Fact]
    public async Task SyncAll_IsAllowedWhenTheHostAllowsIt()
    {
        await using var host = await ConnectHost.StartAsync(services: s => s.Configure<SyncAuthorizationOptions>(o => o.AllowSyncAll = true));
        await host.ConnectAsync(ConnectHost.Choose(host.Alpha));
        var authorizer = host.Services.GetRequiredService<ISyncAuthorizer>();

        var run = await host.Engine.For(s_sam, authorizer).SyncAsync(new SyncRequest { TenantId = host.AlphaId, Kinds = [RecordKind.Contact] });

        Assert.Equal(Runs.RunOutcome.Completed, run.Outcome);
    }

    [Fact]
    public async Task SyncAll_IsAllowedForTheRolesTheHostNames_AndNoOneElse()
    {
        await using var host = await ConnectHost.StartAsync(services: s => s.Configure<SyncAuthorizationOptions>(o => o.SyncAllRoles.Add("Account Admin")));
        var authorizer = host.Services.GetRequiredService<ISyncAuthorizer>();
        var admin = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "ann"), new Claim(ClaimTypes.Role, "Account Admin")], "test"));

        Assert.True(await authorizer.IsAllowedAsync(new SyncAuthorizationRequest { Permission = SyncPermission.SyncAll, User = admin, TenantId = "t" }));
        Assert.False(await authorizer.IsAllowedAsync(new SyncAuthorizationRequest { Permission = SyncPermission.SyncAll, User = s_sam, TenantId = "t" }));
    }

    [Theory]
    [InlineData(SyncPermission.View)]
    [InlineData(SyncPermission.Preview)]
    [InlineData(SyncPermission.Retry)]
    [InlineData(SyncPermission.Skip)]
    [InlineData(SyncPermission.Release)]
    [InlineData(SyncPermission.Resolve)]
    [InlineData(SyncPermission.Map)]
    [InlineData(SyncPermission.Pause)]
    [InlineData(SyncPermission.Pull)]
    [InlineData(SyncPermission.Connect)]
    [InlineData(SyncPermission.Disconnect)]
    public async Task EveryOtherPermission_IsAllowedByDefault(SyncPermission permission)
    {
        await using var host = await ConnectHost.StartAsync();
        var authorizer = host.Services.GetRequiredService<ISyncAuthorizer>();

        Assert.True(await authorizer.IsAllowedAsync(new SyncAuthorizationRequest { Permission = permission, User = new ClaimsPrincipal(new ClaimsIdentity()), TenantId = "t" }));
    }

    [Fact]
    public async Task HostsOwnAuthorizer_RegisteredAfterSyncKit_IsTheOneUsed()
    {
        var own = new ConnectEndpointTests.RecordingAuthorizer(allow: true);
        await using var host = await ConnectHost.StartAsync(services: s => s.AddSingleton<ISyncAuthorizer>(own));

        Assert.Same(own, host.Services.GetRequiredService<ISyncAuthorizer>());
    }

    public static TheoryData<string, SyncPermission> EngineCalls() => new()
    {
        { nameof(ISyncEngine.SyncAsync), SyncPermission.SyncAll },
        { nameof(ISyncEngine.SyncRecordAsync), SyncPermission.Retry },
        { nameof(ISyncEngine.PreviewAsync), SyncPermission.Preview },
        { nameof(ISyncEngine.RetryAsync), SyncPermission.Retry },
        { nameof(ISyncEngine.SkipAsync), SyncPermission.Skip },
        { nameof(ISyncEngine.UnskipAsync), SyncPermission.Skip },
        { nameof(ISyncEngine.ReleaseAsync), SyncPermission.Release },
        { nameof(ISyncEngine.SendAsNewAsync), SyncPermission.Resolve },
        { nameof(ISyncEngine.MarkResolvedAsync), SyncPermission.Resolve },
        { nameof(ISyncEngine.SetMappingAsync), SyncPermission.Map },
        { nameof(ISyncEngine.PauseAsync), SyncPermission.Pause },
        { nameof(ISyncEngine.ResumeAsync), SyncPermission.Pause },
        { nameof(ISyncEngine.GetStatusAsync), SyncPermission.View },
        { nameof(ISyncEngine.QueryLedgerAsync), SyncPermission.View },
        { nameof(ISyncEngine.PullAsync), SyncPermission.Pull },
        { nameof(ISyncEngine.GetReconciliationListAsync), SyncPermission.View },
        { nameof(ISyncEngine.DismissPulledAsync), SyncPermission.Pull },
        { nameof(ISyncEngine.GetActivityAsync), SyncPermission.View },
    };

    [Theory]
    [MemberData(nameof(EngineCalls))]
    public async Task EachEngineCallForAUser_AsksItsPermission_AndDoesNothingWhenRefused(string call, SyncPermission expected)
    {
        await using var host = await ConnectHost.StartAsync();
        await host.ConnectAsync(ConnectHost.Choose(host.Alpha));
        var authorizer = new ConnectEndpointTests.RecordingAuthorizer(allow: false);
        var engine = host.Engine.For(s_sam, authorizer);
        var key = new LedgerKey(host.AlphaId, RecordKind.Contact, "c-1");

        var refused = await Assert.ThrowsAsync<SyncAuthorizationException>(() => Invoke(engine, call, host.AlphaId, key));

        Assert.Equal((expected, host.AlphaId), (refused.Request.Permission, refused.Request.TenantId));
        Assert.Equal((expected, host.AlphaId), (Assert.Single(authorizer.Requests).Permission, authorizer.Requests[0].TenantId));
        Assert.Empty(await host.Engine.GetActivityAsync(host.AlphaId));
        Assert.Null((await host.Tenants.GetAsync(host.AlphaId))?.PausedUntil);
    }

    [Fact]
    public async Task AllowedCalls_ReachTheEngine()
    {
        await using var host = await ConnectHost.StartAsync();
        await host.ConnectAsync(ConnectHost.Choose(host.Alpha));
        var engine = host.Engine.For(s_sam, new ConnectEndpointTests.RecordingAuthorizer(allow: true));

        await engine.SetMappingAsync(host.AlphaId, MappingKind.Account, "4000", "200");

        Assert.Equal("200", await host.Services.GetRequiredService<MappingStore>().GetAsync(host.AlphaId, MappingKind.Account, "4000"));
    }

    private static Task Invoke(ISyncEngine engine, string call, string tenantId, LedgerKey key) => call switch
    {
        nameof(ISyncEngine.SyncAsync) => engine.SyncAsync(new SyncRequest { TenantId = tenantId }),
        nameof(ISyncEngine.SyncRecordAsync) => engine.SyncRecordAsync(key),
        nameof(ISyncEngine.PreviewAsync) => engine.PreviewAsync(new SyncRequest { TenantId = tenantId }),
        nameof(ISyncEngine.RetryAsync) => engine.RetryAsync(new RetryRequest { TenantId = tenantId }),
        nameof(ISyncEngine.SkipAsync) => engine.SkipAsync(key),
        nameof(ISyncEngine.UnskipAsync) => engine.UnskipAsync(key),
        nameof(ISyncEngine.ReleaseAsync) => engine.ReleaseAsync([key]),
        nameof(ISyncEngine.SendAsNewAsync) => engine.SendAsNewAsync(key),
        nameof(ISyncEngine.MarkResolvedAsync) => engine.MarkResolvedAsync(key),
        nameof(ISyncEngine.SetMappingAsync) => engine.SetMappingAsync(tenantId, MappingKind.Account, "4000", "200"),
        nameof(ISyncEngine.PauseAsync) => engine.PauseAsync(tenantId, DateTimeOffset.MaxValue),
        nameof(ISyncEngine.ResumeAsync) => engine.ResumeAsync(tenantId),
        nameof(ISyncEngine.GetStatusAsync) => engine.GetStatusAsync(tenantId),
        nameof(ISyncEngine.QueryLedgerAsync) => engine.QueryLedgerAsync(new LedgerQuery { TenantId = tenantId }),
        nameof(ISyncEngine.PullAsync) => engine.PullAsync(new PullRequest { TenantId = tenantId }),
        nameof(ISyncEngine.GetReconciliationListAsync) => engine.GetReconciliationListAsync(tenantId),
        nameof(ISyncEngine.DismissPulledAsync) => engine.DismissPulledAsync(tenantId, RecordKind.Payment, "p-1"),
        nameof(ISyncEngine.GetActivityAsync) => engine.GetActivityAsync(tenantId),
        _ => throw new ArgumentOutOfRangeException(nameof(call), call, "Not an engine call."),
    };
}
