using SyncKit.Testing.Storage;

namespace SyncKit.Storage.Tests.InMemory;

public sealed class InMemoryLedgerStoreTests(InMemoryStoreFixture fixture) : LedgerStoreContract(fixture), IClassFixture<InMemoryStoreFixture>;

public sealed class InMemoryMappingStoreTests(InMemoryStoreFixture fixture) : MappingStoreContract(fixture), IClassFixture<InMemoryStoreFixture>;

public sealed class InMemoryRunLogTests(InMemoryStoreFixture fixture) : RunLogContract(fixture), IClassFixture<InMemoryStoreFixture>;

public sealed class InMemoryTenantStoreTests(InMemoryStoreFixture fixture) : TenantStoreContract(fixture), IClassFixture<InMemoryStoreFixture>;

public sealed class InMemoryTokenStoreTests(InMemoryStoreFixture fixture) : TokenStoreContract(fixture), IClassFixture<InMemoryStoreFixture>;

public sealed class InMemoryReferenceDataCacheTests(InMemoryStoreFixture fixture) : ReferenceDataCacheContract(fixture), IClassFixture<InMemoryStoreFixture>;

public sealed class InMemoryStoreSchemaTests(InMemoryStoreFixture fixture) : StoreSchemaContract(fixture), IClassFixture<InMemoryStoreFixture>;

public sealed class InMemoryInboundStoreTests(InMemoryStoreFixture fixture) : InboundStoreContract(fixture), IClassFixture<InMemoryStoreFixture>;

public sealed class InMemoryWebhookInboxTests(InMemoryStoreFixture fixture) : WebhookInboxContract(fixture), IClassFixture<InMemoryStoreFixture>;
public sealed class InMemoryTenantSettingsStoreTests(InMemoryStoreFixture fixture) : TenantSettingsStoreContract(fixture), IClassFixture<InMemoryStoreFixture>;
public sealed class InMemoryOffboardingTests(InMemoryStoreFixture fixture) : OffboardingContract(fixture), IClassFixture<InMemoryStoreFixture>;

public sealed class InMemoryTenantScheduleTests(InMemoryStoreFixture fixture) : TenantScheduleContract(fixture), IClassFixture<InMemoryStoreFixture>;
public sealed class InMemoryUsageStoreTests(InMemoryStoreFixture fixture) : UsageStoreContract(fixture), IClassFixture<InMemoryStoreFixture>;
