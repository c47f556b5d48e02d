using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SyncKit.Records;
using SyncKit.Runs;
using SyncKit.Sources;
using SyncKit.Storage;
using SyncKit.Testing.Connectors;
using SyncKit.Testing.Sources;

namespace SyncKit.Hosting.Tests;

/// <summary>
/// Three schedulers (three hosts) over one store, one ledger and one host database, on one fake clock: every tenant
/// runs once per period on exactly one node, and a node that dies holding claims has its tenants run by the others once
/// the claims run out.
/// </summary>
public sealed class MultiNodeSchedulingTests
{
    private static readonly DateTimeOffset Start = SchedulerHarness.Start;
    private static readonly TimeSpan Every = TimeSpan.FromHours(1);
    private static readonly TimeSpan ClaimDuration = TimeSpan.FromMinutes(5);
    private static readonly string[] TenantIds = [.. Enumerable.Range(1, 6).Select(i => $"tenant-{i}")];

    [Fact]
    public async Task ThreeNodes_RunEachTenantOncePerPeriod_AndADeadNodesTenantsAreTakenOverWhenItsClaimsRunOut()
    {
        await using var cluster = new SharedDatabase();
        foreach (var tenant in TenantIds)
        {
            await cluster.AddTenantAsync(tenant);
        }

        // Node 1 alone: it claims every tenant as it falls due, and each run hangs reading the host's data.
        var hanging = new CountingSource(cluster.Contacts);
        var node1 = cluster.Node("node-1", hanging, maxConcurrent: TenantIds.Length);
        await node1.StartAsync();
        await cluster.StepToAsync(Start.AddMinutes(35));
        await hanging.WaitForReadersAsync(TenantIds.Length);
        Assert.All(await cluster.Store.Tenants.GetScheduleAsync(), d => Assert.Equal("node-1", d.ClaimedBy));

        // Node 1 dies: nothing it writes lands any more (its claims and leases stay as they were), and it stops.
        var killedAt = cluster.Time.GetUtcNow();
        cluster.Kill("node-1");
        await node1.StopAsync();
        cluster.Stopped("node-1");
        var rotaAtDeath = await cluster.Store.Tenants.GetScheduleAsync();
        var lastClaimEnds = rotaAtDeath.Max(d => d.ClaimedUntil!.Value);

        var node2 = cluster.Node("node-2", cluster.Contacts, maxConcurrent: 2);
        var node3 = cluster.Node("node-3", cluster.Contacts, maxConcurrent: 2);
        await node2.StartAsync();
        await node3.StartAsync();

        // Until a tenant's claim runs out no other node touches it.
        await cluster.StepToAsync(lastClaimEnds.AddMinutes(-1));
        Assert.InRange(lastClaimEnds - killedAt, TimeSpan.Zero, ClaimDuration);

        // Then they do, each tenant once; and the two survivors carry on for two more periods.
        await cluster.StepToAsync(Start.AddMinutes(55));
        await cluster.WaitForFinishedAsync(TenantIds.Length);
        await cluster.StepToAsync(Start + (3 * Every) - TimeSpan.FromMinutes(5));
        await cluster.WaitForFinishedAsync(3 * TenantIds.Length);
        await cluster.StopAsync(node2, "node-2");
        await cluster.StopAsync(node3, "node-3");

        var completed = await cluster.ScheduledRunsAsync(run => run.Outcome == RunOutcome.Completed);
        foreach (var tenant in TenantIds)
        {
            var periods = completed.Where(r => r.TenantId == tenant).Select(r => (int)((r.StartedAt - Start) / Every)).Order().ToList();
            Assert.Equal([0, 1, 2], periods);
            Assert.Equal(2, cluster.Connector.Ledger(tenant).RecordsOf(RecordKind.Contact).Count);
        }

        Assert.All(completed, r => Assert.Contains(r.RequestedBy, new[] { "node-2", "node-3" }));
        Assert.All(completed, r => Assert.True(r.StartedAt >= rotaAtDeath.Single(d => d.TenantId == r.TenantId).ClaimedUntil, $"{r.TenantId} ran before the dead node's claim ran out"));
        Assert.Equal(cluster.Connector.IdempotencyKeys.Count, cluster.Connector.IdempotencyKeys.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task ANodeStoppedCleanly_GivesItsClaimsBack_AndAnotherNodeRunsThemAtOnce()
    {
        await using var cluster = new SharedDatabase();
        await cluster.AddTenantAsync("tenant-1");
        var hanging = new CountingSource(cluster.Contacts);
        var node1 = cluster.Node("node-1", hanging, maxConcurrent: 1);
        await node1.StartAsync();
        await cluster.StepToAsync(Start.AddMinutes(31));
        await hanging.WaitForReadersAsync(1);

        await cluster.StopAsync(node1, "node-1");
        var node2 = cluster.Node("node-2", cluster.Contacts, maxConcurrent: 1);
        await node2.StartAsync();
        await cluster.WaitForFinishedAsync(1);
        await cluster.StopAsync(node2, "node-2");

        var run = Assert.Single(await cluster.ScheduledRunsAsync(r => r.Outcome == RunOutcome.Completed));
        Assert.Equal("node-2", run.RequestedBy);
        Assert.True(run.StartedAt < Start.AddMinutes(31) + ClaimDuration, "a claim given back is not waited out");
    }

    /// <summary>The product's database (in-memory stores in a container of their own), its Xero and its host data, on one clock.</summary>
    private sealed class SharedDatabase : IAsyncDisposable
    {
        private readonly ServiceProvider _database;
        private readonly List<IHost> _hosts = [];
        private readonly Dictionary<string, DeadNodeTenantStore> _nodeStores = new(StringComparer.Ordinal);
        private readonly Dictionary<string, NodeSignals> _signals = new(StringComparer.Ordinal);

        public SharedDatabase()
        {
            var services = new ServiceCollection();
            services.AddSingleton<TimeProvider>(Time);
            services.AddSyncKit().UseInMemoryStorage();
            _database = services.BuildServiceProvider();
            Store = new StoreHandles(_database);
        }

        public SchedulerClock Time { get; } = new(Start) { UnwatchedFrom = TimeSpan.FromDays(7) };

        public StoreHandles Store { get; }

        public InMemoryLedgerConnector Connector { get; } = new();

        public InMemorySource<ContactRecord> Contacts { get; } = new(RecordKind.Contact);


        public async Task AddTenantAsync(string tenantId)
        {
            await Store.Tenants.SaveAsync(new TenantState { TenantId = tenantId, Connection = ConnectionState.Connected, UpdatedAt = Start });
            Contacts.Put(tenantId, new ContactRecord { SourceId = "c1", Name = $"{tenantId} customer 1" });
            Contacts.Put(tenantId, new ContactRecord { SourceId = "c2", Name = $"{tenantId} customer 2" });
        }

        /// <summary>A host: the engine and the scheduler over the shared stores, named <paramref name="node"/> in the rota and the run log.</summary>
        public IHost Node(string node, SyncSource<ContactRecord> source, int maxConcurrent)
        {
            var tenants = new DeadNodeTenantStore(Store.Tenants);
            _nodeStores[node] = tenants;
            var signals = new NodeSignals();
            _signals[node] = signals;
            var host = new HostBuilder()
                .ConfigureServices(services =>
                {
                    services.AddSingleton<TimeProvider>(Time);
                    services.AddLogging(b => b.SetMinimumLevel(LogLevel.Debug));
                    services.AddSingleton<ILoggerProvider>(signals);

                    services.AddSyncKit(o => o.LeaseDuration = TimeSpan.FromMinutes(2))
                        .UseInMemoryStorage()
                        .UseConnector(Connector)
                        .AddSource(source)
                        .AddScheduledSync(o =>
                        {
                            o.Every = Every;
                            o.Jitter = 0.5;
                            o.FirstRunDelay = TimeSpan.Zero;
                            o.MaxConcurrentTenants = maxConcurrent;
                            o.ClaimDuration = ClaimDuration;
                            o.NodeId = node;
                            o.RequestedBy = node;
                        });
                    Store.ShareWith(services, tenants);
                })
                .Build();
            _hosts.Add(host);
            return host;
        }

        /// <summary>From now on nothing the node writes to (or reads from) the tenant store lands: the process is gone.</summary>
        public void Kill(string node) => _nodeStores[node].Dead = true;

        /// <summary>
        /// Moves the clock to <paramref name="until"/> one wake-up at a time: each step goes to the earliest time a live
        /// node waits for, and only once every live node is waiting (its pass done, its timer set), so no node is left
        /// behind the clock.
        /// </summary>
        public async Task StepToAsync(DateTimeOffset until)
        {
            while (Time.GetUtcNow() < until)
            {
                var wakes = new List<DateTimeOffset>();
                foreach (var signals in _signals.Values.Where(s => s.Live))
                {
                    wakes.Add(await signals.WaitingAsync());
                }

                var next = wakes.Count == 0 ? until : wakes.Min();
                next = next > until ? until : next;
                foreach (var signals in _signals.Values.Where(s => s.Live))
                {
                    // A node whose timer this step fires is at work from now on, even before its first log line says so.
                    signals.Due(next);
                }

                Time.Advance(next > Time.GetUtcNow() ? next - Time.GetUtcNow() : TimeSpan.FromSeconds(1));
            }
        }

        /// <summary>The node is gone: the clock no longer waits for it.</summary>
        public void Stopped(string node) => _signals[node].Live = false;

        public async Task StopAsync(IHost host, string node)
        {
            await host.StopAsync();
            Stopped(node);
        }

        /// <summary>Waits until <paramref name="total"/> scheduled runs have finished on the nodes but the first (hang protection only: 30 seconds a run).</summary>
        public async Task WaitForFinishedAsync(int total)
        {
            while (true)
            {
                var changed = _signals.Values.Skip(1).Select(s => s.NextChangeAsync()).ToList();
                if (_signals.Values.Skip(1).Sum(s => s.Finished) >= total)
                {
                    return;
                }

                try
                {
                    await Task.WhenAny(changed).WaitAsync(TimeSpan.FromSeconds(30));
                }
                catch (TimeoutException)
                {
                    // Say what the rota and the run log hold, so a hang can be read from the failure alone.
                    var runs = await ScheduledRunsAsync(_ => true);
                    var rota = await Store.Tenants.GetScheduleAsync();
                    Assert.Fail(
                        $"{total} runs expected by {Time.GetUtcNow():HH:mm:ss}; rota:\n{string.Join("\n", rota)}\nruns:\n" +
                        string.Join("\n", runs.OrderBy(r => r.StartedAt).Select(r => $"{r.TenantId} {r.RequestedBy} {r.Outcome} {r.StartedAt:HH:mm:ss}")));
                }
            }
        }

        public async Task<List<SyncRun>> ScheduledRunsAsync(Func<SyncRun, bool> which)
        {
            var runs = new List<SyncRun>();
            foreach (var tenant in TenantIds)
            {
                runs.AddRange((await Store.Runs.ListAsync(tenant, 100)).Where(r => r.Trigger == SyncTrigger.Scheduled && which(r)));
            }

            return runs;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var host in _hosts)
            {
                host.Dispose();
            }

            await _database.DisposeAsync();
        }
    }

    /// <summary>The shared stores, registered into each node in place of its own.</summary>
    private sealed class StoreHandles(IServiceProvider database)
    {
        public TenantStore Tenants { get; } = database.GetRequiredService<TenantStore>();

        public RunLog Runs { get; } = database.GetRequiredService<RunLog>();

        public void ShareWith(IServiceCollection services, TenantStore tenants)
        {
            services.RemoveAll<TenantStore>().AddSingleton(tenants);
            Share<LedgerStore>(services);
            Share<MappingStore>(services);
            Share<RunLog>(services);
            Share<TokenStore>(services);
            Share<ReferenceDataCache>(services);
            Share<InboundStore>(services);
            Share<WebhookInbox>(services);
            Share<TenantSettingsStore>(services);
            Share<StoreSchema>(services);
        }

        private void Share<T>(IServiceCollection services)
            where T : class => services.RemoveAll<T>().AddSingleton(database.GetRequiredService<T>());
    }

    /// <summary>
    /// One node's scheduler, as its log shows it: whether it is waiting on the clock (and until when) or busy, and how many
    /// runs it has finished.
    /// </summary>
    private sealed class NodeSignals : ILoggerProvider
    {
        private static readonly string s_category = typeof(ScheduledSyncService).FullName!;
        private readonly Lock _gate = new();
        private DateTimeOffset? _waitingUntil;
        private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _finished;

        public bool Live { get; set; } = true;

        public int Finished => Volatile.Read(ref _finished);

        /// <summary>Waits until the scheduler's latest log line says it is waiting on the clock; returns until when (hang protection: 30 seconds).</summary>
        public async Task<DateTimeOffset> WaitingAsync()
        {
            while (true)
            {
                Task changed;
                lock (_gate)
                {
                    if (_waitingUntil is { } until)
                    {
                        return until;
                    }

                    changed = _changed.Task;
                }

                await changed.WaitAsync(TimeSpan.FromSeconds(30));
            }
        }

        /// <summary>The clock is about to reach <paramref name="now"/>: a wait that ends by then is over.</summary>
        public void Due(DateTimeOffset now)
        {
            lock (_gate)
            {
                if (_waitingUntil <= now)
                {
                    _waitingUntil = null;
                }
            }
        }

        public Task NextChangeAsync()
        {
            lock (_gate)
            {
                return _changed.Task;
            }
        }

        public ILogger CreateLogger(string categoryName) =>
            categoryName == s_category ? new Logger(this) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        public void Dispose()
        {
        }

        private void OnEvent(int eventId, DateTimeOffset? wakeAt)
        {
            TaskCompletionSource changed;
            lock (_gate)
            {
                // 1017 waiting; 1007-1011 a run finished; anything else: the scheduler is at work.
                _waitingUntil = eventId == 1017 ? wakeAt : null;
                if (eventId is >= 1007 and <= 1011)
                {
                    Interlocked.Increment(ref _finished);
                }

                changed = _changed;
                _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            changed.TrySetResult();
        }

        private sealed class Logger(NodeSignals owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var wakeAt = state is IReadOnlyList<KeyValuePair<string, object?>> values
                    ? values.FirstOrDefault(v => v.Key == "WakeAt").Value as DateTimeOffset?
                    : null;
                owner.OnEvent(eventId.Id, wakeAt);
            }
        }
    }
}
