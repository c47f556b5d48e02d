using SyncKit.Storage.Relational;

namespace SyncKit.Storage.PostgreSql;

/// <summary>Tenant settings in PostgreSQL.</summary>
internal sealed class PostgreSqlTenantSettingsStore(PostgreSqlDatabase database) : RelationalTenantSettingsStore(database);
