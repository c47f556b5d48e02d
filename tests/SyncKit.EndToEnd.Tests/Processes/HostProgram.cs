#pragma warning disable RS0030 // A host process reports to the test on its standard output.
using System.Globalization;
using System.Net;
using System.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SyncKit.EndToEnd.Tests.ExactlyOnce;
using SyncKit.Ledger;
using SyncKit.Mapping;
using SyncKit.Runs;
using SyncKit.Storage;
using SyncKit.Xero;

namespace SyncKit.EndToEnd.Tests.Processes;

/// <summary>
/// This test assembly run as a program (<c>dotnet SyncKit.EndToEnd.Tests.dll host ...</c>): a product's host process
/// with SyncKit over SQLite or PostgreSQL, talking to the emulator server, that the process tests start and kill.
/// </summary>
/// <remarks>
/// It reports on standard output, one line an event: <c>write n METHOD path</c>, <c>answered n status</c>,
/// <c>run-started runId</c>, <c>run Outcome ...</c>, <c>settled</c>, and <c>hung phase n</c> when told to stop dead
/// at a point (<c>--hang before-write:2</c>, <c>in-flight:3</c> with the request on the wire, <c>after-write:4</c>
/// with Xero's answer in hand but not yet in the ledger) so the test's SIGKILL lands exactly there.
/// </remarks>
internal static class HostProgram
{
    /// <summary>The lease the hosts run with: the shortest SyncKit allows, so takeovers are quick.</summary>
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(10);

    public static async Task<int> Main(string[] args)
    {
        if (args is not ["host", .. var rest])
        {
            await Console.Error.WriteLineAsync("This assembly holds tests; run it with 'host --mode connect|sync ...' to be a SyncKit host process.");
            return 2;
        }

        var options = HostOptions.Parse(rest);
        var probe = new WriteProbe(options.Hang);
        await using var services = Build(options, probe);
        await services.GetRequiredService<StoreSchema>().MigrateAsync();
        return options.Mode switch
        {
            "connect" => await ConnectAsync(services, options),
            "sync" => await SyncUntilSettledAsync(services, options),
            _ => 2,
        };
    }

