using SyncKit.Storage.Relational;

namespace SyncKit.Storage.Sqlite;

/// <summary>The run log in SQLite.</summary>
internal sealed class SqliteRunLog(SqliteDatabase database) : RelationalRunLog(database);
