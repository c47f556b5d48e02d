using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace SyncKit.Storage.Relational;

/// <summary>Registers a relational provider's database and stores in place of any storage registered before.</summary>
internal static class RelationalRegistration
{
    public static void ReplaceStores<TDatabase, TLedger, TMapping, TRuns, TTenants, TTokens, TReferenceData, TSchema>(IServiceCollection services, Func<IServiceProvider, TDatabase> database)
        where TDatabase : RelationalDatabase
        where TLedger : LedgerStore
        where TMapping : MappingStore
        where TRuns : RunLog
        where TTenants : TenantStore
        where TTokens : TokenStore
        where TReferenceData : ReferenceDataCache
        where TSchema : StoreSchema
    {
        services.RemoveAll<TDatabase>();
        services.AddSingleton(database);
        Replace<LedgerStore, TLedger>(services);
        Replace<MappingStore, TMapping>(services);
        Replace<RunLog, TRuns>(services);
        Replace<TenantStore, TTenants>(services);
        Replace<TokenStore, TTokens>(services);
        Replace<ReferenceDataCache, TReferenceData>(services);
        Replace<StoreSchema, TSchema>(services);
    }

    public static void Replace<TService, TImplementation>(IServiceCollection services)
        where TService : class
        where TImplementation : class, TService
    {
        services.RemoveAll<TService>();
        services.AddSingleton<TService, TImplementation>();
    }
}
