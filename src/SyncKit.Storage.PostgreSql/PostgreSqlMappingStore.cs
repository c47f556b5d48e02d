using SyncKit.Storage.Relational;

namespace SyncKit.Storage.PostgreSql;

/// <summary>Mappings in PostgreSQL.</summary>
internal sealed class PostgreSqlMappingStore(PostgreSqlDatabase database) : RelationalMappingStore(database);
