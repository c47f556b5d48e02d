using Microsoft.Extensions.DependencyInjection;
using SyncKit.Offboarding;
using SyncKit.Xero;

namespace SyncKit.Samples.Console.DocsSnippets;

// docs/connecting.md's code for hosts without ASP.NET Core, compiled here.
internal static class ConnectingSnippets
{
    public static Uri Start(IServiceProvider services, Dictionary<string, (string State, string Verifier)> pending, string userId)
    {
        var authorization = services.GetRequiredService<XeroAuthorization>();
        var state = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));   // unguessable
        var pkce = XeroAuthorization.CreatePkce();
        pending[userId] = (state, pkce.Verifier);                 // keep both until the callback, out of the URL
        return authorization.GetConsentUrl(state, pkce);
    }

    public static async Task<IReadOnlyList<XeroConnection>> CallbackAsync(IServiceProvider services, (string State, string Verifier) started, string userId, string state, string code, CancellationToken cancellationToken)
    {
        if (state != started.State)
        {
            throw new InvalidOperationException("The state is not the one this user started with: refuse the callback.");
        }

        var authorization = services.GetRequiredService<XeroAuthorization>();
        var connections = await authorization.ConnectAsync(connectionKey: userId, code, started.Verifier, cancellationToken);
        return connections;   // every organisation chosen is now a SyncKit tenant
    }

    public static async Task ReconnectAsync(IServiceProvider services, string tenantId, string code, string verifier, CancellationToken cancellationToken)
    {
        var authorization = services.GetRequiredService<XeroAuthorization>();
        try
        {
            await authorization.ReconnectAsync(tenantId, code, verifier, cancellationToken);
        }
        catch (XeroReconnectMismatchException ex)
        {
            System.Console.WriteLine(ex.Message);   // "Reconnecting 'Acme Ltd' connected 'Other Ltd' instead. ..."
        }
    }

    public static async Task CleanUpAsync(IServiceProvider services, TimeProvider time, CancellationToken cancellationToken)
    {
        var authorization = services.GetRequiredService<XeroAuthorization>();
        var cutoff = time.GetUtcNow().AddDays(-90);
        foreach (var tenant in await authorization.ListConnectionsAsync(cancellationToken))
        {
            if ((tenant.LastSyncAt ?? tenant.ConnectedAt) < cutoff)
            {
                // Keeps the ledger, mappings and runs; the tenant shows as Disconnected until someone reconnects it.
                await authorization.DisconnectTenantAsync(tenant.TenantId, TenantDataRetention.Keep, cancellationToken);
            }
        }
    }

    public static async Task OffboardAsync(IServiceProvider services, string tenantId, CancellationToken cancellationToken)
    {
        var authorization = services.GetRequiredService<XeroAuthorization>();
        var done = await authorization.OffboardAsync(tenantId, cancellationToken);
        System.Console.WriteLine($"Removed at Xero: {done.RemovedAtXero}; deleted {done.Erasure?.LedgerEntries} ledger entries, {done.Erasure?.Runs} runs.");
    }
}
