using SyncKit.Storage.Relational;

namespace SyncKit.Storage.Sqlite;

/// <summary>Reference data cached in SQLite.</summary>
internal sealed class SqliteReferenceDataCache(SqliteDatabase database) : RelationalReferenceDataCache(database);
