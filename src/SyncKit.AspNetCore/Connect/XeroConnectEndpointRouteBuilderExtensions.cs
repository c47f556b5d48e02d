using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SyncKit.AspNetCore.Connect;
using SyncKit.Authorization;
using SyncKit.Storage;
using SyncKit.Xero;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the Xero connect endpoints.</summary>
public static class XeroConnectEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>GET {prefix}/connect</c> (sends the user to Xero's consent page; <c>?tenantId=</c> reconnects one
    /// organisation, <c>?returnUrl=</c> is a local page to link back to) and <c>GET {prefix}/callback</c> (Xero's redirect
    /// back: registers every organisation chosen).
    /// </summary>
    /// <param name="endpoints">The app.</param>
    /// <param name="prefix">The path both endpoints are under (default <c>/xero</c>); <see cref="XeroOptions.RedirectUri"/> must be its <c>/callback</c>.</param>
    /// <param name="configure">Sets the options (connection key, outcome callback, connection limit).</param>
    /// <returns>The endpoints' group, to add authorization policies or rate limits.</returns>
    /// <remarks>
    /// Needs <c>AddXeroSync</c> and ASP.NET Core data protection (<c>services.AddDataProtection()</c>; across several servers,
    /// keys shared by all of them). Each request asks the host's <see cref="ISyncAuthorizer"/> for
    /// <see cref="SyncPermission.Connect"/>. The state and PKCE verifier travel in a data-protected, HTTP-only cookie.
    /// </remarks>
    public static RouteGroupBuilder MapXeroConnect(this IEndpointRouteBuilder endpoints, string prefix = "/xero", Action<XeroConnectOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        var options = new XeroConnectOptions();
        configure?.Invoke(options);
        var services = endpoints.ServiceProvider;
        var dataProtection = services.GetService<IDataProtectionProvider>()
            ?? throw new InvalidOperationException("MapXeroConnect keeps the consent's state in a data-protected cookie: call services.AddDataProtection() (with keys shared by every server of the app).");

        var path = "/" + prefix.Trim('/');
        var handler = new Lazy<XeroConnectHandler>(() => new XeroConnectHandler(
            services.GetRequiredService<XeroAuthorization>(),
            services.GetRequiredService<ISyncAuthorizer>(),
            services.GetRequiredService<TenantStore>(),
            new PendingConsentCookie(dataProtection, options, path),
            options,
            services.GetRequiredService<IOptions<XeroOptions>>(),
            services.GetRequiredService<TimeProvider>(),
            services.GetService<ILoggerFactory>()?.CreateLogger("SyncKit.AspNetCore.Connect") ?? NullLogger.Instance));

        var group = endpoints.MapGroup(path);
        Func<HttpContext, Task<IResult>> connect = context => handler.Value.ConnectAsync(context);
        Func<HttpContext, Task<IResult>> callback = context => handler.Value.CallbackAsync(context);
        group.MapGet("/connect", connect).ExcludeFromDescription();
        group.MapGet("/callback", callback).ExcludeFromDescription();
        return group;
    }
}
