namespace SyncKit.Storage.Relational;

/// <summary>A relational provider's schema: embedded, versioned scripts recorded in its schema version table.</summary>
internal class RelationalStoreSchema(RelationalDatabase database) : StoreSchema
{
    public override int LatestVersion => database.LatestVersion;

    public override Task<int> GetVersionAsync(CancellationToken cancellationToken = default) => database.GetVersionAsync(cancellationToken);

    public override Task<int> MigrateAsync(CancellationToken cancellationToken = default) => database.MigrateAsync(cancellationToken);
}
