using SyncKit.Testing.Storage;

namespace SyncKit.Storage.Tests.Sqlite;

public sealed class SqliteLedgerStoreTests(SqliteStoreFixture fixture) : LedgerStoreContract(fixture), IClassFixture<SqliteStoreFixture>;

public sealed class SqliteMappingStoreTests(SqliteStoreFixture fixture) : MappingStoreContract(fixture), IClassFixture<SqliteStoreFixture>;

public sealed class SqliteRunLogTests(SqliteStoreFixture fixture) : RunLogContract(fixture), IClassFixture<SqliteStoreFixture>;

public sealed class SqliteTenantStoreTests(SqliteStoreFixture fixture) : TenantStoreContract(fixture), IClassFixture<SqliteStoreFixture>;

public sealed class SqliteTokenStoreTests(SqliteStoreFixture fixture) : TokenStoreContract(fixture), IClassFixture<SqliteStoreFixture>;

public sealed class SqliteReferenceDataCacheTests(SqliteStoreFixture fixture) : ReferenceDataCacheContract(fixture), IClassFixture<SqliteStoreFixture>;

public sealed class SqliteStoreSchemaTests(SqliteStoreFixture fixture) : StoreSchemaContract(fixture), IClassFixture<SqliteStoreFixture>;

public sealed class SqliteInboundStoreTests(SqliteStoreFixture fixture) : InboundStoreContract(fixture), IClassFixture<SqliteStoreFixture>;

public sealed class SqliteWebhookInboxTests(SqliteStoreFixture fixture) : WebhookInboxContract(fixture), IClassFixture<SqliteStoreFixture>;
public sealed class SqliteTenantSettingsStoreTests(SqliteStoreFixture fixture) : TenantSettingsStoreContract(fixture), IClassFixture<SqliteStoreFixture>;
public sealed class SqliteOffboardingTests(SqliteStoreFixture fixture) : OffboardingContract(fixture), IClassFixture<SqliteStoreFixture>;

public sealed class SqliteTenantScheduleTests(SqliteStoreFixture fixture) : TenantScheduleContract(fixture), IClassFixture<SqliteStoreFixture>;
public sealed class SqliteUsageStoreTests(SqliteStoreFixture fixture) : UsageStoreContract(fixture), IClassFixture<SqliteStoreFixture>;
