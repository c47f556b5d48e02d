using SyncKit.Storage.Relational;

namespace SyncKit.Storage.Sqlite;

/// <summary>The SQLite schema: embedded, versioned scripts recorded in <c>{prefix}schema_version</c>.</summary>
internal sealed class SqliteStoreSchema(SqliteDatabase database) : RelationalStoreSchema(database);
