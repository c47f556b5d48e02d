using System.Net;
using System.Text.Json;
using System.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using SyncKit.Connectors;
using SyncKit.Ledger;
using SyncKit.Mapping;
using SyncKit.Records;
using SyncKit.Runs;
using SyncKit.Sources;
using SyncKit.Storage;
using SyncKit.Testing.Emulator;
using SyncKit.Testing.Sources;
using SyncKit.Xero;

namespace SyncKit.EndToEnd.Tests.ExactlyOnce;

/// <summary>The stores a product's database holds: they outlive every node.</summary>
internal sealed class SharedStorage(ServiceProvider owner) : IAsyncDisposable
{
    public LedgerStore Ledger { get; } = owner.GetRequiredService<LedgerStore>();

    public TenantStore Tenants { get; } = owner.GetRequiredService<TenantStore>();

    public RunLog Runs { get; } = owner.GetRequiredService<RunLog>();

    public MappingStore Mappings { get; } = owner.GetRequiredService<MappingStore>();

    public TokenStore Tokens { get; } = owner.GetRequiredService<TokenStore>();

    public ReferenceDataCache ReferenceData { get; } = owner.GetRequiredService<ReferenceDataCache>();

    public StoreSchema Schema { get; } = owner.GetRequiredService<StoreSchema>();

    /// <summary>In-memory stores in a container of their own (the "database server"), so they survive node restarts.</summary>
    public static SharedStorage InMemory(TimeProvider time)
    {
        var services = new ServiceCollection();
        services.AddSingleton(time);
        services.AddSyncKit().UseInMemoryStorage();
        return new SharedStorage(services.BuildServiceProvider());
    }

    /// <summary>A SQLite file in a container of its own.</summary>
    public static async Task<SharedStorage> SqliteAsync(TimeProvider time, string path)
    {
        var services = new ServiceCollection();
        services.AddSingleton(time);
        services.AddSyncKit().UseSqliteStorage(path);
        var storage = new SharedStorage(services.BuildServiceProvider());
        await storage.Schema.MigrateAsync();
        return storage;
    }

    public ValueTask DisposeAsync() => owner.DisposeAsync();
}

