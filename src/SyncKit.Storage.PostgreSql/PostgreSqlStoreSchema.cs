using SyncKit.Storage.Relational;

namespace SyncKit.Storage.PostgreSql;

/// <summary>The PostgreSQL schema: embedded, versioned scripts recorded in <c>{schema}.schema_version</c>, applied under an advisory lock.</summary>
internal sealed class PostgreSqlStoreSchema(PostgreSqlDatabase database) : RelationalStoreSchema(database);
