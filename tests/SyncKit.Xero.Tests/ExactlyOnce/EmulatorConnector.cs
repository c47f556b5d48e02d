using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SyncKit.Connectors;
using SyncKit.Ledger;
using SyncKit.Records;
using SyncKit.Storage;
using SyncKit.Testing.Emulator;
using SyncKit.Xero.Tests.Infrastructure;

namespace SyncKit.Xero.Tests.ExactlyOnce;

/// <summary>The connector, registered as a host would, against the in-process emulator and its virtual clock.</summary>
internal sealed class EmulatorConnector : IAsyncDisposable
{
    private sealed class Builder(IServiceCollection services) : ISyncKitBuilder
    {
        public IServiceCollection Services { get; } = services;
    }

    private EmulatorConnector(XeroEmulator emulator, EmulatorTenant tenant, ServiceProvider provider, OwnersLedgerStore owners)
    {
        Emulator = emulator;
        Tenant = tenant;
        Provider = provider;
        Owners = owners;
        Connector = provider.GetRequiredService<LedgerConnector>();
    }

    public XeroEmulator Emulator { get; }

    public EmulatorTenant Tenant { get; }

    public ServiceProvider Provider { get; }

    public OwnersLedgerStore Owners { get; }

    public LedgerConnector Connector { get; }

    public string T => Tenant.TenantId.ToString();

    public static async Task<EmulatorConnector> CreateAsync(Action<XeroOptions>? configure = null)
    {
        var emulator = XeroEmulator.Create(new XeroEmulatorOptions { TimeProvider = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero)) });
        var tenant = await emulator.CreateTenantAsync(new EmulatorTenantOptions());
        var owners = new OwnersLedgerStore();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(emulator.TimeProvider);
        services.AddSingleton<TokenStore, InMemoryTokenStore>();
        services.AddSingleton<LedgerStore>(owners);
        new Builder(services).AddXeroConnector(
            o =>
            {
                o.ClientId = tenant.ClientId;
                o.ClientSecret = tenant.ClientSecret;
                o.ApiBaseUrl = o.IdentityBaseUrl = o.LoginBaseUrl = emulator.BaseAddress;
                o.TokenEncryptionKey = Convert.ToBase64String(new byte[32]);
                o.RetryBaseDelay = TimeSpan.FromMilliseconds(5);
                configure?.Invoke(o);
            },
            http => http.ConfigurePrimaryHttpMessageHandler(emulator.CreateHandler));
        var provider = services.BuildServiceProvider(validateScopes: true);
        await provider.GetRequiredService<XeroAuthorization>().SaveTokensAsync(tenant.TenantId.ToString(), new XeroTokenSet { AccessToken = tenant.AccessToken, RefreshToken = tenant.RefreshToken, ExpiresAt = emulator.TimeProvider.GetUtcNow().AddHours(2) });
        return new EmulatorConnector(emulator, tenant, provider, owners);
    }

    public static PushElement El(SyncRecord record, string? remoteId = null, params (RecordKind Kind, string SourceId, string RemoteId)[] links) => new()
    {
        Key = new LedgerKey("t", record.Kind, record.SourceId),
        Record = record,
        RemoteId = remoteId,
        ContentHash = "h",
        Links = links.ToDictionary(l => PushElement.LinkKey(l.Kind, l.SourceId), l => l.RemoteId),
    };

    public Task<PushResult> PushAsync(RecordKind kind, string key, params PushElement[] elements) =>
        Connector.PushAsync(new PushBatch { TenantId = T, Kind = kind, IdempotencyKey = key, Elements = elements });

    /// <summary>Pushes one element and answers its Xero id (asserting it succeeded).</summary>
    public async Task<string> CreateAsync(SyncRecord record, params (RecordKind Kind, string SourceId, string RemoteId)[] links)
    {
        var result = await PushAsync(record.Kind, "seed-" + record.Kind + "-" + record.SourceId, El(record, null, links));
        var outcome = Assert.Single(result.Outcomes);
        Assert.True(outcome.Succeeded, outcome.Failure?.MessageText);
        return outcome.RemoteId!;
    }

    public async Task<(string Code, string ContactId)> BankAndContactAsync(string contactName = "Acme Pty Ltd")
    {
        var reference = await Connector.LoadReferenceDataAsync(T);
        var bank = reference.Accounts.First(a => a.IsBank && a.Code is not null);
        var contactId = await CreateAsync(new ContactRecord { SourceId = "c-" + contactName, Name = contactName });
        return (bank.Code!, contactId);
    }

    public async ValueTask DisposeAsync()
    {
        await Provider.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}

/// <summary>A ledger store that answers only <see cref="FindOwnersAsync"/>, from owners a test sets.</summary>
internal sealed class OwnersLedgerStore : LedgerStore
{
    public Dictionary<string, LedgerKey> OwnersById { get; } = new(StringComparer.OrdinalIgnoreCase);

    public override Task<IReadOnlyDictionary<string, LedgerKey>> FindOwnersAsync(string tenantId, RecordKind kind, IReadOnlyCollection<string> remoteIds, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyDictionary<string, LedgerKey>>(remoteIds.Where(OwnersById.ContainsKey).ToDictionary(id => id, id => OwnersById[id]));

    public override Task<LedgerEntry?> GetAsync(LedgerKey key, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public override Task<IReadOnlyDictionary<string, LedgerEntry>> GetManyAsync(string tenantId, RecordKind kind, IReadOnlyCollection<string> sourceIds, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public override Task<IReadOnlyList<LedgerKey>> SaveAsync(IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public override Task<LedgerPage> QueryAsync(LedgerQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public override Task AcknowledgeOutcomesAsync(IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public override Task<LedgerCounts> CountAsync(string tenantId, CancellationToken cancellationToken = default) => throw new NotSupportedException();
}
