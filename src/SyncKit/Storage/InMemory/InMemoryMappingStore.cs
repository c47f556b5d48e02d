using SyncKit.Mapping;

namespace SyncKit.Storage.InMemory;

/// <summary>A mapping store held in memory.</summary>
internal sealed class InMemoryMappingStore : MappingStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string TenantId, MappingKind Kind, string LocalKey), string> _mappings = [];

    public override Task<string?> GetAsync(string tenantId, MappingKind kind, string localKey, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_mappings.GetValueOrDefault((tenantId, kind, localKey)));
        }
    }

    public override Task<IReadOnlyDictionary<string, string>> GetAllAsync(string tenantId, MappingKind kind, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var all = new Dictionary<string, string>(StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (var ((tenant, k, local), remote) in _mappings)
            {
                if (k == kind && string.Equals(tenant, tenantId, StringComparison.Ordinal))
                {
                    all[local] = remote;
                }
            }
        }

        return Task.FromResult<IReadOnlyDictionary<string, string>>(all);
    }

    public override Task SetAsync(string tenantId, MappingKind kind, string localKey, string remoteKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(remoteKey);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _mappings[(tenantId, kind, localKey)] = remoteKey;
        }

        return Task.CompletedTask;
    }

    public override Task<bool> RemoveAsync(string tenantId, MappingKind kind, string localKey, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_mappings.Remove((tenantId, kind, localKey)));
        }
    }

    public override Task<int> DeleteTenantAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var keys = _mappings.Keys.Where(k => string.Equals(k.TenantId, tenantId, StringComparison.Ordinal)).ToList();
            keys.ForEach(k => _mappings.Remove(k));
            return Task.FromResult(keys.Count);
        }
    }
}
