using SyncKit.Connectors;
using SyncKit.Ledger;
using SyncKit.Mapping;
using SyncKit.Records;
using SyncKit.Storage;

namespace SyncKit.Engine;

/// <summary>What one run knows: its tenant, reference data read once, mappings looked up once, and the current chunk's links.</summary>
internal sealed class RunScope
{
    private readonly TimeProvider _time;

    public RunScope(string tenantId, string runId, ReferenceData reference, TimeProvider time, Settings.RunSettings settings)
    {
        TenantId = tenantId;
        RunId = runId;
        Reference = reference;
        _time = time;
        Settings = settings;
    }

    public string TenantId { get; }

    public string RunId { get; }

    public ReferenceData Reference { get; }

    /// <summary>The tenant's settings for this run, read once at its start.</summary>
    public Settings.RunSettings Settings { get; }

    public DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>Mapping lookups made in this run (few distinct keys, many records).</summary>
    public Dictionary<(MappingKind Kind, string Key), string?> Mappings { get; } = [];

    /// <summary>Ledger entries of the records the current chunk refers to, by <see cref="PushElement.LinkKey"/>.</summary>
    public Dictionary<string, LedgerEntry> LinkedEntries { get; } = new(StringComparer.Ordinal);

    public LedgerEntry? LinkedEntry(RecordKind kind, string sourceId) =>
        LinkedEntries.TryGetValue(PushElement.LinkKey(kind, sourceId), out var entry) ? entry : null;

    /// <summary>Reads the ledger entries of the records a chunk refers to (contacts, invoices, clients, jobs, items), one read per kind.</summary>
    public async Task LoadLinksAsync(LedgerStore ledger, IEnumerable<SyncRecord> records, CancellationToken cancellationToken)
    {
        LinkedEntries.Clear();
        foreach (var group in records.SelectMany(SafeLinksOf).Distinct().GroupBy(l => l.Kind))
        {
            var ids = group.Select(l => l.SourceId).ToArray();
            var found = await ledger.GetManyAsync(TenantId, group.Key, ids, cancellationToken).ConfigureAwait(false);
            foreach (var (sourceId, entry) in found)
            {
                LinkedEntries[PushElement.LinkKey(group.Key, sourceId)] = entry;
            }
        }
    }

    private static IEnumerable<(RecordKind Kind, string SourceId)> SafeLinksOf(SyncRecord record)
    {
        try
        {
            return RecordPreparer.LinksOf(record).Where(l => l.SourceId is not null).ToArray();
        }
        catch (NullReferenceException)
        {
            // A malformed record has no readable links; preparing it reports the problem on its entry.
            return [];
        }
    }
}
