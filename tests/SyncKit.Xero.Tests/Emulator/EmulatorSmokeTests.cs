// Runs against SyncKit.Testing's Xero emulator, in process.
using Microsoft.Extensions.DependencyInjection;
using SyncKit.Connectors;
using SyncKit.Errors;
using SyncKit.Ledger;
using SyncKit.Records;
using SyncKit.Storage;
using SyncKit.Testing.Emulator;
using SyncKit.Xero;
using SyncKit.Xero.Tests.Infrastructure;


namespace SyncKit.Xero.Tests.Emulator;

/// <summary>The connector against the Xero emulator, end to end (in-process handler, emulator clock).</summary>
public sealed class EmulatorSmokeTests : IAsyncLifetime
{
    private sealed class Builder(IServiceCollection services) : ISyncKitBuilder
    {
        public IServiceCollection Services { get; } = services;
    }

    private XeroEmulator _emulator = null!;
    private EmulatorTenant _tenant = null!;
    private EmulatorTenant _practice = null!;
    private ServiceProvider _provider = null!;
    private LedgerConnector _connector = null!;

    public async Task InitializeAsync()
    {
        _emulator = XeroEmulator.Create();
        _tenant = await _emulator.CreateTenantAsync(new EmulatorTenantOptions());
        _practice = await _emulator.CreateTenantAsync(new EmulatorTenantOptions { PracticeManager = true });
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(_emulator.TimeProvider);
        services.AddSingleton<TokenStore, InMemoryTokenStore>();
        new Builder(services).AddXeroConnector(
            o =>
            {
                o.ClientId = _tenant.ClientId;
                o.ClientSecret = _tenant.ClientSecret;
                o.ApiBaseUrl = o.IdentityBaseUrl = o.LoginBaseUrl = _emulator.BaseAddress;
                o.TokenEncryptionKey = Convert.ToBase64String(new byte[32]);
                o.RetryBaseDelay = TimeSpan.FromMilliseconds(5);
                o.IsPracticeManagerTenant = t => t == _practice.TenantId.ToString();
            },
            http => http.ConfigurePrimaryHttpMessageHandler(() => _emulator.CreateHandler()));
        services.ConfigureAll<Microsoft.Extensions.Http.HttpClientFactoryOptions>(o => o.HttpMessageHandlerBuilderActions.Add(b => b.PrimaryHandler = _emulator.CreateHandler()));
        _provider = services.BuildServiceProvider(validateScopes: true);
        await _provider.GetRequiredService<XeroAuthorization>().SaveTokensAsync(T, new XeroTokenSet { AccessToken = _tenant.AccessToken, RefreshToken = _tenant.RefreshToken, ExpiresAt = _emulator.TimeProvider.GetUtcNow().AddMinutes(30) });
        await _provider.GetRequiredService<XeroAuthorization>().SaveTokensAsync(P, new XeroTokenSet { AccessToken = _practice.AccessToken, RefreshToken = _practice.RefreshToken, ExpiresAt = _emulator.TimeProvider.GetUtcNow().AddMinutes(30) });
        _connector = _provider.GetRequiredService<LedgerConnector>();
    }

    public async Task DisposeAsync()
    {
        await _provider.DisposeAsync();
        await _emulator.DisposeAsync();
    }

    private string T => _tenant.TenantId.ToString();

    private string P => _practice.TenantId.ToString();

    private static PushElement El(SyncRecord r, string? remote = null, params (RecordKind, string, string)[] links) => new()
    {
        Key = new LedgerKey("t", r.Kind, r.SourceId),
        Record = r,
        RemoteId = remote,
        ContentHash = "h",
        Links = links.ToDictionary(l => PushElement.LinkKey(l.Item1, l.Item2), l => l.Item3),
    };

    private PushBatch BatchP(RecordKind kind, string key, params PushElement[] e) => new() { TenantId = P, Kind = kind, IdempotencyKey = key, Elements = e };

    private PushBatch Batch(RecordKind kind, string key, params PushElement[] e) => new() { TenantId = T, Kind = kind, IdempotencyKey = key, Elements = e };