/// <summary>
/// Nodes of one product sharing one database (<see cref="SharedStorage"/>), one host's data (the sources) and one Xero
/// (the emulator: an organisation and a practice), all on one <see cref="DrivenTime"/>. A node is a fresh
/// <c>AddXeroSync</c> container whose ledger, tenant and run stores, connector and sources are wrapped by the
/// crashing seams of its <see cref="NodeLife"/>; a restart is another node on the same storage.
/// </summary>
internal sealed class Cluster : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    private static readonly Uri s_redirect = new("https://host.invalid/xero/callback");

    private readonly List<Node> _nodes = [];
    private readonly EmulatorTimeDriver _driver;
    private int _nodeCount;

    private Cluster(DrivenTime time, XeroEmulator emulator, SharedStorage storage)
    {
        Time = time;
        Emulator = emulator;
        Storage = storage;
        _driver = new EmulatorTimeDriver(time, emulator);
    }

    public DrivenTime Time { get; }

    public XeroEmulator Emulator { get; }

    public SharedStorage Storage { get; }

    public EmulatorTenant Organisation { get; private set; } = null!;

    public EmulatorTenant Practice { get; private set; } = null!;

    public string TenantId => Organisation.TenantId.ToString();

    /// <summary>The host's data, as sources; every node reads the same instances.</summary>
    public List<SyncSource> HostSources { get; } = [];

    /// <summary>Configures Xero for every node (after the cluster's defaults: batches of 2, no in-call retries).</summary>
    public Action<XeroOptions>? ConfigureXero { get; init; }

    /// <summary>Configures the engine for every node.</summary>
    public Action<SyncOptions>? ConfigureEngine { get; init; }

    /// <summary>Document ids present in Xero before the test's records were synced (the emulator's seed data).</summary>
    public HashSet<string> Baseline { get; } = new(StringComparer.OrdinalIgnoreCase);

    public FakeLogCollector Logs { get; } = new();

    public static async Task<Cluster> CreateAsync(SharedStorage? storage = null, Action<XeroOptions>? xero = null, Action<SyncOptions>? engine = null, int seed = 42)
    {
        var time = new DrivenTime(Start);
        var emulator = XeroEmulator.Create(new XeroEmulatorOptions { TimeProvider = time, Seed = seed });
        var cluster = new Cluster(time, emulator, storage ?? SharedStorage.InMemory(time)) { ConfigureXero = xero, ConfigureEngine = engine };
        cluster.Organisation = await emulator.CreateTenantAsync(new EmulatorTenantOptions { Name = "Exactly Once Pty Ltd" });
        cluster.Practice = await emulator.CreateTenantAsync(new EmulatorTenantOptions { Name = "Exactly Once Practice (XPM)", PracticeManager = true });
        return cluster;
    }

    /// <summary>Adds the host's in-memory sources (one per kind).</summary>
    public void AddSources(InMemorySourceSet sources) => HostSources.AddRange(sources.All);

    /// <summary>Consents for the organisation and the practice (tokens kept in the shared token store) and records the baseline.</summary>
    public async Task ConnectAsync()
    {
        var node = StartNode(NodeLife.Immortal("setup"));
        var authorization = node.Services.GetRequiredService<XeroAuthorization>();
        var consent = authorization.GetConsentUrl("state-1");
        using (var http = Emulator.CreateHttpClient())
        using (var response = await http.GetAsync(new Uri(consent + "&tenantId=" + Organisation.TenantId + "," + Practice.TenantId)))
        {
            Assert.Equal(HttpStatusCode.Found, response.StatusCode);
            var code = HttpUtility.ParseQueryString(response.Headers.Location!.Query)["code"]!;
            var connections = await authorization.ConnectAsync(TenantId, code);
            Assert.Equal(2, connections.Count);
        }

        foreach (var id in Documents().Select(d => d.Id))
        {
            Baseline.Add(id);
        }

        await node.DisposeAsync();
    }

    /// <summary>Starts a node: a new container (new engine, connector, rate governor) over the shared storage, sources and Xero.</summary>
    public Node StartNode(NodeLife life)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        services.AddLogging(b => b.AddProvider(new FakeLoggerProvider(Logs)).SetMinimumLevel(LogLevel.Debug));

        // The node's view of the database: the shared instances, the write path wrapped in the node's life.
        services.AddSingleton<LedgerStore>(new CrashingLedgerStore(Storage.Ledger, life));
        services.AddSingleton<TenantStore>(new CrashingTenantStore(Storage.Tenants, life));
        services.AddSingleton<RunLog>(new CrashingRunLog(Storage.Runs, life));
        services.AddSingleton(Storage.Mappings);
        services.AddSingleton(Storage.Tokens);
        services.AddSingleton(Storage.ReferenceData);
        services.AddSingleton(Storage.Schema);

        var practiceId = Practice.TenantId.ToString();
        var synckit = services
            .AddXeroSync(
                o =>
                {
                    UseEmulator(o, Emulator.BaseAddress, Organisation.ClientId, Organisation.ClientSecret, practiceId);
                    o.BatchSize = 2;
                    o.ItemBatchSize = 2;
                    o.MaxRetryAttempts = 0;
                    ConfigureXero?.Invoke(o);
                },
                o =>
                {
                    o.NodeId = life.NodeId;
                    o.ReadChunkSize = 10;
                    o.PassThroughMappings.Add(MappingKind.Account);
                    o.PassThroughMappings.Add(MappingKind.TaxRate);
                    o.PassThroughMappings.Add(MappingKind.PaymentTerms);
                    ConfigureEngine?.Invoke(o);
                })
            .ConfigureXeroHttpClients(b => b.ConfigurePrimaryHttpMessageHandler(_driver.CreateHandler));
        foreach (var source in HostSources)
        {
            synckit.AddSource(Wrap(source, life));
        }

        // The connector AddXeroSync registered, wrapped: resolved from the node's own container.
        var descriptor = services.Last(d => d.ServiceType == typeof(LedgerConnector));
        services.Remove(descriptor);
        services.AddSingleton<LedgerConnector>(sp => new CrashingConnector((LedgerConnector)Resolve(sp, descriptor), life));

        var node = new Node(this, life, services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true }));
        _nodes.Add(node);
        return node;
    }

    /// <summary>Points a node's Xero at the emulator: its app, a fixed token key, Practice Manager for the practice.</summary>
    public static void UseEmulator(XeroOptions o, Uri emulator, string clientId, string clientSecret, string practiceId)
    {
        o.ClientId = clientId;
        o.ClientSecret = clientSecret;
        o.ApiBaseUrl = o.IdentityBaseUrl = o.LoginBaseUrl = emulator;
        o.TokenEncryptionKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        o.RedirectUri = s_redirect;
        o.UsePracticeManager = true;
        o.PracticeManagerTenantIdForTenant = _ => practiceId;
    }

    /// <summary>A node named node-1, node-2, ... that dies at <paramref name="step"/> on the given kinds.</summary>
    public Node StartNode(CrashStep step = CrashStep.None, params RecordKind[] kinds) =>
        StartNode(new NodeLife($"node-{Interlocked.Increment(ref _nodeCount)}", step, kinds.ToHashSet()));

    private static object Resolve(IServiceProvider sp, ServiceDescriptor descriptor) =>
        descriptor.ImplementationInstance
        ?? descriptor.ImplementationFactory?.Invoke(sp)
        ?? ActivatorUtilities.CreateInstance(sp, descriptor.ImplementationType!);

    private static SyncSource Wrap(SyncSource source, NodeLife life) => source switch
    {
        SyncSource<ContactRecord> s => new CrashingSource<ContactRecord>(s, life),
        SyncSource<ItemRecord> s => new CrashingSource<ItemRecord>(s, life),
        SyncSource<InvoiceRecord> s => new CrashingSource<InvoiceRecord>(s, life),
        SyncSource<CreditNoteRecord> s => new CrashingSource<CreditNoteRecord>(s, life),
        SyncSource<PurchaseOrderRecord> s => new CrashingSource<PurchaseOrderRecord>(s, life),
        SyncSource<BillRecord> s => new CrashingSource<BillRecord>(s, life),
        SyncSource<PaymentRecord> s => new CrashingSource<PaymentRecord>(s, life),
        SyncSource<ClientRecord> s => new CrashingSource<ClientRecord>(s, life),
        SyncSource<StaffRecord> s => new CrashingSource<StaffRecord>(s, life),
        SyncSource<JobRecord> s => new CrashingSource<JobRecord>(s, life),
        SyncSource<CostRecord> s => new CrashingSource<CostRecord>(s, life),
        _ => throw new NotSupportedException(source.GetType().Name),
    };

    /// <summary>Every ledger entry of the tenant, read from the shared store (not through any node).</summary>
    public Task<List<LedgerEntry>> EntriesAsync(params LedgerState[] states) => LedgerReads.AllAsync(Storage.Ledger, TenantId, states);

    /// <summary>The organisation's and the practice's exports.</summary>
    public (JsonElement Organisation, JsonElement Practice) Export() =>
        (JsonDocument.Parse(Emulator.ExportTenant(Organisation.TenantId)).RootElement,
         JsonDocument.Parse(Emulator.ExportTenant(Practice.TenantId)).RootElement);

    /// <summary>Every document in Xero that SyncKit could have written, with the ledger kinds that may own it.</summary>
    public List<XeroDocument> Documents()
    {
        var (org, practice) = Export();
        return XeroDocument.FromExports(org, practice);
    }

    /// <summary>
    /// Runs <paramref name="action"/> while driving virtual time (<see cref="EmulatorTimeDriver.DriveAsync{T}"/>).
    /// The work's exceptions (a dead node's) are returned, not thrown; a drive that stalls still fails the test.
    /// </summary>
    public Task<(T? Result, Exception? Error)> DriveAsync<T>(Func<Task<T>> action, int maxSteps = 20_000) =>
        _driver.DriveAsync<(T?, Exception?)>(
            async () =>
            {
                try
                {
                    return (await action(), null);
                }
                catch (Exception ex)
                {
                    return (default, ex);
                }
            },
            maxSteps: maxSteps);

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        await Storage.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}

