namespace SyncKit.Storage;

/// <summary>A tenant's reference data as cached (JSON written by the engine).</summary>
public sealed record CachedReferenceData
{
    /// <summary>The tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>The serialised reference data.</summary>
    public required string Json { get; init; }

    /// <summary>When it was read from the ledger.</summary>
    public required DateTimeOffset FetchedAt { get; init; }
}

/// <summary>Caches tenants' reference data between runs.</summary>
public abstract class ReferenceDataCache
{
    /// <summary>Reads a tenant's cached reference data.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The cached data, or null.</returns>
    public abstract Task<CachedReferenceData?> GetAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>Replaces a tenant's cached reference data.</summary>
    /// <param name="data">The data.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task.</returns>
    public abstract Task SetAsync(CachedReferenceData data, CancellationToken cancellationToken = default);

    /// <summary>Deletes every cached reference data entry of a tenant (offboarding).</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>How many were deleted.</returns>
    /// <remarks>Added after the first release: a store written before it refuses with <see cref="NotSupportedException"/>.</remarks>
    public virtual Task<int> DeleteTenantAsync(string tenantId, CancellationToken cancellationToken = default) =>
        throw StoreErasure.NotSupported(GetType());
}