    private static ServiceProvider Build(HostOptions options, WriteProbe probe)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(new RunStartPrinter()).SetMinimumLevel(LogLevel.Information));
        var practiceId = options.Practice.ToString();
        var synckit = services
            .AddXeroSync(
                o =>
                {
                    Cluster.UseEmulator(o, options.Emulator, options.ClientId, options.ClientSecret, practiceId);
                    o.CallsPerMinutePerTenant = 10_000;
                    o.BatchSize = 10;
                    o.ItemBatchSize = 10;
                },
                o =>
                {
                    o.NodeId = options.Node;
                    o.LeaseDuration = LeaseDuration;
                    o.PassThroughMappings.Add(MappingKind.Account);
                    o.PassThroughMappings.Add(MappingKind.TaxRate);
                    o.PassThroughMappings.Add(MappingKind.PaymentTerms);
                })
            .ConfigureXeroHttpClients(b => b.AddHttpMessageHandler(() => new WriteProbeHandler(probe)));
        if (options.Store == "postgres")
        {
            synckit.UsePostgreSqlStorage(o =>
            {
                o.ConnectionString = options.Database;
                o.Schema = options.Schema ?? o.Schema;
            });
        }
        else
        {
            synckit.UseSqliteStorage(options.Database);
        }

        foreach (var source in ProcessData.Load(options.Organisation.ToString()).Sources.All)
        {
            synckit.AddSource(source);
        }

        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    /// <summary>Consents for the organisation and the practice, as a user would; the tokens go to the store.</summary>
    private static async Task<int> ConnectAsync(IServiceProvider services, HostOptions options)
    {
        var authorization = services.GetRequiredService<XeroAuthorization>();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var consent = await http.GetAsync(new Uri(authorization.GetConsentUrl("state-1") + "&tenantId=" + options.Organisation + "," + options.Practice));
        if (consent.StatusCode != HttpStatusCode.Found)
        {
            Console.WriteLine($"consent refused {(int)consent.StatusCode}");
            return 3;
        }

        var code = HttpUtility.ParseQueryString(consent.Headers.Location!.Query)["code"]!;
        var connections = await authorization.ConnectAsync(options.Organisation.ToString(), code);
        Console.WriteLine($"connected {connections.Count}");
        return 0;
    }

    /// <summary>Runs Sync All until nothing waits; a run refused because another holds the tenant is tried again shortly.</summary>
    private static async Task<int> SyncUntilSettledAsync(IServiceProvider services, HostOptions options)
    {
        var engine = services.GetRequiredService<ISyncEngine>();
        var ledger = services.GetRequiredService<LedgerStore>();
        var tenantId = options.Organisation.ToString();
        var refusedSince = TimeProvider.System.GetTimestamp();
        var refused = false;
        for (var runs = 0; runs < 6;)
        {
            var run = await engine.SyncAsync(new SyncRequest { TenantId = tenantId, RequestedBy = options.Node });
            if (run.Outcome == RunOutcome.AlreadyRunning)
            {
                if (!refused)
                {
                    Console.WriteLine($"run {run.Outcome} {run.Message}");
                    refused = true;
                }

                // Another process holds the tenant (alive, or dead with its lease not yet lapsed): a minute is six leases.
                if (TimeProvider.System.GetElapsedTime(refusedSince) > TimeSpan.FromMinutes(1))
                {
                    return 4;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250));
                continue;
            }

            Console.WriteLine($"run {run.Outcome} synced={run.Counts.Synced} failed={run.Counts.Failed} reconciled={run.Counts.Reconciled} {run.Message}");
            refused = false;
            runs++;
            var waiting = await ledger.QueryAsync(new LedgerQuery
            {
                TenantId = tenantId,
                States = [LedgerState.Pending, LedgerState.RetryScheduled, LedgerState.InFlight, LedgerState.Uncertain],
                PageSize = 20,
            });
            if (waiting.Entries.Count == 0)
            {
                Console.WriteLine("settled");
                return 0;
            }

            foreach (var entry in waiting.Entries)
            {
                Console.WriteLine($"waiting {entry.Kind} {entry.SourceId} {entry.State} {entry.NextAttemptAt:O} {entry.Error?.Category}: {entry.Error?.Message}");
            }

            refusedSince = TimeProvider.System.GetTimestamp();
        }

        return 3;
    }

    /// <summary>What the test asked of this process.</summary>
    private sealed record HostOptions(
        string Mode, Uri Emulator, Guid Organisation, Guid Practice, string ClientId, string ClientSecret, string Store, string Database, string? Schema, string Node, (string Phase, int Write)? Hang)
    {
        public static HostOptions Parse(string[] args)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i + 1 < args.Length; i += 2)
            {
                values[args[i].TrimStart('-')] = args[i + 1];
            }

            (string, int)? hang = values.TryGetValue("hang", out var h) && h.Split(':') is [var phase, var n]
                ? (phase, int.Parse(n, CultureInfo.InvariantCulture))
                : null;
            return new HostOptions(
                values["mode"],
                new Uri(values["emulator"]),
                Guid.Parse(values["organisation"]),
                Guid.Parse(values["practice"]),
                values["client-id"],
                values["client-secret"],
                values["store"],
                values["database"],
                values.GetValueOrDefault("schema"),
                values["node"],
                hang);
        }
    }

    /// <summary>Counts this process's writes to Xero and holds the one the test kills at.</summary>
    private sealed class WriteProbe((string Phase, int Write)? hang)
    {
        private int _writes;

        public int NextWrite() => Interlocked.Increment(ref _writes);

        public bool HangsAt(string phase, int write) => hang is var (p, w) && p == phase && w == write;

        /// <summary>Says where it stopped and never returns: the test kills the process here.</summary>
        public static async Task HangAsync(string phase, int write)
        {
            Console.WriteLine($"hung {phase} {write}");
            await Task.Delay(Timeout.InfiniteTimeSpan);
        }
    }

    private sealed class WriteProbeHandler(WriteProbe probe) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            if (request.Method == HttpMethod.Get || path.Contains("/connect", StringComparison.Ordinal) || path.Contains("/identity/", StringComparison.Ordinal))
            {
                return await base.SendAsync(request, cancellationToken);
            }

            var write = probe.NextWrite();
            Console.WriteLine($"write {write} {request.Method} {path}");
            if (probe.HangsAt("before-write", write))
            {
                await WriteProbe.HangAsync("before-write", write);
            }

            var sending = base.SendAsync(request, cancellationToken);
            if (probe.HangsAt("in-flight", write))
            {
                await WriteProbe.HangAsync("in-flight", write);
            }

            var response = await sending;
            Console.WriteLine($"answered {write} {(int)response.StatusCode}");
            if (probe.HangsAt("after-write", write))
            {
                // Read the answer first so that Xero has certainly committed what it says it did.
                await response.Content.LoadIntoBufferAsync(cancellationToken);
                await WriteProbe.HangAsync("after-write", write);
            }

            return response;
        }
    }

    /// <summary>Prints the engine's "run started" event: the moment a process holds the tenant.</summary>
    private sealed class RunStartPrinter : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Printer(categoryName.StartsWith("SyncKit", StringComparison.Ordinal));

        public void Dispose()
        {
        }

        private sealed class Printer(bool engine) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (engine && eventId.Id == 1 && state is IReadOnlyList<KeyValuePair<string, object?>> values && values.FirstOrDefault(v => v.Key == "RunId").Value is string runId)
                {
                    Console.WriteLine($"run-started {runId}");
                }
                else if (logLevel >= LogLevel.Warning)
                {
                    Console.WriteLine($"log {logLevel} {formatter(state, exception)} {exception?.GetType().Name} {exception?.Message}");
                }
            }
        }
    }
}
