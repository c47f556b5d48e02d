namespace SyncKit.Storage.InMemory;

/// <summary>The in-memory store's schema: nothing to create, always at version 1.</summary>
internal sealed class InMemoryStoreSchema : StoreSchema
{
    public override int LatestVersion => 1;

    public override Task<int> GetVersionAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(LatestVersion);
    }

    public override Task<int> MigrateAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(LatestVersion);
    }
}
