using SyncKit.Runs;

namespace SyncKit.Storage;

/// <summary>Persists runs: the activity log.</summary>
public abstract class RunLog
{
    /// <summary>Adds or replaces a run's row.</summary>
    /// <param name="run">The run.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task.</returns>
    public abstract Task SaveAsync(SyncRun run, CancellationToken cancellationToken = default);

    /// <summary>Reads a run.</summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The run, or null.</returns>
    public abstract Task<SyncRun?> GetAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Lists a tenant's runs, newest first.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="limit">The most rows to return.</param>
    /// <param name="startedBefore">Only runs started before this time (for paging), or null.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The runs.</returns>
    public abstract Task<IReadOnlyList<SyncRun>> ListAsync(string tenantId, int limit, DateTimeOffset? startedBefore = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes every run of a tenant (offboarding).</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>How many were deleted.</returns>
    /// <remarks>Added after the first release: a store written before it refuses with <see cref="NotSupportedException"/>.</remarks>
    public virtual Task<int> DeleteTenantAsync(string tenantId, CancellationToken cancellationToken = default) =>
        throw StoreErasure.NotSupported(GetType());
}
