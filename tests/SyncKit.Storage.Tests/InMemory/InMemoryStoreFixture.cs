using SyncKit.Storage.InMemory;
using SyncKit.Testing.Storage;

namespace SyncKit.Storage.Tests.InMemory;

public sealed class InMemoryStoreFixture : StoreFixture
{
    public override Task<StoreSet> CreateStoresAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new StoreSet
        {
            Ledger = new InMemoryLedgerStore(),
            Mappings = new InMemoryMappingStore(),
            Runs = new InMemoryRunLog(),
            Tenants = new InMemoryTenantStore(),
            Tokens = new InMemoryTokenStore(),
            ReferenceData = new InMemoryReferenceDataCache(),
            Inbound = new InMemoryInboundStore(),
            Webhooks = new InMemoryWebhookInbox(),
            Settings = new InMemoryTenantSettingsStore(),
            Usage = new InMemoryUsageStore(),
            Schema = new InMemoryStoreSchema(),
        });
}
