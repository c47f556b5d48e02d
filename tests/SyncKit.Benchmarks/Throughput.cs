using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using SyncKit.EndToEnd.Tests;
using SyncKit.Mapping;
using SyncKit.Records;
using SyncKit.Runs;
using SyncKit.Testing.Emulator;
using SyncKit.Testing.Sources;
using SyncKit.Xero;

namespace SyncKit.Benchmarks;

/// <summary>
/// Throughput against Xero's limits, in virtual time: a host wired with <c>AddXeroSync</c> and in-memory storage talks to
/// the in-process emulator, whose answers come back after a configurable latency. Each scenario prints its figure beside
/// its bound. Run with <c>dotnet run -c Release --project tests/SyncKit.Benchmarks -- throughput [options]</c>.
/// </summary>
internal static class Throughput
{
    private static readonly DateTimeOffset s_start = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly s_day = new(2026, 11, 20);

    public static async Task<int> RunAsync(string[] args)
    {
        var options = Options.Parse(args);
        Console.WriteLine($"SyncKit throughput in virtual time ({Environment.ProcessorCount} cores, {Environment.OSVersion}); {options}");
        foreach (var latency in options.Latencies)
        {
            if (options.Scenarios.Contains("one"))
            {
                await OneTenantAsync(options, latency);
            }

            if (options.Scenarios.Contains("many"))
            {
                await ManyTenantsAsync(options, latency);
            }
        }

        if (options.Scenarios.Contains("naive"))
        {
            await NaiveAsync(options);
        }

        if (options.Scenarios.Contains("nodes"))
        {
            foreach (var latency in options.Latencies)
            {
                await Nodes.RunAsync(options.NodesOptions(latency));
            }
        }

        return 0;
    }

    /// <summary>One tenant: contacts, invoices and payments, then a run with nothing changed.</summary>
    private static async Task OneTenantAsync(Options options, TimeSpan latency)
    {
        await using var host = await Host.CreateAsync(1, latency, options.AppLimit, batchSize: null);
        var tenant = host.Tenants[0];
        var (contacts, invoices, payments) = Load(host.Sources, tenant, options.Contacts, options.Invoices, options.PaymentEvery);

        var started = host.Time.GetUtcNow();
        var run = await host.Driver.DriveAsync(() => host.SyncAsync(tenant));
        var took = host.Time.GetUtcNow() - started;
        var calls = host.Calls(tenant);
        var lowerBound = Batches(contacts) + Batches(invoices) + Batches(payments) + ReferenceReads;
        var rateBound = TimeSpan.FromMinutes(calls / 60.0);
        Console.WriteLine(
            $"one tenant, {Seconds(latency)} per call: {contacts:N0} contacts, {invoices:N0} invoices, {payments:N0} payments -> {run.Outcome}; " +
            $"calls {calls} (lower bound {lowerBound}, x{calls / (double)lowerBound:0.000}); virtual time {took:hh\\:mm\\:ss} " +
            $"(rate bound {rateBound:hh\\:mm\\:ss}, x{took / rateBound:0.000}); 429s {host.RateLimited}");

        var before = host.Calls(tenant);
        var again = await host.Driver.DriveAsync(() => host.SyncAsync(tenant));
        Console.WriteLine(
            $"one tenant, {Seconds(latency)} per call, nothing changed -> {again.Outcome}; calls {host.Calls(tenant) - before} " +
            $"(reference reads {ReferenceReads}); records sent {again.Counts.Sent}");
    }

    /// <summary>Many tenants at once contending for the app-wide window.</summary>
    private static async Task ManyTenantsAsync(Options options, TimeSpan latency)
    {
        await using var host = await Host.CreateAsync(options.Tenants, latency, options.AppLimit, batchSize: null);
        foreach (var tenant in host.Tenants)
        {
            Load(host.Sources, tenant, options.ManyContacts, options.ManyInvoices, paymentEvery: 0);
        }

        var started = host.Time.GetUtcNow();
        var finished = new DateTimeOffset[host.Tenants.Count];
        var runs = await host.Driver.DriveAsync(() => Task.WhenAll(host.Tenants.Select(async (t, i) =>
        {
            var run = await host.SyncAsync(t);
            finished[i] = host.Time.GetUtcNow();
            return run;
        })));
        var took = host.Time.GetUtcNow() - started;
        var calls = host.Tenants.Sum(host.Calls);
        var rate = Math.Min(options.AppLimit, options.Tenants * 60);
        var ideal = TimeSpan.FromMinutes(calls / (double)rate);
        var slowest = finished.Max() - started;
        var failed = runs.Count(r => r.Outcome != RunOutcome.Completed);
        Console.WriteLine(
            $"{options.Tenants} tenants, {Seconds(latency)} per call, app limit {options.AppLimit}/min: {calls} calls in {took:hh\\:mm\\:ss}; " +
            $"app-wide {calls / took.TotalMinutes:0} calls/min (bound {rate}, {calls / took.TotalMinutes / rate:P1}); " +
            $"slowest tenant {slowest:hh\\:mm\\:ss} (ideal {ideal:hh\\:mm\\:ss}, x{slowest / ideal:0.000}); failed runs {failed}; 429s {host.RateLimited}" +
            (failed > 0 ? $" ({string.Join("; ", runs.Where(r => r.Outcome != RunOutcome.Completed).Select(r => r.Message).Distinct().Take(3))})" : string.Empty));
    }

