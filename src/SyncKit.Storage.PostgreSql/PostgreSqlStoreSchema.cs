namespace SyncKit.Storage.PostgreSql;

/// <summary>The PostgreSQL schema: embedded, versioned scripts recorded in <c>{schema}.schema_version</c>, applied under an advisory lock.</summary>
internal sealed class PostgreSqlStoreSchema(PostgreSqlDatabase database) : StoreSchema
{
    public override int LatestVersion => PostgreSqlDatabase.LatestVersion;

    public override Task<int> GetVersionAsync(CancellationToken cancellationToken = default) => database.GetVersionAsync(cancellationToken);

    public override Task<int> MigrateAsync(CancellationToken cancellationToken = default) => database.MigrateAsync(cancellationToken);
}
