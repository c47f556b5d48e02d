using SyncKit.Storage.Relational;

namespace SyncKit.Storage.Sqlite;

/// <summary>Mappings in SQLite.</summary>
internal sealed class SqliteMappingStore(SqliteDatabase database) : RelationalMappingStore(database);