/// <summary>A document in Xero: its collection in the export, its id, the ledger kinds that may own it, and a description.</summary>
internal sealed record XeroDocument(string Collection, string Id, RecordKind[] OwnerKinds, string Description, string? Status)
{
    /// <summary>Every document in an organisation's and a practice's emulator exports that SyncKit could have written.</summary>
    public static List<XeroDocument> FromExports(JsonElement org, JsonElement practice)
    {
        var documents = new List<XeroDocument>();
        static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : p.ValueKind is JsonValueKind.Number ? p.GetRawText() : null;
        static string? Nested(JsonElement e, string outer, string inner) => e.TryGetProperty(outer, out var o) && o.ValueKind == JsonValueKind.Object ? Str(o, inner) : null;

        foreach (var c in org.GetProperty("contacts").EnumerateArray())
        {
            documents.Add(new XeroDocument("contacts", Str(c, "ContactID")!, [RecordKind.Contact], $"contact '{Str(c, "Name")}'", Str(c, "ContactStatus")));
        }

        foreach (var i in org.GetProperty("items").EnumerateArray())
        {
            documents.Add(new XeroDocument("items", Str(i, "ItemID")!, [RecordKind.Item], $"item '{Str(i, "Code")}'", null));
        }

        foreach (var i in org.GetProperty("invoices").EnumerateArray())
        {
            var type = Str(i, "Type");
            documents.Add(new XeroDocument(
                "invoices",
                Str(i, "InvoiceID")!,
                type == "ACCPAY" ? [RecordKind.Bill] : [RecordKind.Invoice],
                $"{type} '{Str(i, "InvoiceNumber")}' {Nested(i, "Contact", "Name")} {Str(i, "Date")} total {Str(i, "Total")} ref '{Str(i, "Reference")}'",
                Str(i, "Status")));
        }

        foreach (var n in org.GetProperty("creditNotes").EnumerateArray())
        {
            documents.Add(new XeroDocument("creditNotes", Str(n, "CreditNoteID")!, [RecordKind.CreditNote, RecordKind.Invoice], $"credit note '{Str(n, "CreditNoteNumber")}' {Nested(n, "Contact", "Name")} total {Str(n, "Total")}", Str(n, "Status")));
        }

        foreach (var o in org.GetProperty("purchaseOrders").EnumerateArray())
        {
            documents.Add(new XeroDocument("purchaseOrders", Str(o, "PurchaseOrderID")!, [RecordKind.PurchaseOrder], $"purchase order '{Str(o, "PurchaseOrderNumber")}' {Nested(o, "Contact", "Name")}", Str(o, "Status")));
        }

        foreach (var p in org.GetProperty("payments").EnumerateArray())
        {
            documents.Add(new XeroDocument("payments", Str(p, "PaymentID")!, [RecordKind.Payment], $"payment {Str(p, "Amount")} on {Nested(p, "Invoice", "InvoiceNumber") ?? Nested(p, "Invoice", "InvoiceID")} {Str(p, "Date")} ref '{Str(p, "Reference")}'", Str(p, "Status")));
        }

        if (practice.TryGetProperty("practiceManager", out var pm) && pm.ValueKind == JsonValueKind.Object)
        {
            foreach (var c in pm.GetProperty("clients").EnumerateArray())
            {
                documents.Add(new XeroDocument("xpm.clients", Str(c, "uuid")!, [RecordKind.Client], $"client '{Str(c, "name")}'", null));
            }

            foreach (var j in pm.GetProperty("jobs").EnumerateArray())
            {
                documents.Add(new XeroDocument("xpm.jobs", Str(j, "id")!, [RecordKind.Job], $"job {Str(j, "id")} '{Str(j, "name")}'", Str(j, "state")));
            }

            foreach (var c in pm.GetProperty("costs").EnumerateArray())
            {
                documents.Add(new XeroDocument("xpm.costs", Str(c, "uuid")!, [RecordKind.Cost], $"cost '{Str(c, "description")}' on {Str(c, "job")} x{Str(c, "quantity")} @ {Str(c, "unitPrice")}", null));
            }
        }

        return documents;
    }
}

/// <summary>One node: its container, its engine, its life.</summary>
internal sealed class Node(Cluster cluster, NodeLife life, ServiceProvider services) : IAsyncDisposable
{
    private bool _disposed;

    public NodeLife Life { get; } = life;

    public ServiceProvider Services { get; } = services;

    public ISyncEngine Engine => Services.GetRequiredService<ISyncEngine>();

    /// <summary>Runs a sync on this node, driving virtual time; a dead node's exception is returned.</summary>
    public Task<(SyncRun? Run, Exception? Error)> SyncAsync() =>
        cluster.DriveAsync(() => Engine.SyncAsync(new SyncRequest { TenantId = cluster.TenantId, RequestedBy = Life.NodeId }));

    public async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            await Services.DisposeAsync();
        }
    }
}
