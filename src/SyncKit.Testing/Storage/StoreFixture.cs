using Xunit;
namespace SyncKit.Testing.Storage;

/// <summary>
/// Supplies a storage provider to the contract suite: each call to <see cref="CreateStoresAsync"/> returns a fresh,
/// isolated, migrated set of stores (a new SQLite file, a new PostgreSQL schema, ...).
/// </summary>
/// <remarks>
/// A provider passes the suite by deriving one fixture and, per contract class, one empty test class:
/// <code>
/// public sealed class SqliteLedgerStoreTests(SqliteStoreFixture fixture)
///     : LedgerStoreContract(fixture), IClassFixture&lt;SqliteStoreFixture&gt;;
/// </code>
/// </remarks>
public abstract class StoreFixture : IAsyncLifetime
{
    /// <summary>Creates a fresh, empty, isolated and migrated set of stores.</summary>
    /// <param name="cancellationToken">Cancels the creation.</param>
    /// <returns>The stores; dispose them at the end of the test.</returns>
    public abstract Task<StoreSet> CreateStoresAsync(CancellationToken cancellationToken = default);

    /// <summary>Opens a second set of stores over the same data as <paramref name="stores"/> (another "node"), or null when the provider keeps data per instance.</summary>
    /// <param name="stores">A set created by <see cref="CreateStoresAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the creation.</param>
    /// <returns>The second set, or null.</returns>
    public virtual Task<StoreSet?> OpenSecondNodeAsync(StoreSet stores, CancellationToken cancellationToken = default) =>
        Task.FromResult<StoreSet?>(null);

    /// <summary>Prepares shared resources (a server connection, a temp directory).</summary>
    /// <returns>A task.</returns>
    public virtual Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Releases shared resources (drops schemas, deletes files).</summary>
    /// <returns>A task.</returns>
    public virtual Task DisposeAsync() => Task.CompletedTask;
}
