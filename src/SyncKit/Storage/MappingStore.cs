using SyncKit.Mapping;

namespace SyncKit.Storage;

/// <summary>Persists mappings from the host's keys to the ledger's, per tenant.</summary>
public abstract class MappingStore
{
    /// <summary>Reads one mapping.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="kind">The mapping kind.</param>
    /// <param name="localKey">The host's key.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The ledger's key, or null when unmapped.</returns>
    public abstract Task<string?> GetAsync(string tenantId, MappingKind kind, string localKey, CancellationToken cancellationToken = default);

    /// <summary>Reads every mapping of a kind.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="kind">The mapping kind.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>Host key → ledger key.</returns>
    public abstract Task<IReadOnlyDictionary<string, string>> GetAllAsync(string tenantId, MappingKind kind, CancellationToken cancellationToken = default);

    /// <summary>Adds or replaces a mapping.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="kind">The mapping kind.</param>
    /// <param name="localKey">The host's key.</param>
    /// <param name="remoteKey">The ledger's key.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task.</returns>
    public abstract Task SetAsync(string tenantId, MappingKind kind, string localKey, string remoteKey, CancellationToken cancellationToken = default);

    /// <summary>Removes a mapping.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="kind">The mapping kind.</param>
    /// <param name="localKey">The host's key.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>True when a mapping was removed.</returns>
    public abstract Task<bool> RemoveAsync(string tenantId, MappingKind kind, string localKey, CancellationToken cancellationToken = default);

    /// <summary>Deletes every mapping of a tenant (offboarding).</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>How many were deleted.</returns>
    /// <remarks>Added after the first release: a store written before it refuses with <see cref="NotSupportedException"/>.</remarks>
    public virtual Task<int> DeleteTenantAsync(string tenantId, CancellationToken cancellationToken = default) =>
        throw StoreErasure.NotSupported(GetType());
}
