using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SyncKit.Inbound;
using SyncKit.Records;
using SyncKit.Runs;
using SyncKit.Storage;

namespace SyncKit.Tests.Inbound;

/// <summary>An engine over in-memory storage and a scripted ledger, with a recording target for clients and one for jobs.</summary>
internal sealed class PullHost : IAsyncDisposable
{
    public const string Tenant = "tenant-pull";

    public PullHost(int pageSize = 10)
    {
        Ledger = new ScriptedPullLedger(Time);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        services.AddSyncKit(o => o.PullPageSize = pageSize)
            .UseInMemoryStorage()
            .UseConnector(Ledger)
            .AddTarget(new RecordingTarget<PulledClient>(RecordKind.Client, this))
            .AddTarget(new RecordingTarget<PulledJob>(RecordKind.Job, this));
        Services = services.BuildServiceProvider();
        Engine = Services.GetRequiredService<ISyncEngine>();
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));

    public ScriptedPullLedger Ledger { get; }

    public ServiceProvider Services { get; }

    public ISyncEngine Engine { get; }

    public InboundStore Inbound => Services.GetRequiredService<InboundStore>();

    /// <summary>Every change offered, in order (Fields: those the target was to take, null for all).</summary>
    public List<(PullAction Action, PulledRecord Record, bool MayBeApplied, IReadOnlySet<string>? Fields)> Offered { get; } = [];

    /// <summary>The host id each offered change named (null for a create), in the order offered.</summary>
    public List<string?> OfferedHostIds { get; } = [];

    /// <summary>The host records the target says a pulled record (by remote id) may already be.</summary>
    public Dictionary<string, string[]> Matches { get; } = new(StringComparer.Ordinal);

    /// <summary>When the host's records last changed locally, for the ones the host keeps a time of.</summary>
    public Dictionary<string, DateTimeOffset> LocalChangeTimes { get; } = new(StringComparer.Ordinal);

    public LedgerStore LedgerStore => Services.GetRequiredService<LedgerStore>();

    public List<PullConflict> Conflicts { get; } = [];

    /// <summary>Host ids with a change waiting to be pushed.</summary>
    public HashSet<string> Pending { get; } = new(StringComparer.Ordinal);

    /// <summary>Throws for the nth offer (1-based) once: a host killed mid-pull.</summary>
    public int? FailOnOffer { get; set; }

    public Task<SyncRun> PullAsync(params RecordKind[] kinds) => Engine.PullAsync(new PullRequest { TenantId = Tenant, Kinds = kinds });

    public ValueTask DisposeAsync() => Services.DisposeAsync();

    private sealed class RecordingTarget<T>(RecordKind kind, PullHost host) : SyncTarget<T>
        where T : PulledRecord
    {
        public override RecordKind Kind => kind;

        public override ValueTask<bool> HasPendingChangeAsync(string tenantId, string hostId, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(host.Pending.Contains(hostId));

        public override ValueTask<DateTimeOffset?> GetLocalChangeTimeAsync(string tenantId, string hostId, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(host.LocalChangeTimes.TryGetValue(hostId, out var at) ? at : (DateTimeOffset?)null);

        public override Task OnConflictAsync(PullConflict conflict, CancellationToken cancellationToken = default)
        {
            host.Conflicts.Add(conflict);
            return Task.CompletedTask;
        }

        public override Task<IReadOnlyList<string>> FindMatchesAsync(string tenantId, T record, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<string>>(host.Matches.GetValueOrDefault(record.RemoteId, []));

        public override Task<string?> ApplyAsync(PulledChange<T> change, CancellationToken cancellationToken = default)
        {
            host.Offered.Add((change.Action, change.Record, change.MayBeApplied, change.Fields));
            host.OfferedHostIds.Add(change.HostId);
            if (host.FailOnOffer == host.Offered.Count)
            {
                host.FailOnOffer = null;
                throw new IOException("The host went away.");
            }

            return Task.FromResult<string?>(change.HostId ?? "h-" + change.Record.RemoteId);
        }
    }
}
