using SyncKit.Storage.Relational;

namespace SyncKit.Storage.Sqlite;

/// <summary>Token sets in SQLite, saved with compare-and-swap on the version.</summary>
internal sealed class SqliteTokenStore(SqliteDatabase database) : RelationalTokenStore(database);
