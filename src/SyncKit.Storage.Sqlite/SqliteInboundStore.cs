using SyncKit.Storage.Relational;

namespace SyncKit.Storage.Sqlite;

/// <summary>Pull cursors and pulled records in Sqlite.</summary>
internal sealed class SqliteInboundStore(SqliteDatabase database) : RelationalInboundStore(database);
