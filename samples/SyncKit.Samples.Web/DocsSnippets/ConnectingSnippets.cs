using System.Security.Claims;
using SyncKit.AspNetCore.Connect;
using SyncKit.Authorization;

namespace SyncKit.Samples.Web.DocsSnippets;

/// <summary>docs/connecting.md's web code, compiled here.</summary>
public static class ConnectingSnippets
{
    /// <summary>The connect endpoints with the host's own pages and keys.</summary>
    /// <param name="app">The app.</param>
    public static void MapWithOptions(WebApplication app)
    {
        app.MapXeroConnect("/xero", o =>
        {
            // One connection key per signed-in user of yours (the default does the same with the NameIdentifier claim).
            o.ConnectionKey = context => "user:" + context.User.FindFirstValue(ClaimTypes.NameIdentifier);

            // Your own pages instead of SyncKit's plain ones: return null to keep SyncKit's page for an outcome.
            o.OnOutcome = (context, outcome) => Task.FromResult<IResult?>(outcome.Result switch
            {
                XeroConnectResult.Connected or XeroConnectResult.Reconnected => Results.Redirect(outcome.ReturnUrl ?? "/settings/xero"),
                XeroConnectResult.Cancelled => Results.Redirect("/settings/xero?cancelled=1"),
                _ => null,
            });
        })
        .RequireAuthorization();            // only signed-in users may connect (with your authentication)
    }

    /// <summary>Who may run Sync All, by option.</summary>
    /// <param name="builder">The app's builder.</param>
    public static void AllowSyncAllForAdmins(WebApplicationBuilder builder)
    {
        builder.Services.Configure<SyncAuthorizationOptions>(o =>
        {
            o.SyncAllRoles.Add("Super Admin");
            o.SyncAllRoles.Add("Account Admin");
        });
    }

    /// <summary>The host's own rules.</summary>
    /// <param name="builder">The app's builder.</param>
    public static void UseOwnAuthorizer(WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ISyncAuthorizer, TenantRoleAuthorizer>();
    }

    /// <summary>An endpoint that acts for the signed-in user.</summary>
    /// <param name="app">The app.</param>
    public static void MapSyncAllEndpoint(WebApplication app)
    {
        app.MapPost("/tenants/{tenantId}/sync", async (string tenantId, ClaimsPrincipal user, ISyncEngine engine, ISyncAuthorizer authorizer, CancellationToken cancellationToken) =>
        {
            try
            {
                var run = await engine.For(user, authorizer).SyncAsync(new SyncRequest { TenantId = tenantId, RequestedBy = user.Identity?.Name }, cancellationToken);
                return Results.Ok(run);
            }
            catch (SyncAuthorizationException ex)
            {
                return Results.Problem(ex.Message, statusCode: StatusCodes.Status403Forbidden);
            }
        });
    }
}

/// <summary>A host's rules: admins of a tenant may do everything there, its other users only look.</summary>
internal sealed class TenantRoleAuthorizer : ISyncAuthorizer
{
    public ValueTask<bool> IsAllowedAsync(SyncAuthorizationRequest request, CancellationToken cancellationToken = default)
    {
        var admin = request.User.HasClaim("tenant-admin", request.TenantId ?? "*") || request.User.IsInRole("Super Admin");
        return ValueTask.FromResult(request.Permission == SyncPermission.View || admin);
    }
}
