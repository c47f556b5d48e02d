using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SyncKit.Ledger;
using SyncKit.Mapping;
using SyncKit.Storage;
using SyncKit.Testing.Demo;
using SyncKit.Testing.Emulator;
using SyncKit.Xero;

namespace SyncKit.Samples.Console;

/// <summary>
/// The Xero emulator, started in this process on a loopback port: a demo organisation (Accounting API) and a
/// demo practice (Practice Manager). SyncKit reaches it over real HTTP exactly as it reaches Xero.
/// </summary>
internal sealed class EmulatorSampleLedger : SampleLedger
{
    private readonly XeroEmulator _emulator = XeroEmulator.Create();
    private EmulatorTenant? _organisation;
    private EmulatorTenant? _practice;
    private Uri? _baseAddress;

    public override string Description => $"the Xero emulator at {_baseAddress} (in this process; no Xero account needed)";

    public override IReadOnlyList<SampleTenant> Tenants =>
    [
        new(Organisation.TenantId.ToString(), Organisation.Name, AccountingKinds),
        new(Practice.TenantId.ToString(), Practice.Name, PracticeKinds),
    ];

    private EmulatorTenant Organisation => _organisation ?? throw new InvalidOperationException("The emulator is not initialised.");

    private EmulatorTenant Practice => _practice ?? throw new InvalidOperationException("The emulator is not initialised.");

    public override async Task InitializeAsync(CancellationToken cancellationToken)
    {
        _baseAddress = await _emulator.StartServerAsync(cancellationToken: cancellationToken);
        _organisation = await _emulator.CreateTenantAsync(new EmulatorTenantOptions { Name = "Demo Organisation", BaseCurrency = "AUD" }, cancellationToken);
        _practice = await _emulator.CreateTenantAsync(new EmulatorTenantOptions { Name = "Demo Practice", PracticeManager = true }, cancellationToken);
    }

    public override ISyncKitBuilder Register(IServiceCollection services, string databasePath)
    {
        var practiceId = Practice.TenantId.ToString();
        return services.AddXeroSync(
                o =>
                {
                    o.ClientId = Organisation.ClientId;
                    o.ClientSecret = Organisation.ClientSecret;
                    o.ApiBaseUrl = o.IdentityBaseUrl = o.LoginBaseUrl = _baseAddress!;

                    // A demo key: a real host keeps its key in a secret store.
                    o.TokenEncryptionKey = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes("synckit-sample-demo-key")));
                    o.IsPracticeManagerTenant = tenant => tenant == practiceId;
                },
                SampleApp.ConfigureEngine)
            .UseSqliteStorage(databasePath);
    }

    public override async Task PrepareAsync(IServiceProvider services, DemoPractice practice, CancellationToken cancellationToken)
    {
        // The tokens a consent would have produced (see the 'connect' command for real Xero).
        var authorization = services.GetRequiredService<XeroAuthorization>();
        var tenants = services.GetRequiredService<TenantStore>();
        foreach (var tenant in new[] { Organisation, Practice })
        {
            await authorization.SaveTokensAsync(
                tenant.TenantId.ToString(),
                new XeroTokenSet { AccessToken = tenant.AccessToken, RefreshToken = tenant.RefreshToken, ExpiresAt = DateTimeOffset.FromUnixTimeSeconds(0) },
                cancellationToken);
            await tenants.SaveAsync(new TenantState { TenantId = tenant.TenantId.ToString(), Name = tenant.Name, Connection = ConnectionState.Connected }, cancellationToken);
        }

        // The organisation's lock date, archived and code-less accounts; the practice's WIP lock and broken jobs.
        var jobs = await _emulator.SetUpDemoProblemsAsync(practice, Organisation, Practice, cancellationToken);

        var mappings = services.GetRequiredService<MappingStore>();
        var practiceTenant = Practice.TenantId.ToString();
        await mappings.SetAsync(practiceTenant, MappingKind.Job, "job-closed", jobs.CompletedJobId, cancellationToken);
        await mappings.SetAsync(practiceTenant, MappingKind.Job, "job-deleted", jobs.DeletedJobId, cancellationToken);
    }

    /// <summary>The walk-in customer's invoices typed straight into Xero, which the host never pushed.</summary>
    public const string WalkIn = "Walk-in Customer";

    public override async Task MakeDemoPaymentsAsync(IServiceProvider services, SampleBooks books, CancellationToken cancellationToken)
    {
        // Matched: a part payment on the first invoice SyncKit pushed (the ledger knows its Xero id).
        var page = await services.GetRequiredService<ISyncEngine>().QueryLedgerAsync(
            new LedgerQuery { TenantId = Organisation.TenantId.ToString(), Kinds = [Records.RecordKind.Invoice], States = [LedgerState.Synced], PageSize = 1 },
            cancellationToken);
        var payments = new List<string>();
        if (page.Entries.FirstOrDefault() is { RemoteId: { } pushed })
        {
            payments.Add(Payment(pushed, 10m));
        }

        // Ambiguous (two host invoices of exactly 55.00 for the walk-in customer) and unmatched (none of 77.00).
        books.OpenInvoices["walkin-a"] = (WalkIn, 55m);
        books.OpenInvoices["walkin-b"] = (WalkIn, 55m);
        var typed = _emulator.ActAsUser(Organisation.TenantId, "Invoices", "{\"Invoices\":[" + TypedInvoice("X-AMB", 55m) + "," + TypedInvoice("X-NONE", 77m) + "]}");
        var ids = System.Text.Json.JsonDocument.Parse(typed).RootElement.GetProperty("Invoices").EnumerateArray().Select(i => i.GetProperty("InvoiceID").GetString()!).ToArray();
        payments.Add(Payment(ids[0], 55m));
        payments.Add(Payment(ids[1], 77m));
        _emulator.ActAsUser(Organisation.TenantId, "Payments", "{\"Payments\":[" + string.Join(',', payments) + "]}");

        static string TypedInvoice(string number, decimal amount) => string.Create(
            CultureInfo.InvariantCulture,
            $$"""{"Type":"ACCREC","InvoiceNumber":"{{number}}","Contact":{"Name":"{{WalkIn}}"},"Date":"2026-11-20","DueDate":"2026-12-20","Status":"AUTHORISED","LineAmountTypes":"NoTax","LineItems":[{"Description":"Typed in Xero","Quantity":1,"UnitAmount":{{amount}},"AccountCode":"200"}]}""");

        static string Payment(string invoiceId, decimal amount) => string.Create(
            CultureInfo.InvariantCulture,
            $$"""{"Invoice":{"InvoiceID":"{{invoiceId}}"},"Account":{"Code":"090"},"Date":"2026-11-21","Amount":{{amount}}}""");
    }

    public override Task UnlockPeriodAsync(CancellationToken cancellationToken)
    {
        _emulator.SetLockDates(Organisation.TenantId, null, null);
        _emulator.SetWipLockDate(Practice.TenantId, null);
        return Task.CompletedTask;
    }

    public override ValueTask DisposeAsync() => _emulator.DisposeAsync();
}
