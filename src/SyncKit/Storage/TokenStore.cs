namespace SyncKit.Storage;

/// <summary>A connection's token set, already protected (encrypted) by the connector.</summary>
public sealed record StoredToken
{
    /// <summary>The connection's key (one per user connection, covering every tenant it connected).</summary>
    public required string ConnectionKey { get; init; }

    /// <summary>The protected payload; stores never see tokens in clear.</summary>
    public required string ProtectedPayload { get; init; }

    /// <summary>When it was saved.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Optimistic concurrency version: 0 for a token never saved.</summary>
    public long Version { get; init; }
}

/// <summary>Persists connections' token sets.</summary>
public abstract class TokenStore
{
    /// <summary>Reads a token set.</summary>
    /// <param name="connectionKey">The connection.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The token, or null.</returns>
    public abstract Task<StoredToken?> GetAsync(string connectionKey, CancellationToken cancellationToken = default);

    /// <summary>Saves a token set if the stored version is still the one it was read at.</summary>
    /// <param name="token">The token, carrying the version it was read at (0 for new).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>True when saved (stored with version + 1); false when another writer saved first.</returns>
    public abstract Task<bool> TrySaveAsync(StoredToken token, CancellationToken cancellationToken = default);

    /// <summary>Deletes a token set.</summary>
    /// <param name="connectionKey">The connection.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>True when one was deleted.</returns>
    public abstract Task<bool> DeleteAsync(string connectionKey, CancellationToken cancellationToken = default);
}