    /// <summary>The naive approach (one record per call), over the one-tenant data set scaled down by ten, without latency.</summary>
    private static async Task NaiveAsync(Options options)
    {
        var contacts = Math.Max(1, options.Contacts / 10);
        var invoices = Math.Max(1, options.Invoices / 10);
        await using var batched = await Host.CreateAsync(1, TimeSpan.Zero, options.AppLimit, batchSize: null);
        await using var naive = await Host.CreateAsync(1, TimeSpan.Zero, options.AppLimit, batchSize: 1);
        var figures = new List<int>();
        foreach (var host in new[] { batched, naive })
        {
            Load(host.Sources, host.Tenants[0], contacts, invoices, options.PaymentEvery);
            await host.Driver.DriveAsync(() => host.SyncAsync(host.Tenants[0]), maxStep: TimeSpan.FromMinutes(1));
            figures.Add(host.Calls(host.Tenants[0]));
        }

        Console.WriteLine($"naive one record per call ({contacts:N0} contacts, {invoices:N0} invoices): {figures[1]} calls against {figures[0]} batched (x{figures[1] / (double)figures[0]:0.0})");
    }

    private const int ReferenceReads = 5;

    private static int Batches(int records) => (records + 49) / 50;

    internal static string Seconds(TimeSpan latency) => latency.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";

    private static (int Contacts, int Invoices, int Payments) Load(InMemorySourceSet sources, EmulatorTenant tenant, int contacts, int invoices, int paymentEvery)
    {
        var id = tenant.TenantId.ToString();
        sources.Contacts.PutRange(id, Enumerable.Range(1, contacts).Select(i => new ContactRecord
        {
            SourceId = $"cust-{i:D5}",
            Name = $"Customer {i:D5} Pty Ltd",
            AccountNumber = $"C{i:D5}",
        }));
        var invoiceList = Enumerable.Range(1, invoices).Select(i => new InvoiceRecord
        {
            SourceId = $"inv-{i:D6}",
            Number = $"B-{i:D6}",
            ContactSourceId = $"cust-{(i % contacts) + 1:D5}",
            Date = s_day.AddDays(-(i % 15)),
            DueDate = s_day.AddDays(30),
            CurrencyCode = "AUD",
            Lines = [new DocumentLine { Description = "Services", Quantity = 1m, UnitPrice = 100m, AccountKey = "200", TaxKey = "OUTPUT" }],
        }).ToList();
        sources.Invoices.PutRange(id, invoiceList);
        var payments = paymentEvery <= 0 ? [] : invoiceList.Where((_, i) => i % paymentEvery == 0).Select(inv => new PaymentRecord
        {
            SourceId = "pay-" + inv.SourceId,
            DocumentSourceId = inv.SourceId,
            Date = inv.Date.AddDays(1),
            Amount = 110m,
            CurrencyCode = "AUD",
            AccountKey = "090",
        }).ToList();
        sources.Payments.PutRange(id, payments);
        return (contacts, invoices, payments.Count);
    }

    /// <summary>An emulator with <c>n</c> tenants of one app, and a host connected to all of them.</summary>
    private sealed class Host : IAsyncDisposable
    {
        private Host(DrivenTime time, XeroEmulator emulator)
        {
            Time = time;
            Emulator = emulator;
            Driver = new EmulatorTimeDriver(time, emulator);
        }

        public DrivenTime Time { get; }

        public XeroEmulator Emulator { get; }

        public EmulatorTimeDriver Driver { get; }

        public InMemorySourceSet Sources { get; } = new();

        public List<EmulatorTenant> Tenants { get; } = [];

        public ServiceProvider Services { get; private set; } = null!;

        public string RateLimited => Emulator.GetStats().RateLimited is { Count: > 0 } limited
            ? $"{limited.Values.Sum()} ({string.Join(", ", limited.Select(kv => $"{kv.Key} {kv.Value}"))})"
            : "0";

