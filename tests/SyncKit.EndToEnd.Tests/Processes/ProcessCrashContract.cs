using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using SyncKit.EndToEnd.Tests.ExactlyOnce;
using SyncKit.Ledger;
using SyncKit.Storage;
using SyncKit.Testing.Storage;
using Xunit.Abstractions;

namespace SyncKit.EndToEnd.Tests.Processes;

/// <summary>
/// Exactly once with real processes: host processes (<see cref="HostProgram"/>) over one store are SIGKILLed at chosen
/// points of their writes to the emulator server, itself a process of its own; fresh processes take over. At the end
/// every record is in Xero exactly once or visibly unsettled (<see cref="Invariants"/>), nothing is left InFlight, and
/// each dead process's tenant was taken over within two lease lengths of its death. Run once per store provider.
/// </summary>
public abstract class ProcessCrashContract(ITestOutputHelper output)
{
    /// <summary>A dead process's claims are reconciled by the next process within this long of its death.</summary>
    private static readonly TimeSpan s_takeoverBound = 2 * HostProgram.LeaseDuration;

    /// <summary>Creates an empty store for one test and says how host processes and the test reach it.</summary>
    private protected abstract Task<ProcessStore> CreateStoreAsync();

    [StoreFact]
    public async Task HostKilledFiveTimesMidWrite_EveryRecordReachesXeroExactlyOnce()
    {
        await using var world = await World.CreateAsync(await CreateStoreAsync(), output);
        (string Phase, int Write)[] kills = [("before-write", 2), ("after-write", 3), ("in-flight", 2), ("after-write", 4), ("after-write", 1)];

        for (var i = 0; i < kills.Length; i++)
        {
            var (phase, write) = kills[i];
            if (phase == "in-flight")
            {
                // The write is held at Xero long enough for the kill to land while it is on the wire.
                await world.Xero.AddFaultAsync(new { kind = "latency", latencyMs = 3000, method = "PUT", path = "/api.xro/" });
                await world.Xero.AddFaultAsync(new { kind = "latency", latencyMs = 3000, method = "POST", path = "/api.xro/" });
            }

            await using var host = world.StartHost($"host-{i + 1}", $"{phase}:{write}");
            await world.AwaitTakeoverAsync(host);
            await host.WaitForLineAsync(l => l == $"hung {phase} {write}", $"that it stopped at {phase} {write}");
            await world.KillAsync(host);
            await world.Xero.ClearFaultsAsync();
        }

        await using var last = world.StartHost("host-last");
        await world.AwaitTakeoverAsync(last);
        Assert.True(await last.WaitForExitAsync() == 0, "The last host did not settle:\n" + last.Transcript);

        await world.AssertExactlyOnceAsync();
    }

    [StoreFact]
    public async Task TwoHostProcessesOnOneTenant_EachKilledMidWrite_TheOtherTakesOver_AndEveryRecordReachesXeroOnce()
    {
        await using var world = await World.CreateAsync(await CreateStoreAsync(), output);

        // Two processes start together; one holds the tenant, the other is refused and keeps asking. Each stops dead
        // with its third write answered but not yet in the ledger, so the first is killed holding the tenant, the
        // second takes over, writes, and is killed the same way.
        await using var a = world.StartHost("host-a", "after-write:3");
        await using var b = world.StartHost("host-b", "after-write:3");
        var first = await World.FirstToHangAsync(a, b);
        await world.KillAsync(first);
        var second = first == a ? b : a;
        await world.AwaitTakeoverAsync(second);
        await second.WaitForLineAsync(l => l == "hung after-write 3", "that it stopped after its third write");
        await world.KillAsync(second);

        // Two more start together with nothing to stop them: one finishes the work, the other finds nothing left.
        await using var c = world.StartHost("host-c");
        await using var d = world.StartHost("host-d");
        var exits = await Task.WhenAll(c.WaitForExitAsync(), d.WaitForExitAsync());
        Assert.True(exits is [0, 0], $"The last hosts ended {string.Join(", ", exits)}:\n{c.Transcript}\n---\n{d.Transcript}");

        await world.AssertExactlyOnceAsync();
    }

    /// <summary>One test's emulator server, tenants, store and host processes, and what the test observed of them.</summary>
    private sealed class World : IAsyncDisposable
    {
        private readonly ProcessStore _store;
        private readonly ITestOutputHelper _output;
        private readonly List<string> _violations = [];
        private readonly List<ChildProcess> _hosts = [];
        private HashSet<string> _baseline = [];
        private Guid _organisation;
        private Guid _practice;
        private string _clientId = string.Empty;
        private string _clientSecret = string.Empty;
        private long? _killedAt;

        private World(EmulatorServer xero, ProcessStore store, ITestOutputHelper output)
        {
            Xero = xero;
            _store = store;
            _output = output;
        }

        public EmulatorServer Xero { get; }

        public static async Task<World> CreateAsync(ProcessStore store, ITestOutputHelper output)
        {
            var world = new World(await EmulatorServer.StartAsync(), store, output);
            (world._organisation, world._clientId, world._clientSecret) = await world.Xero.CreateTenantAsync(new { name = "Process Crash Pty Ltd", minuteLimit = 100_000 });
            (world._practice, _, _) = await world.Xero.CreateTenantAsync(new { name = "Process Crash Practice", practiceManager = true, minuteLimit = 100_000 });
            await using (var connect = world.Start("setup", "connect", null))
            {
                Assert.True(await connect.WaitForExitAsync() == 0, "Connecting failed:\n" + connect.Transcript);
            }

            world._baseline = [.. (await world.Xero.DocumentsAsync(world._organisation, world._practice)).Select(d => d.Id)];
            return world;
        }

