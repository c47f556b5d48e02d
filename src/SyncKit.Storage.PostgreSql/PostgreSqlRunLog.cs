using SyncKit.Storage.Relational;

namespace SyncKit.Storage.PostgreSql;

/// <summary>The run log in PostgreSQL.</summary>
internal sealed class PostgreSqlRunLog(PostgreSqlDatabase database) : RelationalRunLog(database);
