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

    /// <summary>Total calls reaching the API (all tenants).</summary>
    public int TotalCalls => Calls.Values.Sum(e => e.Values.Sum());
}
