using SyncKit.Records;
using SyncKit.Storage;

namespace SyncKit.Inbound;

/// <summary>What a pull needs beside the engine's own services: the inbound store and the host's targets.</summary>
internal sealed class InboundServices
{
    private readonly Dictionary<RecordKind, SyncTarget> _targets = [];

    public InboundServices(InboundStore? store, IEnumerable<SyncTarget> targets)
    {
        Store = store;

        // The last target registered for a kind wins, as with sources.
        foreach (var target in targets)
        {
            _targets[target.Kind] = target;
        }
    }

    /// <summary>The store, or null when the registered storage has none (a custom store written before pulls existed).</summary>
    public InboundStore? Store { get; }

    public IReadOnlyCollection<RecordKind> TargetKinds => _targets.Keys;

    public SyncTarget? TargetFor(RecordKind kind) => _targets.GetValueOrDefault(kind);
}
