using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SyncKit.Authorization;

namespace SyncKit.AspNetCore.Dashboard;

/// <summary>
/// What stands between a request that passed the dashboard's authorization and the engine: read-only mode, the
/// antiforgery token, the host's <see cref="ISyncAuthorizer"/>, and the action log.
/// </summary>
internal sealed class DashboardGuard
{
    private readonly SyncKitDashboardOptions _options;

    public DashboardGuard(SyncKitDashboardOptions options) => _options = options;

    public static string UserName(ClaimsPrincipal user) => user.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name : "anonymous";

    /// <summary>Asks the host's authorizer; without one, everything but Sync All is allowed to a user who reached the dashboard.</summary>
    public static async ValueTask<bool> IsAllowedAsync(HttpContext context, SyncPermission permission, string? tenantId)
    {
        var authorizer = context.RequestServices.GetService<ISyncAuthorizer>();
        if (authorizer is null)
        {
            return permission != SyncPermission.SyncAll;
        }

        return await authorizer.IsAllowedAsync(
            new SyncAuthorizationRequest { Permission = permission, User = context.User, TenantId = tenantId },
            context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Runs one action: refused in read-only mode, without a valid form token, or when the authorizer says no; logged either way.</summary>
    /// <param name="context">The POST.</param>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="permission">What the action needs.</param>
    /// <param name="target">What it acts on, for the log.</param>
    /// <param name="act">The action; returns the notice for the user.</param>
    /// <param name="returnTo">The page to show next (a dashboard address).</param>
    public async Task<IResult> RunAsync(HttpContext context, string tenantId, SyncPermission permission, string target, Func<CancellationToken, Task<string>> act, string returnTo)
    {
        var log = context.RequestServices.GetRequiredService<DashboardActionLog>();
        var time = context.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System;
        var user = UserName(context.User);
        var cancellationToken = context.RequestAborted;

        async Task<IResult> RefuseAsync(int status, string why)
        {
            await log.WriteAsync(
                new DashboardAction { User = user, Permission = permission, TenantId = tenantId, Target = target, At = time.GetUtcNow(), Allowed = false, Result = why },
                _options,
                cancellationToken).ConfigureAwait(false);
            return Results.Text(why, "text/plain; charset=utf-8", statusCode: status);
        }

        if (_options.ReadOnly)
        {
            return await RefuseAsync(StatusCodes.Status403Forbidden, "The sync dashboard is read-only: it takes no actions.").ConfigureAwait(false);
        }

        var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
        if (!await antiforgery.IsRequestValidAsync(context).ConfigureAwait(false))
        {
            return await RefuseAsync(StatusCodes.Status400BadRequest, "The form has expired or did not come from this dashboard. Reload the page and try again.").ConfigureAwait(false);
        }

        if (!await IsAllowedAsync(context, permission, tenantId).ConfigureAwait(false))
        {
            return await RefuseAsync(StatusCodes.Status403Forbidden, $"You are not allowed to do this ({permission}). Ask your administrator.").ConfigureAwait(false);
        }

        string notice;
        try
        {
            notice = await act(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // The engine refuses a transition it does not allow (a record that changed since the page was drawn): say so.
            notice = "Not done: " + e.Message;
        }

        await log.WriteAsync(
            new DashboardAction { User = user, Permission = permission, TenantId = tenantId, Target = target, At = time.GetUtcNow(), Allowed = true, Result = notice },
            _options,
            cancellationToken).ConfigureAwait(false);
        var separator = returnTo.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return Results.Redirect($"{returnTo}{separator}notice={Uri.EscapeDataString(notice)}");
    }
}
