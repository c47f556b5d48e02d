namespace SyncKit.Storage.Sqlite;

/// <summary>The SQLite schema: embedded, versioned scripts recorded in <c>{prefix}schema_version</c>.</summary>
internal sealed class SqliteStoreSchema(SqliteDatabase database) : StoreSchema
{
    public override int LatestVersion => SqliteDatabase.LatestVersion;

    public override Task<int> GetVersionAsync(CancellationToken cancellationToken = default) => database.GetVersionAsync(cancellationToken);

    public override Task<int> MigrateAsync(CancellationToken cancellationToken = default) => database.MigrateAsync(cancellationToken);
}
