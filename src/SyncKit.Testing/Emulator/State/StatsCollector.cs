namespace SyncKit.Testing.Emulator.State;

/// <summary>Counters behind <see cref="EmulatorStats"/>.</summary>
internal sealed class StatsCollector
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, Dictionary<string, int>> _calls = [];
    private readonly Dictionary<Guid, int> _writes = [];
    private readonly Dictionary<string, int> _rateLimited = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, int> _faults = new(StringComparer.Ordinal);
    private readonly Dictionary<(string ClientId, Guid TenantId), Dictionary<string, long>> _egress = [];

    /// <summary>Bytes an app pulled from a tenant through one endpoint (response bodies).</summary>
    public void Egress(string clientId, Guid tenantId, string endpoint, long bytes)
    {
        lock (_gate)
        {
            var perEndpoint = _egress.TryGetValue((clientId, tenantId), out var d) ? d : _egress[(clientId, tenantId)] = new Dictionary<string, long>(StringComparer.Ordinal);
            perEndpoint[endpoint] = perEndpoint.GetValueOrDefault(endpoint) + bytes;
        }
    }

    public void Call(Guid tenantId, string endpoint)
    {
        lock (_gate)
        {
            var perTenant = _calls.TryGetValue(tenantId, out var d) ? d : _calls[tenantId] = new Dictionary<string, int>(StringComparer.Ordinal);
            perTenant[endpoint] = perTenant.GetValueOrDefault(endpoint) + 1;
        }
    }

    public void Write(Guid tenantId)
    {
        lock (_gate)
        {
            _writes[tenantId] = _writes.GetValueOrDefault(tenantId) + 1;
        }
    }

    public void RateLimited(string problem)
    {
        lock (_gate)
        {
            _rateLimited[problem] = _rateLimited.GetValueOrDefault(problem) + 1;
        }
    }

    public void Fault(EmulatorFaultKind kind)
    {
        lock (_gate)
        {
            var key = kind.ToString();
            _faults[key] = _faults.GetValueOrDefault(key) + 1;
        }
    }

    public EmulatorStats Snapshot()
    {
        lock (_gate)
        {
            return new EmulatorStats
            {
                Calls = _calls.ToDictionary(c => c.Key, c => (IReadOnlyDictionary<string, int>)new Dictionary<string, int>(c.Value, StringComparer.Ordinal)),
                Writes = new Dictionary<Guid, int>(_writes),
                RateLimited = new Dictionary<string, int>(_rateLimited, StringComparer.OrdinalIgnoreCase),
                Faults = new Dictionary<string, int>(_faults, StringComparer.Ordinal),
                Egress = _egress.Select(e => new EmulatorEgress
                {
                    ClientId = e.Key.ClientId,
                    TenantId = e.Key.TenantId,
                    Bytes = e.Value.Values.Sum(),
                    ByEndpoint = new Dictionary<string, long>(e.Value, StringComparer.Ordinal),
                }).OrderBy(e => e.ClientId, StringComparer.Ordinal).ThenBy(e => e.TenantId).ToArray(),
            };
        }
    }
}
