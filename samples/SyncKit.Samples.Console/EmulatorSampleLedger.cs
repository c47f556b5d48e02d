using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
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

        // The organisation: last month locked, Advertising archived, a trust account without a code.
        _emulator.SetLockDates(Organisation.TenantId, practice.PeriodLockDate, null);
        _emulator.ArchiveAccount(Organisation.TenantId, practice.ArchivedAccountCode);
        using var http = _emulator.CreateHttpClient();
        await SendAsync(http, Organisation, HttpMethod.Put, "api.xro/2.0/Accounts", new StringContent("""{"Accounts":[{"Name":"Trust Liability","Type":"CURRLIAB"}]}""", Encoding.UTF8, "application/json"), cancellationToken);

        // The practice: a WIP lock, a Completed job and a deleted job the demo's costs point at.
        _emulator.SetWipLockDate(Practice.TenantId, practice.WipLockDate);
        var client = await PracticeAsync(http, HttpMethod.Post, "client.api/add", new XElement("Client", new XElement("Name", "Legacy Client Pty Ltd")), cancellationToken);
        var clientId = client.Descendants("UUID").First().Value;
        var completed = await AddJobAsync(http, clientId, "Completed", cancellationToken);
        var deleted = await AddJobAsync(http, clientId, "In Progress", cancellationToken);
        await PracticeAsync(http, HttpMethod.Post, "job.api/delete", new XElement("Job", new XElement("ID", deleted)), cancellationToken);

        var mappings = services.GetRequiredService<MappingStore>();
        var practiceTenant = Practice.TenantId.ToString();
        await mappings.SetAsync(practiceTenant, MappingKind.Job, "job-closed", completed, cancellationToken);
        await mappings.SetAsync(practiceTenant, MappingKind.Job, "job-deleted", deleted, cancellationToken);
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

    private async Task<string> AddJobAsync(HttpClient http, string clientId, string state, CancellationToken cancellationToken)
    {
        var job = await PracticeAsync(
            http,
            HttpMethod.Post,
            "job.api/add",
            new XElement("Job", new XElement("Name", $"Old job ({state})"), new XElement("ClientUUID", clientId), new XElement("State", state),
                new XElement("StartDate", "20261001"), new XElement("DueDate", "20261031")),
            cancellationToken);
        return job.Descendants("ID").First().Value;
    }

    private async Task<XElement> PracticeAsync(HttpClient http, HttpMethod method, string path, XElement body, CancellationToken cancellationToken)
    {
        var text = await SendAsync(http, Practice, method, "practicemanager/3.1/" + path, new StringContent(body.ToString(), Encoding.UTF8, "application/xml"), cancellationToken);
        var response = XElement.Parse(text);
        return response.Element("Status")?.Value == "OK"
            ? response
            : throw new InvalidOperationException($"The emulator refused {path}: {response.Element("ErrorDescription")?.Value}");
    }

    private static async Task<string> SendAsync(HttpClient http, EmulatorTenant tenant, HttpMethod method, string path, HttpContent content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tenant.AccessToken);
        request.Headers.Add("xero-tenant-id", tenant.TenantId.ToString());
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(path.StartsWith("practicemanager/", StringComparison.Ordinal) ? "application/xml" : "application/json"));
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.IsSuccessStatusCode
            ? text
            : throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"The emulator answered {(int)response.StatusCode} to {path}: {text}"));
    }
}
