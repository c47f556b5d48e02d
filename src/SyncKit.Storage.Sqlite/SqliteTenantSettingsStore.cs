using SyncKit.Storage.Relational;

namespace SyncKit.Storage.Sqlite;

/// <summary>Tenant settings in SQLite.</summary>
internal sealed class SqliteTenantSettingsStore(SqliteDatabase database) : RelationalTenantSettingsStore(database);
