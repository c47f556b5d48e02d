using SyncKit.Storage.Relational;

namespace SyncKit.Storage.PostgreSql;

/// <summary>Pull cursors and pulled records in PostgreSql.</summary>
internal sealed class PostgreSqlInboundStore(PostgreSqlDatabase database) : RelationalInboundStore(database);
