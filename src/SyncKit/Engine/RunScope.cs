using SyncKit.Connectors;
using SyncKit.Ledger;
using SyncKit.Mapping;
using SyncKit.Records;

namespace SyncKit.Engine;

/// <summary>What one run knows: its tenant, reference data read once, mappings looked up once, and the current chunk's links.</summary>
internal sealed class RunScope
{
    private readonly TimeProvider _time;

    public RunScope(string tenantId, string runId, ReferenceData reference, TimeProvider time)
    {
        TenantId = tenantId;
        RunId = runId;
        Reference = reference;
        _time = time;
    }

    public string TenantId { get; }

    public string RunId { get; }

    public ReferenceData Reference { get; }

    public DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>Mapping lookups made in this run (few distinct keys, many records).</summary>
    public Dictionary<(MappingKind Kind, string Key), string?> Mappings { get; } = [];

    /// <summary>Ledger entries of the records the current chunk refers to, by <see cref="PushElement.LinkKey"/>.</summary>
    public Dictionary<string, LedgerEntry> LinkedEntries { get; } = new(StringComparer.Ordinal);

    public LedgerEntry? LinkedEntry(RecordKind kind, string sourceId) =>
        LinkedEntries.TryGetValue(PushElement.LinkKey(kind, sourceId), out var entry) ? entry : null;
}
