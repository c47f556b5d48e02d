namespace SyncKit.Storage.InMemory;

/// <summary>Reference data cached in memory.</summary>
internal sealed class InMemoryReferenceDataCache : ReferenceDataCache
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, CachedReferenceData> _data = new(StringComparer.Ordinal);

    public override Task<CachedReferenceData?> GetAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_data.GetValueOrDefault(tenantId));
        }
    }

    public override Task SetAsync(CachedReferenceData data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _data[data.TenantId] = data;
        }

        return Task.CompletedTask;
    }

    public override Task<int> DeleteTenantAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_data.Remove(tenantId) ? 1 : 0);
        }
    }
}
