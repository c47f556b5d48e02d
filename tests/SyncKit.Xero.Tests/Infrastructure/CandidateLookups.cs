using SyncKit.Connectors;

namespace SyncKit.Xero.Tests.Infrastructure;

/// <summary>The single candidate a lookup finds, for tests that expect at most one.</summary>
internal static class CandidateLookups
{
    public static async Task<RemoteMatch?> FindExistingAsync(this LedgerConnector connector, string tenantId, PushElement element, CancellationToken cancellationToken = default) =>
        (await connector.FindCandidatesAsync(tenantId, element, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
}
