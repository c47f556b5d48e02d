using SyncKit.Storage.Relational;

namespace SyncKit.Storage.Sqlite;

/// <summary>Usage in SQLite.</summary>
internal sealed class SqliteUsageStore(SqliteDatabase database) : RelationalUsageStore(database);
