using SyncKit.Storage.Relational;

namespace SyncKit.Storage.PostgreSql;

/// <summary>Token sets in PostgreSQL, saved with compare-and-swap on the version.</summary>
internal sealed class PostgreSqlTokenStore(PostgreSqlDatabase database) : RelationalTokenStore(database);
