using SyncKit.Storage.Relational;

namespace SyncKit.Storage.PostgreSql;

/// <summary>Usage in PostgreSQL.</summary>
internal sealed class PostgreSqlUsageStore(PostgreSqlDatabase database) : RelationalUsageStore(database);
