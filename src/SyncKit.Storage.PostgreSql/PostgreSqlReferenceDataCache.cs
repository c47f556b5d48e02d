using SyncKit.Storage.Relational;

namespace SyncKit.Storage.PostgreSql;

/// <summary>Reference data cached in PostgreSQL.</summary>
internal sealed class PostgreSqlReferenceDataCache(PostgreSqlDatabase database) : RelationalReferenceDataCache(database);