    [Fact]
    public async Task EndToEnd()
    {
        var reference = await _connector.LoadReferenceDataAsync(T);
        var sales = reference.Accounts.First(a => a.Type == "REVENUE" && a.Code is not null && !a.IsArchived);
        var bank = reference.Accounts.First(a => a.IsBank && a.Code is not null);
        var tax = reference.TaxRates.First(t => !t.IsArchived).TaxType;

        var contacts = await _connector.PushAsync(Batch(RecordKind.Contact, "k-c",
            El(new ContactRecord { SourceId = "c1", Name = "Acme \"Quoted\" Ltd", Email = "a@acme.test", PaymentTermsKey = "DAYSAFTERBILLDATE:30" }),
            El(new ContactRecord { SourceId = "c2", Name = "Bravo Ltd" })));
        Assert.Null(contacts.BatchFailure);
        Assert.All(contacts.Outcomes, o => Assert.True(o.Succeeded, o.Failure?.MessageText));
        string acme = contacts.Outcomes.Single(o => o.SourceId == "c1").RemoteId!;

        // The same record sent again as new (its link was lost): matched, not duplicated.
        var again = await _connector.PushAsync(Batch(RecordKind.Contact, "k-c2", El(new ContactRecord { SourceId = "c1", Name = "Acme \"Quoted\" Ltd" })));
        Assert.Equal(acme, Assert.Single(again.Outcomes).RemoteId);

        DocumentLine Line(string? account) => new() { Description = "Work", Quantity = 2, UnitPrice = 100.1234m, AccountKey = account, TaxKey = tax };
        InvoiceRecord Inv(string id, string? account) => new() { SourceId = id, ContactSourceId = "c1", Number = "INV-" + id, Date = new DateOnly(2026, 11, 1), DueDate = new DateOnly(2026, 12, 1), CurrencyCode = reference.BaseCurrency!, Lines = [Line(account)] };
        var link = (RecordKind.Contact, "c1", acme);
        var invoices = await _connector.PushAsync(Batch(RecordKind.Invoice, "k-i", El(Inv("1", sales.Code), null, link), El(Inv("2", "NOPE"), null, link), El(Inv("3", sales.Code), null, link)));
        Assert.Null(invoices.BatchFailure);

        var bad = invoices.Outcomes.Single(o => o.SourceId == "2").Failure!;
        Assert.Equal("xero.account-not-found", XeroErrorRules.All.First(r => r.Matches(bad)).Id);
        string inv1 = invoices.Outcomes.Single(o => o.SourceId == "1").RemoteId!;

        var found = (await _connector.FindCandidatesAsync(T, El(Inv("1", sales.Code), null, link))).SingleOrDefault();
        Assert.Equal(inv1, found!.RemoteId);

        var payments = await _connector.PushAsync(Batch(RecordKind.Payment, "k-p", El(new PaymentRecord { SourceId = "p1", DocumentSourceId = "1", Date = new DateOnly(2026, 11, 2), Amount = 10m, CurrencyCode = reference.BaseCurrency!, AccountKey = bank.Code!, Reference = "EFT" }, null, (RecordKind.Invoice, "1", inv1!))));
        Assert.True(Assert.Single(payments.Outcomes).Succeeded, payments.Outcomes[0].Failure?.MessageText ?? payments.BatchFailure?.MessageText);
        var foundPayment = (await _connector.FindCandidatesAsync(T, El(new PaymentRecord { SourceId = "p1", DocumentSourceId = "1", Date = new DateOnly(2026, 11, 2), Amount = 10m, CurrencyCode = "AUD", AccountKey = bank.Code!, Reference = "EFT" }, null, (RecordKind.Invoice, "1", inv1!)))).SingleOrDefault();
        Assert.Equal(payments.Outcomes[0].RemoteId, foundPayment!.RemoteId);

        // Token refresh after expiry window.
        _emulator.AdvanceClock(TimeSpan.FromMinutes(28));
        var afterRefresh = (await _connector.FindCandidatesAsync(T, El(new ContactRecord { SourceId = "c2", Name = "Bravo Ltd" }))).SingleOrDefault();
        Assert.NotNull(afterRefresh);

        // Lock date.
        _emulator.SetLockDates(_tenant.TenantId, new DateOnly(2026, 11, 15), null);
        var locked = await _connector.PushAsync(Batch(RecordKind.Invoice, "k-l", El(Inv("9", sales.Code), null, link)));
        var lockFailure = Assert.Single(locked.Outcomes).Failure!;
        Assert.Equal("xero.lock-date", XeroErrorRules.All.First(r => r.Matches(lockFailure)).Id);
    }