        /// <summary>Starts a host process that syncs until nothing waits, stopping dead at <paramref name="hang"/> if given.</summary>
        public ChildProcess StartHost(string node, string? hang = null) => Start(node, "sync", hang);

        /// <summary>
        /// Waits for the host's run to start. After a kill, checks that the tenant came free within two lease lengths:
        /// counted from the kill, or from the host's first refused attempt when it was slower to start than that (a
        /// process starting on a busy machine is not the lease's delay).
        /// </summary>
        public async Task AwaitTakeoverAsync(ChildProcess host)
        {
            static bool Started(string l) => l.StartsWith("run-started ", StringComparison.Ordinal);
            await host.WaitForLineAsync(Started, "that its run started");
            if (_killedAt is { } killedAt)
            {
                var started = host.FirstLineAt(Started)!.Value;
                var asking = Math.Max(killedAt, host.FirstLineAt(l => l.StartsWith("run AlreadyRunning", StringComparison.Ordinal)) ?? started);
                var takeover = Stopwatch.GetElapsedTime(Math.Min(asking, started), started);
                _output.WriteLine($"{host.Name} took the tenant over {Stopwatch.GetElapsedTime(killedAt, started).TotalSeconds:0.0} s after the kill, {takeover.TotalSeconds:0.0} s after it first asked (lease {HostProgram.LeaseDuration.TotalSeconds:0} s).");
                if (takeover > s_takeoverBound)
                {
                    _violations.Add($"{host.Name} took the tenant over {takeover.TotalSeconds:0.0} s after the last kill; the bound is two lease lengths ({s_takeoverBound.TotalSeconds:0} s).");
                }

                _killedAt = null;
            }
        }

        /// <summary>Waits for whichever of two hosts stops dead first.</summary>
        public static async Task<ChildProcess> FirstToHangAsync(ChildProcess a, ChildProcess b)
        {
            var waits = new[] { a, b }.ToDictionary(h => h.WaitForLineAsync(l => l.StartsWith("hung ", StringComparison.Ordinal), "that it stopped"));
            var first = await Task.WhenAny(waits.Keys);
            await first; // A host that exited instead fails here, with its transcript.
            return waits[first];
        }

        public async Task KillAsync(ChildProcess host)
        {
            await host.KillAsync();
            _killedAt = Stopwatch.GetTimestamp();
            _output.WriteLine($"--- {host.Name} killed ---\n{host.Transcript}");
        }

        /// <summary>ARCHITECTURE.md §9 over the store the processes shared and the emulator's documents, plus the takeover bound.</summary>
        public async Task AssertExactlyOnceAsync()
        {
            var entries = await _store.ReadEntriesAsync(_organisation.ToString());
            var documents = (await Xero.DocumentsAsync(_organisation, _practice)).Where(d => !_baseline.Contains(d.Id)).ToList();
            var expected = ProcessData.Load(_organisation.ToString()).Expected;
            _output.WriteLine($"{entries.Count} ledger entries ({string.Join(", ", entries.GroupBy(e => e.State).Select(g => $"{g.Count()} {g.Key}"))}), {documents.Count} documents written.");

            foreach (var host in _hosts.Where(h => !h.Killed))
            {
                _output.WriteLine($"--- {host.Name} ---\n{host.Transcript}");
            }

            foreach (var entry in entries.Where(e => e.State != LedgerState.Synced || e.Attempts > 1))
            {
                _output.WriteLine($"{entry.Kind} {entry.SourceId}: {entry.State} {entry.RemoteId} after {entry.Attempts} attempt(s) {entry.Error?.Category} {entry.Error?.Message}");
            }

            var violations = Invariants.Check(entries, documents, expected);
            violations.AddRange(_violations);
            violations.AddRange(entries.Where(e => e.State == LedgerState.InFlight).Select(e => $"{e.Kind} {e.SourceId} is still InFlight."));
            Scenario.AssertNone(violations, "host processes killed with SIGKILL");
        }

        public async ValueTask DisposeAsync()
        {
            await Xero.DisposeAsync();
            await _store.DisposeAsync();
        }

        private ChildProcess Start(string node, string mode, string? hang)
        {
            List<string> args =
            [
                "host", "--mode", mode, "--node", node, "--emulator", Xero.Address.ToString(),
                "--organisation", _organisation.ToString(), "--practice", _practice.ToString(),
                "--client-id", _clientId, "--client-secret", _clientSecret,
                "--store", _store.Provider, "--database", _store.Database,
            ];
            if (_store.Schema is { } schema)
            {
                args.AddRange(["--schema", schema]);
            }

            if (hang is not null)
            {
                args.AddRange(["--hang", hang]);
            }

            var host = ChildProcess.Start(node, typeof(HostProgram).Assembly.Location, args);
            _hosts.Add(host);
            return host;
        }
    }
}

/// <summary>A store the host processes share: how they are told to reach it, and how the test reads it afterwards.</summary>
internal sealed class ProcessStore(string provider, string database, string? schema, Action<ISyncKitBuilder> use, Func<Task>? drop = null) : IAsyncDisposable
{
    public string Provider { get; } = provider;

    public string Database { get; } = database;

    public string? Schema { get; } = schema;

    /// <summary>Every ledger entry of the tenant, read through SyncKit's own store over the same database.</summary>
    public async Task<List<LedgerEntry>> ReadEntriesAsync(string tenantId)
    {
        var services = new ServiceCollection();
        use(services.AddSyncKit());
        await using var provider = services.BuildServiceProvider();
        return await LedgerReads.AllAsync(provider.GetRequiredService<LedgerStore>(), tenantId);
    }

    public async ValueTask DisposeAsync()
    {
        if (drop is not null)
        {
            await drop();
        }
    }
}
