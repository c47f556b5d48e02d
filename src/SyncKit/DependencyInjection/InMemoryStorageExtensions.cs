using Microsoft.Extensions.DependencyInjection.Extensions;
using SyncKit.Storage;
using SyncKit.Storage.InMemory;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers SyncKit's in-memory storage.</summary>
public static class InMemoryStorageExtensions
{
    /// <summary>Keeps the ledger, mappings, runs, tenants, tokens and reference data in memory.</summary>
    /// <param name="builder">The SyncKit builder.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// For tests and demos only: everything is lost when the process ends and nothing is shared between processes.
    /// Use <c>UseSqliteStorage</c> for one node or <c>UsePostgreSqlStorage</c> for many. The last storage registered wins.
    /// </remarks>
    public static ISyncKitBuilder UseInMemoryStorage(this ISyncKitBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.RemoveAll<LedgerStore>().AddSingleton<LedgerStore, InMemoryLedgerStore>();
        services.RemoveAll<MappingStore>().AddSingleton<MappingStore, InMemoryMappingStore>();
        services.RemoveAll<RunLog>().AddSingleton<RunLog, InMemoryRunLog>();
        services.RemoveAll<TenantStore>().AddSingleton<TenantStore, InMemoryTenantStore>();
        services.RemoveAll<TokenStore>().AddSingleton<TokenStore, InMemoryTokenStore>();
        services.RemoveAll<ReferenceDataCache>().AddSingleton<ReferenceDataCache, InMemoryReferenceDataCache>();
        services.RemoveAll<InboundStore>().AddSingleton<InboundStore, InMemoryInboundStore>();
        services.RemoveAll<WebhookInbox>().AddSingleton<WebhookInbox, InMemoryWebhookInbox>();
        services.RemoveAll<TenantSettingsStore>().AddSingleton<TenantSettingsStore, InMemoryTenantSettingsStore>();
        services.RemoveAll<UsageStore>().AddSingleton<UsageStore, InMemoryUsageStore>();
        services.RemoveAll<StoreSchema>().AddSingleton<StoreSchema, InMemoryStoreSchema>();
        return builder;
    }
}