        public static async Task<Host> CreateAsync(int tenants, TimeSpan latency, int appLimit, int? batchSize)
        {
            var time = new DrivenTime(s_start);
            var emulator = XeroEmulator.Create(new XeroEmulatorOptions { TimeProvider = time, AppMinuteLimit = appLimit });
            var host = new Host(time, emulator);
            host.Driver.Latency = latency;
            host.Driver.IdleMeansNoCpu = true;
            for (var i = 0; i < tenants; i++)
            {
                host.Tenants.Add(await emulator.CreateTenantAsync(new EmulatorTenantOptions { Name = $"Tenant {i:D3} Pty Ltd" }));
            }

            var services = new ServiceCollection();
            services.AddSingleton<TimeProvider>(time);
            services.AddLogging();
            var synckit = services
                .AddXeroSync(
                    o =>
                    {
                        o.ClientId = host.Tenants[0].ClientId;
                        o.ClientSecret = host.Tenants[0].ClientSecret;
                        o.ApiBaseUrl = o.IdentityBaseUrl = o.LoginBaseUrl = emulator.BaseAddress;
                        o.TokenEncryptionKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
                        o.RedirectUri = new Uri("https://host.invalid/xero/callback");
                        o.AppCallsPerMinute = appLimit;
                        if (batchSize is { } size)
                        {
                            o.BatchSize = o.ItemBatchSize = size;
                        }
                    },
                    o =>
                    {
                        o.PassThroughMappings.Add(MappingKind.Account);
                        o.PassThroughMappings.Add(MappingKind.TaxRate);
                    })
                .UseInMemoryStorage()
                .ConfigureXeroHttpClients(b => b.ConfigurePrimaryHttpMessageHandler(host.Driver.CreateHandler));
            host.Sources.AddTo(synckit);
            host.Services = services.BuildServiceProvider();
            var authorization = host.Services.GetRequiredService<XeroAuthorization>();
            foreach (var tenant in host.Tenants)
            {
                await authorization.SaveTokensAsync(tenant.TenantId.ToString(), new XeroTokenSet
                {
                    AccessToken = tenant.AccessToken,
                    RefreshToken = tenant.RefreshToken,
                    ExpiresAt = time.GetUtcNow().AddMinutes(30),
                });
            }

            return host;
        }

        public Task<SyncRun> SyncAsync(EmulatorTenant tenant) =>
            Services.GetRequiredService<ISyncEngine>().SyncAsync(new SyncRequest { TenantId = tenant.TenantId.ToString(), RequestedBy = "benchmark" });

        public int Calls(EmulatorTenant tenant) =>
            Emulator.GetStats().Calls.TryGetValue(tenant.TenantId, out var calls) ? calls.Values.Sum() : 0;

        public async ValueTask DisposeAsync()
        {
            await Services.DisposeAsync();
            await Emulator.DisposeAsync();
        }
    }

    private sealed record Options(
        IReadOnlyList<TimeSpan> Latencies,
        IReadOnlySet<string> Scenarios,
        int Contacts,
        int Invoices,
        int PaymentEvery,
        int Tenants,
        int ManyContacts,
        int ManyInvoices,
        int AppLimit,
        string[] Args)
    {
        /// <summary>The nodes scenario's settings: <c>--nodes</c>, <c>--node-tenants</c>, <c>--node-contacts</c>, <c>--node-invoices</c>, <c>--periods</c>, <c>--every-minutes</c>, <c>--app-share</c>.</summary>
        public Nodes.Settings NodesOptions(TimeSpan latency)
        {
            string? Value(string name) => Args.SkipWhile(a => a != "--" + name).Skip(1).FirstOrDefault();
            int Number(string name, int fallback) => Value(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
            return new Nodes.Settings(
                latency,
                Number("nodes", 3),
                Number("node-tenants", 30),
                Number("node-contacts", 25),
                Number("node-invoices", 250),
                Number("periods", 3),
                TimeSpan.FromMinutes(Number("every-minutes", 10)),
                AppLimit,
                Args.Contains("--app-share"),
                Value("postgres") ?? Environment.GetEnvironmentVariable("SYNCKIT_TEST_POSTGRES"));
        }

        public static Options Parse(string[] args)
        {
            string? Value(string name) => args.SkipWhile(a => a != "--" + name).Skip(1).FirstOrDefault();
            int Number(string name, int fallback) => Value(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
            var latencies = (Value("latency") ?? "0,1,2").Split(',').Select(s => TimeSpan.FromSeconds(double.Parse(s, CultureInfo.InvariantCulture))).ToList();
            var scenarios = (Value("scenarios") ?? "one,many,naive").Split(',').ToHashSet(StringComparer.Ordinal);
            return new Options(
                latencies,
                scenarios,
                Number("contacts", 2_000),
                Number("invoices", 10_000),
                Number("payment-every", 5),
                Number("tenants", 300),
                Number("many-contacts", 50),
                Number("many-invoices", 250),
                Number("app-limit", 10_000),
                args);
        }

        public override string ToString() =>
            $"latency {string.Join("/", Latencies.Select(Seconds))}; one tenant {Contacts:N0} contacts, {Invoices:N0} invoices, a payment every {PaymentEvery}; " +
            $"{Tenants} tenants of {ManyContacts} contacts and {ManyInvoices} invoices; app limit {AppLimit:N0}/min";
    }
}
