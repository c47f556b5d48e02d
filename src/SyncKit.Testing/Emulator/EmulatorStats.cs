namespace SyncKit.Testing.Emulator;

/// <summary>What the emulator has seen: calls per tenant and endpoint, writes, 429s by problem.</summary>
public sealed class EmulatorStats
{
    /// <summary>Calls keyed by tenant id, then by endpoint (<c>"PUT Invoices"</c>).</summary>
    public required IReadOnlyDictionary<Guid, IReadOnlyDictionary<string, int>> Calls { get; init; }

    /// <summary>Writes (PUT/POST/DELETE on API paths) that reached the handler, per tenant.</summary>
    public required IReadOnlyDictionary<Guid, int> Writes { get; init; }

    /// <summary>429 answers by <c>X-Rate-Limit-Problem</c>.</summary>
    public required IReadOnlyDictionary<string, int> RateLimited { get; init; }

    /// <summary>Faults injected, by kind.</summary>
    public required IReadOnlyDictionary<string, int> Faults { get; init; }

    /// <summary>Egress: bytes of response bodies each app pulled from each tenant (the Organisation endpoint is exempt).</summary>
    public IReadOnlyList<EmulatorEgress> Egress { get; init; } = [];

    /// <summary>Total calls reaching the API (all tenants).</summary>
    public int TotalCalls => Calls.Values.Sum(e => e.Values.Sum());
}

/// <summary>What one app pulled from one tenant.</summary>
public sealed class EmulatorEgress
{
    /// <summary>The app.</summary>
    public required string ClientId { get; init; }

    /// <summary>The tenant.</summary>
    public required Guid TenantId { get; init; }

    /// <summary>Bytes in all.</summary>
    public required long Bytes { get; init; }

    /// <summary>Bytes per endpoint (<c>"GET Invoices"</c>).</summary>
    public required IReadOnlyDictionary<string, long> ByEndpoint { get; init; }
}
