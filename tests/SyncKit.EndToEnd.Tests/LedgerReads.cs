using SyncKit.Ledger;
using SyncKit.Storage;

namespace SyncKit.EndToEnd.Tests;

/// <summary>Reads a tenant's ledger straight from a store, page by page (not through any engine).</summary>
internal static class LedgerReads
{
    /// <summary>Every entry of the tenant, or only those in <paramref name="states"/> when any are given.</summary>
    public static async Task<List<LedgerEntry>> AllAsync(LedgerStore ledger, string tenantId, params LedgerState[] states)
    {
        var all = new List<LedgerEntry>();
        string? token = null;
        do
        {
            var page = await ledger.QueryAsync(new LedgerQuery { TenantId = tenantId, States = states, PageSize = 1000, ContinuationToken = token });
            all.AddRange(page.Entries);
            token = page.ContinuationToken;
        }
        while (token is not null);
        return all;
    }
}
