using Microsoft.Extensions.DependencyInjection;
using SyncKit.Xero;

namespace SyncKit.Samples.Console.DocsSnippets;

// The connection flow shown in docs/getting-started.md, compiled here.
internal static class ConnectSnippets
{
    public static Uri ConsentUrl(IServiceProvider services, string state)
    {
        var authorization = services.GetRequiredService<XeroAuthorization>();
        var consentUrl = authorization.GetConsentUrl(state);   // send the user here; Xero redirects back with ?code=...
        return consentUrl;
    }

    public static async Task<IReadOnlyList<XeroConnection>> CallbackAsync(IServiceProvider services, string userId, string code, CancellationToken cancellationToken)
    {
        var authorization = services.GetRequiredService<XeroAuthorization>();
        var connections = await authorization.ConnectAsync(connectionKey: userId, code, cancellationToken: cancellationToken);
        foreach (var connection in connections)
        {
            System.Console.WriteLine($"{connection.TenantName}: {connection.TenantId} ({connection.TenantType})");
        }

        return connections;
    }
}
