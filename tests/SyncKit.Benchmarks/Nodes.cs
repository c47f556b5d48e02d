using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using SyncKit.EndToEnd.Tests;
using SyncKit.Hosting.Tests;
using SyncKit.Mapping;
using SyncKit.Records;
using SyncKit.Runs;
using SyncKit.Storage;
using SyncKit.Testing.Emulator;
using SyncKit.Testing.Sources;
using SyncKit.Xero;

namespace SyncKit.Benchmarks;

/// <summary>
/// Several nodes (each its own container: engine, scheduler, PostgreSQL stores) sharing one PostgreSQL schema, one host
/// database and one Xero (the emulator), in virtual time, over several periods; the first node is killed mid-run. Prints
/// whether every tenant was synced exactly once per period, who finished the killed node's tenants, whether any record
/// reached Xero twice, and the calls and 429s per node.
/// </summary>
internal static class Nodes
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Day = new(2026, 11, 20);

    public static async Task RunAsync(Settings settings)
    {
        if (string.IsNullOrEmpty(settings.ConnectionString))
        {
            Console.WriteLine("nodes: skipped — set SYNCKIT_TEST_POSTGRES (or pass --postgres <connection string>) to a PostgreSQL database the benchmark may create a schema in.");
            return;
        }

        var schema = "bench_nodes_" + Guid.NewGuid().ToString("N")[..8];
        var time = new DrivenTime(Start);
        var emulator = XeroEmulator.Create(new XeroEmulatorOptions { TimeProvider = time, AppMinuteLimit = settings.AppLimit });
        var driver = new EmulatorTimeDriver(time, emulator) { Latency = settings.Latency, IdleMeansNoCpu = true };
        var sources = new InMemorySourceSet();
        var tenants = new List<EmulatorTenant>();
        for (var i = 0; i < settings.Tenants; i++)
        {
            tenants.Add(await emulator.CreateTenantAsync(new EmulatorTenantOptions { Name = $"Tenant {i:D3} Pty Ltd" }));
        }

        var nodes = new List<Node>();
        try
        {
            for (var n = 1; n <= settings.Nodes; n++)
            {
                nodes.Add(Node.Create($"node-{n}", settings, schema, time, tenants[0], emulator.BaseAddress, driver, sources));
            }

            await nodes[0].Services.GetRequiredService<StoreSchema>().MigrateAsync();
            var authorization = nodes[0].Services.GetRequiredService<XeroAuthorization>();
            var tenantStore = nodes[0].Services.GetRequiredService<TenantStore>();
            foreach (var tenant in tenants)
            {
                var id = tenant.TenantId.ToString();
                await tenantStore.SaveAsync(new TenantState { TenantId = id, Name = tenant.Name, Connection = ConnectionState.Connected, UpdatedAt = Start });
                await authorization.SaveTokensAsync(id, new XeroTokenSet { AccessToken = tenant.AccessToken, RefreshToken = tenant.RefreshToken, ExpiresAt = Start.AddMinutes(30) });
            }

            var killedHeld = new List<TenantDue>();
            var killAt = Start + (settings.Every * 0.25);
            var end = Start + (settings.Every * settings.Periods);
            var wall = System.Diagnostics.Stopwatch.StartNew();
            await driver.DriveAsync(
                async () =>
                {
                    foreach (var node in nodes)
                    {
                        await node.StartAsync();
                    }

                    for (var period = 0; period < settings.Periods; period++)
                    {
                        await Until(time, Start + (settings.Every * period));
                        foreach (var tenant in tenants)
                        {
                            Load(sources, tenant, period, settings);
                        }

                        if (period == 0)
                        {
                            await Until(time, killAt);
                            killedHeld.AddRange((await nodes[1].Tenants.GetScheduleAsync()).Where(d => d.ClaimedBy == nodes[0].Name));
                            await nodes[0].KillAsync();
                        }
                    }

                    await Until(time, end);
                    foreach (var node in nodes.Skip(1))
                    {
                        await node.StopAsync();
                    }

                    return 0;
                },
                maxStep: TimeSpan.FromSeconds(1),
                maxSteps: 1_000_000);
            wall.Stop();

            await ReportAsync(settings, nodes, tenants, emulator, killedHeld, killAt, wall.Elapsed);
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }

            await emulator.DisposeAsync();
            await DropSchemaAsync(settings.ConnectionString, schema);
        }
    }

    private static async Task ReportAsync(Settings settings, List<Node> nodes, List<EmulatorTenant> tenants, XeroEmulator emulator, List<TenantDue> killedHeld, DateTimeOffset killAt, TimeSpan wall)
    {
        var runLog = nodes[1].Services.GetRequiredService<RunLog>();
        var once = 0;
        var anomalies = new List<string>();
        var runsByTenant = new Dictionary<string, List<SyncRun>>(StringComparer.Ordinal);
        foreach (var tenant in tenants)
        {
            var id = tenant.TenantId.ToString();
            var runs = (await runLog.ListAsync(id, 1000)).Where(r => r.Trigger == SyncTrigger.Scheduled).ToList();
            runsByTenant[id] = runs;
            var completed = runs.Where(r => r.Outcome is RunOutcome.Completed or RunOutcome.CompletedWithErrors).ToList();
            for (var period = 0; period < settings.Periods; period++)
            {
                var inPeriod = completed.Count(r => (int)((r.StartedAt - Start) / settings.Every) == period);
                if (inPeriod == 1)
                {
                    once++;
                }
                else
                {
                    anomalies.Add($"{tenant.Name} period {period}: {inPeriod} runs");
                }
            }
        }

        var pairs = tenants.Count * settings.Periods;
        Console.WriteLine(
            $"{settings.Nodes} nodes on PostgreSQL, {settings.Tenants} tenants, every {settings.Every.TotalMinutes:0} min x {settings.Periods} periods, {Throughput.Seconds(settings.Latency)} per call, " +
            $"app limit {settings.AppLimit}/min{(settings.AppShare ? $" (AppBudgetNodes {settings.Nodes}: each node budgets {settings.AppLimit / settings.Nodes} and its share of X-AppMinLimit-Remaining)" : " (each node budgets all of it, learning the rest from X-AppMinLimit-Remaining)")}; wall {wall:mm\\:ss}");
        Console.WriteLine($"  synced exactly once per period: {once} of {pairs} tenant-periods{(anomalies.Count == 0 ? string.Empty : " — " + string.Join("; ", anomalies.Take(5)))}");

        var finishers = killedHeld.Select(d =>
        {
            var done = runsByTenant[d.TenantId]
                .Where(r => r.Outcome is RunOutcome.Completed or RunOutcome.CompletedWithErrors && r.StartedAt >= killAt && r.StartedAt < Start + settings.Every)
                .OrderBy(r => r.StartedAt)
                .FirstOrDefault();
            return done is null ? "not finished" : $"{done.RequestedBy} at +{(done.StartedAt - killAt).TotalSeconds:0} s";
        }).ToList();
        Console.WriteLine(
            $"  {nodes[0].Name} killed at {killAt:HH:mm:ss} holding {killedHeld.Count} tenants' claims (running): finished by " +
            (finishers.Count == 0 ? "— (it held none)" : string.Join(", ", finishers.GroupBy(f => f.Split(' ')[0]).Select(g => $"{g.Key} {g.Count()}"))) +
            (finishers.Count == 0 ? string.Empty : $" ({string.Join("; ", finishers)})"));

        var expectedInvoices = settings.Invoices * settings.Periods;
        var duplicates = 0;
        var missing = 0;
        foreach (var tenant in tenants)
        {
            var export = JsonNode.Parse(emulator.ExportTenant(tenant.TenantId))!;
            var numbers = export["invoices"]!.AsArray().Select(i => (string?)i!["InvoiceNumber"]).ToList();
            var names = export["contacts"]!.AsArray().Select(c => (string?)c!["Name"]).ToList();
            duplicates += numbers.Count - numbers.Distinct(StringComparer.Ordinal).Count() + names.Count - names.Distinct(StringComparer.Ordinal).Count();
            missing += Math.Max(0, expectedInvoices - numbers.Distinct(StringComparer.Ordinal).Count()) + Math.Max(0, settings.Contacts - names.Distinct(StringComparer.Ordinal).Count());
        }

        var stats = emulator.GetStats();
        Console.WriteLine(
            $"  records in Xero: {tenants.Count * (expectedInvoices + settings.Contacts):N0} expected, {missing} missing, {duplicates} sent twice (duplicate invoice numbers or contact names); " +
            $"emulator writes {stats.Writes.Values.Sum():N0}");
        Console.WriteLine(
            $"  calls per node: {string.Join(", ", nodes.Select(n => $"{n.Name} {n.Calls:N0}"))}; scheduled runs per node: " +
            string.Join(", ", nodes.Select(n => $"{n.Name} {runsByTenant.Values.SelectMany(r => r).Count(r => r.RequestedBy == n.Name && r.Outcome is RunOutcome.Completed or RunOutcome.CompletedWithErrors)}")) +
            $"; 429s {(stats.RateLimited.Count == 0 ? "0" : string.Join(", ", stats.RateLimited.Select(kv => $"{kv.Key} {kv.Value}")))}");
    }

    private static void Load(InMemorySourceSet sources, EmulatorTenant tenant, int period, Settings settings)
    {
        var id = tenant.TenantId.ToString();
        if (period == 0)
        {
            sources.Contacts.PutRange(id, Enumerable.Range(1, settings.Contacts).Select(i => new ContactRecord
            {
                SourceId = $"cust-{i:D5}",
                Name = $"Customer {i:D5} Pty Ltd",
                AccountNumber = $"C{i:D5}",
            }));
        }

        // Each period brings new invoices, so every period's run has work to do.
        sources.Invoices.PutRange(id, Enumerable.Range(1, settings.Invoices).Select(i => new InvoiceRecord
        {
            SourceId = $"inv-{period}-{i:D6}",
            Number = $"P{period}-{i:D6}",
            ContactSourceId = $"cust-{(i % settings.Contacts) + 1:D5}",
            Date = Day.AddDays(-(i % 15)),
            DueDate = Day.AddDays(30),
            CurrencyCode = "AUD",
            Lines = [new DocumentLine { Description = "Services", Quantity = 1m, UnitPrice = 100m, AccountKey = "200", TaxKey = "OUTPUT" }],
        }));
    }

    private static Task Until(TimeProvider time, DateTimeOffset instant)
    {
        var delay = instant - time.GetUtcNow();
        return delay > TimeSpan.Zero ? Task.Delay(delay, time) : Task.CompletedTask;
    }

    private static async Task DropSchemaAsync(string connectionString, string schema)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>The nodes scenario's settings.</summary>
    internal sealed record Settings(
        TimeSpan Latency,
        int Nodes,
        int Tenants,
        int Contacts,
        int Invoices,
        int Periods,
        TimeSpan Every,
        int AppLimit,
        bool AppShare,
        string? ConnectionString);

    /// <summary>One node: its own container (engine, scheduler, PostgreSQL stores on the shared schema) and its own call count.</summary>
    private sealed class Node : IAsyncDisposable
    {
        private int _calls;
        private bool _stopped;

        private Node(string name) => Name = name;

        public string Name { get; }

        public ServiceProvider Services { get; private set; } = null!;

        public DeadNodeTenantStore Tenants { get; private set; } = null!;

        public int Calls => Volatile.Read(ref _calls);

        public static Node Create(string name, Settings settings, string schema, DrivenTime time, EmulatorTenant app, Uri baseAddress, EmulatorTimeDriver driver, InMemorySourceSet sources)
        {
            var node = new Node(name);
            var services = new ServiceCollection();
            services.AddSingleton<TimeProvider>(time);
            services.AddLogging();
            var synckit = services
                .AddXeroSync(
                    o =>
                    {
                        o.ClientId = app.ClientId;
                        o.ClientSecret = app.ClientSecret;
                        o.ApiBaseUrl = o.IdentityBaseUrl = o.LoginBaseUrl = baseAddress;
                        o.TokenEncryptionKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
                        o.RedirectUri = new Uri("https://host.invalid/xero/callback");
                        o.AppCallsPerMinute = settings.AppLimit;
                        o.AppBudgetNodes = settings.AppShare ? settings.Nodes : 1;
                    },
                    o =>
                    {
                        o.PassThroughMappings.Add(MappingKind.Account);
                        o.PassThroughMappings.Add(MappingKind.TaxRate);
                    })
                .UsePostgreSqlStorage(o =>
                {
                    o.ConnectionString = settings.ConnectionString!;
                    o.Schema = schema;
                })
                .ConfigureXeroHttpClients(b => b.ConfigurePrimaryHttpMessageHandler(() => new NodeCalls(node, driver.CreateHandler())))
                .AddScheduledSync(o =>
                {
                    o.Every = settings.Every;
                    o.Jitter = 0.5;
                    o.FirstRunDelay = TimeSpan.Zero;
                    o.MaxConcurrentTenants = 4;
                    o.ClaimDuration = TimeSpan.FromMinutes(2);
                    o.PollInterval = TimeSpan.FromSeconds(30);
                    o.NodeId = name;
                    o.RequestedBy = name;
                });
            sources.AddTo(synckit);

            // The tenant store goes through a switch that kills it: after the kill nothing this node writes lands.
            var original = services.Last(d => d.ServiceType == typeof(TenantStore));
            services.Remove(original);
            services.AddSingleton<TenantStore>(sp =>
            {
                var inner = (TenantStore)(original.ImplementationFactory?.Invoke(sp) ?? original.ImplementationInstance ?? ActivatorUtilities.CreateInstance(sp, original.ImplementationType!));
                return node.Tenants = new DeadNodeTenantStore(inner);
            });
            node.Services = services.BuildServiceProvider();
            _ = node.Services.GetRequiredService<TenantStore>();
            return node;
        }

        public async Task StartAsync()
        {
            foreach (var hosted in Services.GetServices<IHostedService>())
            {
                await hosted.StartAsync(CancellationToken.None);
            }
        }

        /// <summary>The process dies: its tenant store refuses everything (claims and leases stay until they run out), its runs stop.</summary>
        public async Task KillAsync()
        {
            Tenants.Dead = true;
            await StopAsync();
        }

        public async Task StopAsync()
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
            foreach (var hosted in Services.GetServices<IHostedService>())
            {
                await hosted.StopAsync(CancellationToken.None);
            }
        }

        public ValueTask DisposeAsync() => Services.DisposeAsync();

        private sealed class NodeCalls(Node node, HttpMessageHandler inner) : DelegatingHandler(inner)
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                Interlocked.Increment(ref node._calls);
                return base.SendAsync(request, cancellationToken);
            }
        }
    }
}
