using SyncKit.AspNetCore.Webhooks;
using System.Security.Cryptography;
using System.Text;
using SyncKit.Mapping;
using SyncKit.Records;
using SyncKit.Storage;
using SyncKit.Testing.Demo;
using SyncKit.Testing.Emulator;
using SyncKit.Testing.Sources;
using SyncKit.Xero;

namespace SyncKit.Samples.Web;

/// <summary>
/// The web sample's stand-in for a host product: the Xero emulator on a loopback port (a demo organisation and a demo
/// practice), the demo practice's records as the host's data, SQLite as SyncKit's store, and a first Sync All so the
/// dashboard opens on every seed problem. The browser tests start the same site.
/// </summary>
public sealed class DemoSite : IAsyncDisposable
{
    private static readonly RecordKind[] AccountingKinds = [RecordKind.Contact, RecordKind.Item, RecordKind.Invoice, RecordKind.CreditNote, RecordKind.PurchaseOrder, RecordKind.Bill, RecordKind.Payment];

    private readonly XeroEmulator _emulator = XeroEmulator.Create();
    private readonly string? _temporaryDatabase;
    private EmulatorTenant? _organisation;
    private EmulatorTenant? _practice;
    private Uri? _baseAddress;

    private DemoSite(string databasePath, bool temporary)
    {
        DatabasePath = databasePath;
        _temporaryDatabase = temporary ? databasePath : null;
    }

    /// <summary>The demo data: a month of a practice's records with one record for each seed problem.</summary>
    public DemoPractice Data { get; } = DemoPractice.Generate(new DateOnly(2026, 11, 1), customers: 40, invoices: 150);

    /// <summary>The host's records, by kind (the sample's "PSA").</summary>
    public InMemorySourceSet Sources { get; } = new();

    /// <summary>Holds every run at its first record while closed (the browser tests use it to keep a run under way).</summary>
    public SourceGate Gate { get; } = new();

    /// <summary>SyncKit's SQLite file.</summary>
    public string DatabasePath { get; }

    /// <summary>The emulator.</summary>
    public XeroEmulator Emulator => _emulator;

    /// <summary>The demo organisation's tenant id (Accounting API).</summary>
    public string OrganisationId => Organisation.TenantId.ToString();

    /// <summary>The demo practice's tenant id (Practice Manager).</summary>
    public string PracticeId => PracticeTenant.TenantId.ToString();

    private EmulatorTenant Organisation => _organisation ?? throw new InvalidOperationException("The demo site is not started.");

    private EmulatorTenant PracticeTenant => _practice ?? throw new InvalidOperationException("The demo site is not started.");

    /// <summary>Starts the emulator and creates its two tenants.</summary>
    /// <param name="databasePath">SyncKit's SQLite file; null for a temporary one, deleted on dispose.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The site, ready to register.</returns>
    public static async Task<DemoSite> StartAsync(string? databasePath, CancellationToken cancellationToken)
    {
        var site = new DemoSite(databasePath ?? Path.Combine(Path.GetTempPath(), $"synckit-web-{Guid.NewGuid():N}.db"), databasePath is null);
        site._baseAddress = await site._emulator.StartServerAsync(cancellationToken: cancellationToken);
        site._organisation = await site._emulator.CreateTenantAsync(new EmulatorTenantOptions { Name = "Demo Organisation", BaseCurrency = "AUD" }, cancellationToken);
        site._practice = await site._emulator.CreateTenantAsync(new EmulatorTenantOptions { Name = "Demo Practice", PracticeManager = true }, cancellationToken);
        return site;
    }

    /// <summary>Registers SyncKit over the emulator, the demo's records as sources, and the approval policy for bills.</summary>
    /// <param name="services">The app's services.</param>
    public void Register(IServiceCollection services) => Register(services, siteAddress: null);

