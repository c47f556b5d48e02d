using SyncKit.AspNetCore.Dashboard;
using SyncKit.Authorization;

namespace SyncKit.Samples.Web.DocsSnippets;

/// <summary>The code of docs/dashboard.md, compiled (never run): how a real host mounts and secures the dashboard.</summary>
internal static class DashboardSnippets
{
    public static WebApplication SecuredByAPolicy(WebApplicationBuilder builder)
    {
        builder.Services.AddAuthorization(options =>
            options.AddPolicy("SyncAdmins", policy => policy.RequireRole("Finance admin", "Practice admin")));
        builder.Services.AddSingleton<ISyncAuthorizer, OnlyAdminsRunSyncAll>();
        builder.Services.AddSyncKitDashboard();

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapSyncKitDashboard("/synckit", new SyncKitDashboardOptions
        {
            AuthorizationPolicy = "SyncAdmins",
            ReconnectUrl = tenantId => $"/xero/connect?tenant={Uri.EscapeDataString(tenantId)}",
        });
        return app;
    }

    public static void WithRequireAuthorization(WebApplication app)
    {
        app.MapSyncKitDashboard("/synckit", new SyncKitDashboardOptions())
            .RequireAuthorization("SyncAdmins");
    }

    public static void ReadOnlyForEveryStaffMember(WebApplication app)
    {
        app.MapSyncKitDashboard("/sync-status", new SyncKitDashboardOptions
        {
            AuthorizationPolicy = "Staff",
            ReadOnly = true,
        });
    }

    public static void WithAnAuditTrail(WebApplication app, ILogger audit)
    {
        app.MapSyncKitDashboard("/synckit", new SyncKitDashboardOptions
        {
            AuthorizationPolicy = "SyncAdmins",
            OnAction = (action, cancellationToken) =>
            {
                audit.LogInformation("{User} {Permission} {Target} on {Tenant} at {At}: {Allowed}",
                    action.User, action.Permission, action.Target, action.TenantId, action.At, action.Allowed);
                return ValueTask.CompletedTask;
            },
        });
    }
}

/// <summary>Everyone signed in may fix records; only admins may run Sync All.</summary>
internal sealed class OnlyAdminsRunSyncAll : ISyncAuthorizer
{
    public ValueTask<bool> IsAllowedAsync(SyncAuthorizationRequest request, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(request.Permission switch
        {
            SyncPermission.SyncAll => request.User.IsInRole("Finance admin"),
            _ => request.User.Identity?.IsAuthenticated == true,
        });
}
