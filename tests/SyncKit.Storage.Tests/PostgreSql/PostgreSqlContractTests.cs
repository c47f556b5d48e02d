using SyncKit.Testing.Storage;

namespace SyncKit.Storage.Tests.PostgreSql;

[RequiresPostgreSql]
public sealed class PostgreSqlLedgerStoreTests(PostgreSqlStoreFixture fixture) : LedgerStoreContract(fixture), IClassFixture<PostgreSqlStoreFixture>;

[RequiresPostgreSql]
public sealed class PostgreSqlMappingStoreTests(PostgreSqlStoreFixture fixture) : MappingStoreContract(fixture), IClassFixture<PostgreSqlStoreFixture>;

[RequiresPostgreSql]
public sealed class PostgreSqlRunLogTests(PostgreSqlStoreFixture fixture) : RunLogContract(fixture), IClassFixture<PostgreSqlStoreFixture>;

[RequiresPostgreSql]
public sealed class PostgreSqlTenantStoreTests(PostgreSqlStoreFixture fixture) : TenantStoreContract(fixture), IClassFixture<PostgreSqlStoreFixture>;

[RequiresPostgreSql]
public sealed class PostgreSqlTokenStoreTests(PostgreSqlStoreFixture fixture) : TokenStoreContract(fixture), IClassFixture<PostgreSqlStoreFixture>;

[RequiresPostgreSql]
public sealed class PostgreSqlReferenceDataCacheTests(PostgreSqlStoreFixture fixture) : ReferenceDataCacheContract(fixture), IClassFixture<PostgreSqlStoreFixture>;

[RequiresPostgreSql]
public sealed class PostgreSqlStoreSchemaTests(PostgreSqlStoreFixture fixture) : StoreSchemaContract(fixture), IClassFixture<PostgreSqlStoreFixture>;

public sealed class PostgreSqlInboundStoreTests(PostgreSqlStoreFixture fixture) : InboundStoreContract(fixture), IClassFixture<PostgreSqlStoreFixture>;

public sealed class PostgreSqlWebhookInboxTests(PostgreSqlStoreFixture fixture) : WebhookInboxContract(fixture), IClassFixture<PostgreSqlStoreFixture>;
[RequiresPostgreSql]
public sealed class PostgreSqlTenantSettingsStoreTests(PostgreSqlStoreFixture fixture) : TenantSettingsStoreContract(fixture), IClassFixture<PostgreSqlStoreFixture>;
public sealed class PostgreSqlOffboardingTests(PostgreSqlStoreFixture fixture) : OffboardingContract(fixture), IClassFixture<PostgreSqlStoreFixture>;

[RequiresPostgreSql]
public sealed class PostgreSqlTenantScheduleTests(PostgreSqlStoreFixture fixture) : TenantScheduleContract(fixture), IClassFixture<PostgreSqlStoreFixture>;
public sealed class PostgreSqlUsageStoreTests(PostgreSqlStoreFixture fixture) : UsageStoreContract(fixture), IClassFixture<PostgreSqlStoreFixture>;
