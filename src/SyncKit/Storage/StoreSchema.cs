namespace SyncKit.Storage;

/// <summary>Creates and migrates a provider's schema. Explicit and versioned; hosts may run it at deploy time.</summary>
public abstract class StoreSchema
{
    /// <summary>The schema version this build of the provider expects.</summary>
    public abstract int LatestVersion { get; }

    /// <summary>Reads the schema version present in the database (0 when none).</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The version.</returns>
    public abstract Task<int> GetVersionAsync(CancellationToken cancellationToken = default);

    /// <summary>Applies every migration above the present version, each in its own transaction.</summary>
    /// <param name="cancellationToken">Cancels the migration.</param>
    /// <returns>The version after migrating.</returns>
    public abstract Task<int> MigrateAsync(CancellationToken cancellationToken = default);
}
