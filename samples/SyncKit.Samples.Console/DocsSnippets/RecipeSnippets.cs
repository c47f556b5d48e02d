using Microsoft.Extensions.DependencyInjection;
using SyncKit.Xero;
using SyncKit.Xero.Identity;

namespace SyncKit.Samples.Console.DocsSnippets;

// The recipes in docs/recipes.md, compiled here.

internal static class RecipeSnippets
{
    public static void OneConsentManyOrganisations(XeroOptions o, IReadOnlyDictionary<string, (string UserId, string XeroTenantId)> tenants)
    {
        // SyncKit tenant "acme-au" is Xero organisation 7a1c... reached through user u-17's connection.
        o.ConnectionKeyForTenant = tenant => tenants[tenant].UserId;
        o.XeroTenantIdForTenant = tenant => tenants[tenant].XeroTenantId;
    }

    public static void RotateStep1(XeroOptions o, string newKey, string oldKey)
    {
        o.TokenEncryptionKey = newKey;              // writes use the new key
        o.PreviousTokenEncryptionKeys.Add(oldKey);  // reads still accept the old one
    }

    public static async Task RotateStep2Async(IServiceProvider services, CancellationToken cancellationToken)
    {
        var reEncryptor = services.GetRequiredService<XeroTokenReEncryptor>();
        var result = await reEncryptor.ReEncryptAllAsync(cancellationToken);
        System.Console.WriteLine($"{result.ReEncrypted.Count} re-encrypted, {result.NotFound.Count} without a token, {result.Unreadable.Count} unreadable");
    }
}