    [Fact]
    public async Task PracticeManager()
    {
        var client = await _connector.PushAsync(BatchP(RecordKind.Client, "k", El(new ClientRecord { SourceId = "org-7", Name = "Acme" })));
        var clientId = Assert.Single(client.Outcomes).RemoteId!;
        var job = await _connector.PushAsync(BatchP(RecordKind.Job, "k", El(new JobRecord { SourceId = "job-1", ClientSourceId = "org-7", Name = "Accounts", State = "In Progress" }, null, (RecordKind.Client, "org-7", clientId))));
        var jobOutcome = Assert.Single(job.Outcomes);
        var jobNumber = jobOutcome.RemoteId!;
        var cost = new CostRecord { SourceId = "cost-1", OrganisationKey = "org-7", JobSourceId = "job-1", Date = new DateOnly(2026, 11, 1), Description = "Courier", Quantity = 1, UnitCost = 5, UnitPrice = 7 };
        var pushed = await _connector.PushAsync(BatchP(RecordKind.Cost, "k", El(cost, null, (RecordKind.Job, "job-1", jobNumber))));
        Assert.True(Assert.Single(pushed.Outcomes).Succeeded, pushed.Outcomes[0].Failure?.MessageText);
        var found = (await _connector.FindCandidatesAsync(P, El(cost, null, (RecordKind.Job, "job-1", jobNumber)))).SingleOrDefault();
        Assert.Equal(pushed.Outcomes[0].RemoteId, found!.RemoteId);

        _emulator.SetWipLockDate(_practice.TenantId, new DateOnly(2026, 11, 10));
        var locked = await _connector.PushAsync(BatchP(RecordKind.Cost, "k", El(cost with { SourceId = "cost-2" }, null, (RecordKind.Job, "job-1", jobNumber))));
        var f = Assert.Single(locked.Outcomes).Failure!;
        Assert.Equal("xpm.wip-lock-date", XeroErrorRules.All.First(r => r.Matches(f)).Id);

        _emulator.SetWipLockDate(_practice.TenantId, null);
        _emulator.SetJobState(_practice.TenantId, jobNumber, "Completed");
        var state = await _connector.PushAsync(BatchP(RecordKind.Cost, "k", El(cost with { SourceId = "cost-3" }, null, (RecordKind.Job, "job-1", jobNumber))));
        var sf = Assert.Single(state.Outcomes).Failure!;
        Assert.Equal("xpm.job-state", XeroErrorRules.All.First(r => r.Matches(sf)).Id);

        var reference = await _connector.LoadReferenceDataAsync(P);
    }

    [Fact]
    public async Task OfflineAndDayLimit()
    {
        var reference = await _connector.LoadReferenceDataAsync(T);
        var contact = El(new ContactRecord { SourceId = "c9", Name = "Zulu Ltd" });
        _emulator.SetOffline(_tenant.TenantId, true);
        var offline = await _connector.PushAsync(Batch(RecordKind.Contact, "k-off", contact));
        Assert.Equal("xero.organisation-offline", XeroErrorRules.All.First(r => r.Matches(offline.BatchFailure!)).Id);
        _emulator.SetOffline(_tenant.TenantId, false);

        _emulator.SetRateLimits(_tenant.TenantId, dayLimit: 1);
        var day = await _connector.PushAsync(Batch(RecordKind.Contact, "k-day", contact));
        Assert.Equal(ErrorDisposition.PauseTenant, XeroErrorRules.All.First(r => r.Matches(day.BatchFailure!)).Disposition);
    }
}