    /// <summary>Registers SyncKit as <see cref="Register(IServiceCollection)"/> does; with the site's own address, also
    /// the connect pages' callback and the emulator's webhook deliveries to <c>/xero/webhooks</c>.</summary>
    /// <param name="services">The app's services.</param>
    /// <param name="siteAddress">Where the site listens (loopback), or null for neither.</param>
    public void Register(IServiceCollection services, Uri? siteAddress)
    {
        var practiceId = PracticeId;
        var organisationId = OrganisationId;
        Sources.Load(Data, kind => AccountingKinds.Contains(kind) ? organisationId : practiceId);
        foreach (var source in new Action<Func<SyncRecord, ValueTask>>[]
        {
            f => Sources.Contacts.OnYield = f, f => Sources.Items.OnYield = f, f => Sources.Invoices.OnYield = f, f => Sources.CreditNotes.OnYield = f,
            f => Sources.PurchaseOrders.OnYield = f, f => Sources.Bills.OnYield = f, f => Sources.Payments.OnYield = f, f => Sources.Clients.OnYield = f,
            f => Sources.Jobs.OnYield = f, f => Sources.Costs.OnYield = f,
        })
        {
            source(_ => Gate.PassAsync());
        }

        var builder = services.AddXeroSync(
                o =>
                {
                    o.ClientId = Organisation.ClientId;
                    o.ClientSecret = Organisation.ClientSecret;
                    o.ApiBaseUrl = o.IdentityBaseUrl = o.LoginBaseUrl = _baseAddress!;

                    // A demo key: a real host keeps its key in a secret store.
                    o.TokenEncryptionKey = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes("synckit-sample-demo-key")));
                    o.IsPracticeManagerTenant = tenant => tenant == practiceId;
                    if (siteAddress is not null)
                    {
                        o.RedirectUri = new Uri(siteAddress, "xero/callback");
                    }
                },
                o =>
                {
                    o.RoundingAccountKey = "GL-ROUNDING";
                    o.RoundingTaxKey = "TAX-NONE";
                })
            .UseSqliteStorage(DatabasePath)
            .UseApprovalPolicy<BillsWaitForApproval>();
        if (siteAddress is not null)
        {
            // The emulator delivers signed webhooks here, as Xero does to a registered URL.
            var webhook = _emulator.CreateWebhook(new Uri(siteAddress, "xero/webhooks"), Organisation.ClientId);
            builder.AddXeroWebhooks(o => o.WebhookKey = webhook.WebhookKey);
        }

        Sources.AddTo(builder);
    }

    /// <summary>Once the app is built: tokens, the ledger set up for the seed problems, the host's mappings, and a first Sync All of each tenant.</summary>
    /// <param name="services">The app's services.</param>
    /// <param name="cancellationToken">Cancels the set-up.</param>
    /// <returns>A task.</returns>
    public async Task PrepareAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        // The tokens a consent would have produced.
        var authorization = services.GetRequiredService<XeroAuthorization>();
        var tenants = services.GetRequiredService<TenantStore>();
        foreach (var tenant in new[] { Organisation, PracticeTenant })
        {
            await authorization.SaveTokensAsync(
                tenant.TenantId.ToString(),
                new XeroTokenSet { AccessToken = tenant.AccessToken, RefreshToken = tenant.RefreshToken, ExpiresAt = DateTimeOffset.FromUnixTimeSeconds(0) },
                cancellationToken);
            await tenants.SaveAsync(new TenantState { TenantId = tenant.TenantId.ToString(), Name = tenant.Name, Connection = ConnectionState.Connected }, cancellationToken);
        }

        // The organisation's lock date, archived and code-less accounts; the practice's WIP lock and broken jobs.
        var jobs = await _emulator.SetUpDemoProblemsAsync(Data, Organisation, PracticeTenant, cancellationToken);

        // The host's mappings (the unmapped problems are left out on purpose).
        var mappings = services.GetRequiredService<MappingStore>();
        foreach (var tenant in new[] { OrganisationId, PracticeId })
        {
            foreach (var (kind, local, remote) in Data.Mappings)
            {
                await mappings.SetAsync(tenant, kind, local, remote, cancellationToken);
            }
        }

        await mappings.SetAsync(PracticeId, MappingKind.Job, "job-closed", jobs.CompletedJobId, cancellationToken);
        await mappings.SetAsync(PracticeId, MappingKind.Job, "job-deleted", jobs.DeletedJobId, cancellationToken);

        var engine = services.GetRequiredService<ISyncEngine>();
        await engine.SyncAsync(new SyncRequest { TenantId = OrganisationId, Kinds = AccountingKinds, RequestedBy = "demo set-up" }, cancellationToken);
        await engine.SyncAsync(new SyncRequest { TenantId = PracticeId, Kinds = [RecordKind.Client, RecordKind.Job, RecordKind.Cost], RequestedBy = "demo set-up" }, cancellationToken);
    }

    /// <summary>Stops the emulator and deletes a temporary database.</summary>
    /// <returns>A task.</returns>
    public async ValueTask DisposeAsync()
    {
        Gate.Open();
        await _emulator.DisposeAsync();
        if (_temporaryDatabase is not null)
        {
            foreach (var file in new[] { _temporaryDatabase, _temporaryDatabase + "-wal", _temporaryDatabase + "-shm" })
            {
                File.Delete(file);
            }
        }
    }
}

/// <summary>Bills wait for Finance's approval ("Pending Action") until someone sends them from the dashboard.</summary>
internal sealed class BillsWaitForApproval : Sources.ApprovalPolicy
{
    public override ValueTask<bool> ShouldHoldAsync(string tenantId, SyncRecord record, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(record.Kind == RecordKind.Bill);
}

/// <summary>Lets records through while open; while closed, holds every run at the first record it reads.</summary>
public sealed class SourceGate
{
    private TaskCompletionSource _open = Opened();

    /// <summary>Makes runs wait at their next record.</summary>
    public void Close() => Interlocked.CompareExchange(ref _open, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), _open);

    /// <summary>Lets waiting and later runs through.</summary>
    public void Open() => Volatile.Read(ref _open).TrySetResult();

    /// <summary>Completes when the gate is open.</summary>
    /// <returns>A task.</returns>
    public ValueTask PassAsync() => new(Volatile.Read(ref _open).Task);

    private static TaskCompletionSource Opened()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }
}
