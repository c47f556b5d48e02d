using System.Net;
using Microsoft.AspNetCore.Builder;
using SyncKit.AspNetCore.Dashboard;
using SyncKit.Authorization;
using SyncKit.Ledger;
using SyncKit.Records;
using SyncKit.Testing.Demo;

namespace SyncKit.AspNetCore.Tests.Dashboard;

/// <summary>The dashboard's security rules, in process: fail closed, every route behind the stated authorization, antiforgery, read-only, the host's authorizer, the action log.</summary>
public sealed class DashboardSecurityTests
{
    private static readonly KeyValuePair<string, string>[] LockDateRecord = [new("key", $"Invoice:{DemoProblems.LockDate}")];

    [Fact]
    public async Task Dashboard_WithoutStatedAuthorization_RefusesToStart_NamingTheFix()
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => DashboardHost.StartAsync(_ => { }));

        Assert.Contains("has no authorization", refused.Message, StringComparison.Ordinal);
        Assert.Contains("RequireAuthorization(...)", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapSyncKitDashboard_WithoutItsServices_NamesTheCallToAdd()
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => DashboardHost.StartAsync(o => o.AllowAnonymous = true, addDashboardServices: false));

        Assert.Contains("AddSyncKitDashboard()", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequireAuthorization_OnTheReturnedBuilder_StatesTheAuthorization()
    {
        await using var host = await DashboardHost.StartAsync(_ => { }, e => e.RequireAuthorization(HeaderAuthentication.SyncAdmins));

        using var allowed = await host.Client("ada", "SyncAdmin").GetAsync(host.Prefix + "/");
        using var refused = await host.Client("bob").GetAsync(host.Prefix + "/");

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/assets/dashboard.css")]
    [InlineData("/assets/dashboard.js")]
    [InlineData("/tenants/tenant-demo/errors")]
    [InlineData("/tenants/tenant-demo/progress")]
    public async Task Policy_RefusesPagesAndAssets_ToARequestWithoutIt(string path)
    {
        await using var host = await DashboardHost.StartAsync(o => o.AuthorizationPolicy = HeaderAuthentication.SyncAdmins);

        using var anonymous = await host.Client().GetAsync(host.Prefix + path);
        using var outsider = await host.Client("bob", "Clerk").GetAsync(host.Prefix + path);
        using var admin = await host.Client("ada", "SyncAdmin").GetAsync(host.Prefix + path);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, outsider.StatusCode);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }

    [Fact]
    public async Task Policy_RefusesAnAction_ToARequestWithoutIt_AndTheRecordIsUntouched()
    {
        await using var host = await DashboardHost.StartAsync(o => o.AuthorizationPolicy = HeaderAuthentication.SyncAdmins);
        var outsider = host.Client("bob", "Clerk");

        // A form the admin's page carries, posted by someone without the policy.
        using var forged = new HttpRequestMessage(HttpMethod.Post, host.TenantPath("/skip")) { Content = new FormUrlEncodedContent(LockDateRecord) };
        using var response = await outsider.SendAsync(forged);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(LedgerState.Failed, (await host.EntryAsync(RecordKind.Invoice, DemoProblems.LockDate))!.State);
    }

    [Fact]
    public async Task Action_WithoutTheAntiforgeryToken_IsRefused()
    {
        await using var host = await DashboardHost.StartAsync(o => o.AllowAnonymous = true);

        using var response = await host.Client().PostAsync(host.TenantPath("/skip"), new FormUrlEncodedContent(LockDateRecord));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(LedgerState.Failed, (await host.EntryAsync(RecordKind.Invoice, DemoProblems.LockDate))!.State);
    }

    [Fact]
    public async Task Action_FromTheDashboardsOwnForm_RunsAndIsWrittenToTheActionLog()
    {
        await using var host = await DashboardHost.StartAsync(o => o.AuthorizationPolicy = HeaderAuthentication.SyncAdmins);
        var admin = host.Client("ada", "SyncAdmin");

        using var response = await DashboardHost.PostFromPageAsync(admin, host.TenantPath("/errors"), host.TenantPath("/skip"), LockDateRecord);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(LedgerState.Skipped, (await host.EntryAsync(RecordKind.Invoice, DemoProblems.LockDate))!.State);
        var action = Assert.Single(host.Actions);
        Assert.Equal(("ada", SyncPermission.Skip, true), (action.User, action.Permission, action.Allowed));
        Assert.Contains(DemoProblems.LockDate, action.Target, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadOnly_ShowsNoActions()
    {
        await using var host = await DashboardHost.StartAsync(o => { o.AllowAnonymous = true; o.ReadOnly = true; });

        foreach (var path in new[] { string.Empty, "/errors", "/unmapped", "/held", "/mappings", "/reconciliation", "/activity", $"/records/Invoice/{DemoProblems.LockDate}" })
        {
            var html = await host.Client().GetStringAsync(host.TenantPath(path));
            Assert.DoesNotContain("method=\"post\"", html, StringComparison.Ordinal);
            Assert.DoesNotContain("__RequestVerificationToken", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ReadOnly_RefusesAForgedPost()
    {
        await using var host = await DashboardHost.StartAsync(o => { o.AllowAnonymous = true; o.ReadOnly = true; });

        using var response = await host.Client().PostAsync(host.TenantPath("/sync"), new FormUrlEncodedContent([]));
        using var skip = await host.Client().PostAsync(host.TenantPath("/skip"), new FormUrlEncodedContent(LockDateRecord));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, skip.StatusCode);
        Assert.Equal(LedgerState.Failed, (await host.EntryAsync(RecordKind.Invoice, DemoProblems.LockDate))!.State);
        Assert.All(host.Actions, a => Assert.False(a.Allowed));
    }

    [Fact]
    public async Task WithoutAnAuthorizer_SyncAllIsRefused_AndOtherActionsAllowed()
    {
        await using var host = await DashboardHost.StartAsync(o => o.AllowAnonymous = true);
        var client = host.Client();

        using var syncAll = await DashboardHost.PostFromPageAsync(client, host.TenantPath(), host.TenantPath("/sync"), []);
        using var skip = await DashboardHost.PostFromPageAsync(client, host.TenantPath("/errors"), host.TenantPath("/skip"), LockDateRecord);

        Assert.Equal(HttpStatusCode.Forbidden, syncAll.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, skip.StatusCode);
        Assert.Contains(host.Actions, a => a is { Permission: SyncPermission.SyncAll, Allowed: false });
    }

    [Fact]
    public async Task Authorizer_IsAskedPerAction_WithTheUserAndTenant()
    {
        var authorizer = new RecordingAuthorizer(r => r.Permission != SyncPermission.Skip);
        await using var host = await DashboardHost.StartAsync(o => o.AuthorizationPolicy = HeaderAuthentication.SyncAdmins, authorizer: authorizer);
        var admin = host.Client("ada", "SyncAdmin");

        using var skip = await DashboardHost.PostFromPageAsync(admin, host.TenantPath("/errors"), host.TenantPath("/skip"), LockDateRecord);

        Assert.Equal(HttpStatusCode.Forbidden, skip.StatusCode);
        Assert.Contains(authorizer.Asked, r => r.Permission == SyncPermission.Skip && r.TenantId == DashboardHost.Tenant && r.User.Identity!.Name == "ada");
        Assert.Equal(LedgerState.Failed, (await host.EntryAsync(RecordKind.Invoice, DemoProblems.LockDate))!.State);
    }

    [Fact]
    public async Task Links_CarryThePathBase()
    {
        await using var host = await DashboardHost.StartAsync(o => o.AllowAnonymous = true, pathBase: "/portal");

        var html = await host.Client().GetStringAsync("/portal/synckit/");

        Assert.Contains("href=\"/portal/synckit/assets/dashboard.css\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/portal/synckit/tenants/tenant-demo\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReturnTo_OutsideTheTenantsPages_IsNotFollowed()
    {
        await using var host = await DashboardHost.StartAsync(o => o.AllowAnonymous = true);

        using var response = await DashboardHost.PostFromPageAsync(host.Client(), host.TenantPath("/errors"), host.TenantPath("/skip"), [.. LockDateRecord, new("returnTo", "https://evil.example/")]);

        Assert.StartsWith(host.TenantPath(), response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_ForbidFramingAndOutsideScripts()
    {
        await using var host = await DashboardHost.StartAsync(o => o.AllowAnonymous = true);

        using var response = await host.Client().GetAsync(host.TenantPath("/errors"));

        var policy = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
    }

    private sealed class RecordingAuthorizer(Func<SyncAuthorizationRequest, bool> rule) : ISyncAuthorizer
    {
        public System.Collections.Concurrent.ConcurrentBag<SyncAuthorizationRequest> Asked { get; } = [];

        public ValueTask<bool> IsAllowedAsync(SyncAuthorizationRequest request, CancellationToken cancellationToken = default)
        {
            Asked.Add(request);
            return ValueTask.FromResult(rule(request));
        }
    }
}
