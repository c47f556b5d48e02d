using Microsoft.Extensions.Logging;
using SyncKit.Connectors;
using SyncKit.Errors;
using SyncKit.Records;
using SyncKit.Sources;
using SyncKit.Storage;
using SyncKit.Telemetry;

namespace SyncKit.Engine;

/// <summary>What a run needs from the container, gathered once.</summary>
internal sealed class EngineServices
{
    private readonly Dictionary<RecordKind, SyncSource> _sources;

    public EngineServices(
        LedgerStore ledger,
        TenantStore tenants,
        RunLog runs,
        ReferenceDataCache referenceCache,
        LedgerConnector connector,
        IEnumerable<SyncSource> sources,
        RecordPreparer preparer,
        ErrorClassifier classifier,
        SyncMetrics metrics,
        SyncOptions options,
        TimeProvider time,
        ILogger logger)
    {
        Ledger = ledger;
        Tenants = tenants;
        Runs = runs;
        ReferenceCache = referenceCache;
        Connector = connector;
        Preparer = preparer;
        Classifier = classifier;
        Metrics = metrics;
        Options = options;
        Time = time;
        Logger = logger;

        // The last source registered for a kind wins, so a host can replace one.
        _sources = [];
        foreach (var source in sources)
        {
            _sources[source.Kind] = source;
        }
    }

    public LedgerStore Ledger { get; }

    public TenantStore Tenants { get; }

    public RunLog Runs { get; }

    public ReferenceDataCache ReferenceCache { get; }

    public LedgerConnector Connector { get; }

    public RecordPreparer Preparer { get; }

    public ErrorClassifier Classifier { get; }

    public SyncMetrics Metrics { get; }

    public SyncOptions Options { get; }

    public TimeProvider Time { get; }

    public ILogger Logger { get; }

    public IReadOnlyCollection<RecordKind> SourceKinds => _sources.Keys;

    public SyncSource? SourceFor(RecordKind kind) => _sources.GetValueOrDefault(kind);
}
