using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SyncKit.AspNetCore.Dashboard;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Mounts SyncKit's sync dashboard in an ASP.NET Core app.</summary>
public static class SyncKitDashboardExtensions
{
    /// <summary>Registers what the sync dashboard needs: antiforgery, its action log and its background runs.</summary>
    /// <param name="services">The app's services.</param>
    /// <returns>The services.</returns>
    /// <remarks>Call it with <c>AddXeroSync(...)</c>; <see cref="MapSyncKitDashboard"/> refuses to map without it.</remarks>
    public static IServiceCollection AddSyncKitDashboard(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddAntiforgery();
        services.TryAddSingleton<DashboardActionLog>();
        services.TryAddSingleton<DashboardRuns>();
        return services;
    }

    /// <summary>Maps the sync dashboard (tenants, Sync Error tab, Unmapped, Pending Action, reconciliation, mappings, activity) at a path.</summary>
    /// <param name="endpoints">The app.</param>
    /// <param name="pattern">Where it lives, for example <c>"/synckit"</c>.</param>
    /// <param name="options">Its security and look; see <see cref="SyncKitDashboardOptions"/>.</param>
    /// <returns>The dashboard's endpoints, to add conventions to (<c>RequireAuthorization(...)</c>, <c>RequireHost(...)</c>).</returns>
    /// <remarks>
    /// <para>
    /// Fails closed: unless <see cref="SyncKitDashboardOptions.AuthorizationPolicy"/> is set, <c>RequireAuthorization(...)</c>
    /// is called on the returned builder, or <see cref="SyncKitDashboardOptions.AllowAnonymous"/> is set, the app stops when
    /// it starts and every request to the dashboard fails. The host's authentication and authorization middleware do the
    /// checking (<c>AddAuthentication</c>, <c>AddAuthorization</c>).
    /// </para>
    /// <para>
    /// Every action is a POST with an antiforgery token, is refused in read-only mode, asks the host's
    /// <see cref="SyncKit.Authorization.ISyncAuthorizer"/> (without one: everything but Sync All is allowed), and is written
    /// to the action log. Assets are embedded: no CDN. Links carry the request's path base.
    /// </para>
    /// </remarks>
    public static IEndpointConventionBuilder MapSyncKitDashboard(this IEndpointRouteBuilder endpoints, string pattern, SyncKitDashboardOptions options)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PageSize, 10);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.PageSize, 500);
        if (endpoints.ServiceProvider.GetService<DashboardRuns>() is null)
        {
            throw new InvalidOperationException("The sync dashboard's services are missing: call builder.Services.AddSyncKitDashboard() before building the app.");
        }

        if (options.AllowAnonymous && options.AuthorizationPolicy is not null)
        {
            throw new InvalidOperationException("The sync dashboard was given both an authorization policy and AllowAnonymous: choose one.");
        }

        var prefix = "/" + pattern.Trim('/');
        var group = endpoints.MapGroup(prefix);
        if (options.AuthorizationPolicy is { } policy)
        {
            group.RequireAuthorization(policy);
        }
        else if (options.AllowAnonymous)
        {
            group.AllowAnonymous();
        }

        // Runs after every convention the host adds, so RequireAuthorization(...) on the returned builder counts.
        ((IEndpointConventionBuilder)group).Finally(endpoint =>
        {
            var stated = endpoint.Metadata.Any(m => m is IAuthorizeData or IAuthorizationRequirementData or IAllowAnonymous or AuthorizationPolicy);
            if (!stated)
            {
                throw new InvalidOperationException(
                    $"The sync dashboard at '{prefix}' has no authorization. Set SyncKitDashboardOptions.AuthorizationPolicy, call "
                    + "RequireAuthorization(...) on what MapSyncKitDashboard returns, or, for local development only, set AllowAnonymous = true.");
            }
        });

        DashboardEndpoints.Map(group, prefix, options);
        RefuseToStartWithoutAuthorization(endpoints);
        return group;
    }

    /// <summary>Builds the endpoints when the app has started, so a dashboard without authorization stops the app at once rather than at its first request.</summary>
    private static void RefuseToStartWithoutAuthorization(IEndpointRouteBuilder endpoints)
    {
        var services = endpoints.ServiceProvider;
        if (services.GetService<IHostApplicationLifetime>() is not { } lifetime)
        {
            return;
        }

        lifetime.ApplicationStarted.Register(() =>
        {
            try
            {
                _ = endpoints.DataSources.SelectMany(d => d.Endpoints).Count();
            }
            catch (InvalidOperationException e)
            {
                DashboardLog.RefusedToStart(services.GetRequiredService<ILoggerFactory>().CreateLogger("SyncKit.AspNetCore.Dashboard"), e);
                lifetime.StopApplication();
            }
        });
    }
}
