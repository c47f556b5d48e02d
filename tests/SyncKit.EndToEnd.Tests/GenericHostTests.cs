using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SyncKit.Ledger;
using SyncKit.Records;
using SyncKit.Runs;
using SyncKit.Storage;
using SyncKit.Testing.Emulator;
using SyncKit.Testing.Sources;
using SyncKit.Xero;

namespace SyncKit.EndToEnd.Tests;

/// <summary>A generic host registered with <c>AddXeroSync</c>, a store and its sources only.</summary>
public sealed class GenericHostTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("synckit-e2e-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by the OS does not fail the test.
        }
    }

    [Fact]
    public async Task HostWithAddXeroSyncAndTheSqliteStore_StartsAndSyncsIntoTheEmulator()
    {
        var time = new FakeTimeProvider(XeroHarness.Start);
        await using var emulator = XeroEmulator.Create(new XeroEmulatorOptions { TimeProvider = time });
        var tenant = await emulator.CreateTenantAsync(new EmulatorTenantOptions { Name = "Generic Host Ltd" });
        var contacts = new InMemorySource<ContactRecord>(RecordKind.Contact);
        var invoices = new InMemorySource<InvoiceRecord>(RecordKind.Invoice);
        var id = tenant.TenantId.ToString();
        contacts.Put(id, new ContactRecord { SourceId = "c-1", Name = "Host Customer Ltd" });
        invoices.Put(id, Data.Invoice("i-1", "HOST-0001", "c-1", new DateOnly(2026, 11, 20)));

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production", DisableDefaults = true });
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services
            .AddXeroSync(
                o =>
                {
                    o.ClientId = tenant.ClientId;
                    o.ClientSecret = tenant.ClientSecret;
                    o.ApiBaseUrl = o.IdentityBaseUrl = o.LoginBaseUrl = emulator.BaseAddress;
                    o.TokenEncryptionKey = Convert.ToBase64String(new byte[32]);
                },
                o =>
                {
                    o.PassThroughMappings.Add(Mapping.MappingKind.Account);
                    o.PassThroughMappings.Add(Mapping.MappingKind.TaxRate);
                })
            .UseSqliteStorage(Path.Combine(_directory, "synckit.db"))
            .ConfigureXeroHttpClients(b => b.ConfigurePrimaryHttpMessageHandler(emulator.CreateHandler))
            .AddSource(contacts)
            .AddSource(invoices);
        using var host = builder.Build();

        await host.StartAsync();
        await host.Services.GetRequiredService<XeroAuthorization>().SaveTokensAsync(id, new XeroTokenSet
        {
            AccessToken = tenant.AccessToken,
            RefreshToken = tenant.RefreshToken,
            ExpiresAt = time.GetUtcNow().AddMinutes(30),
        });
        var run = await host.Services.GetRequiredService<ISyncEngine>().SyncAsync(new SyncRequest { TenantId = id });
        await host.StopAsync();

        Assert.Equal(RunOutcome.Completed, run.Outcome);
        Assert.Equal("Sqlite", host.Services.GetRequiredService<LedgerStore>().GetType().Name.Replace("LedgerStore", string.Empty, StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(_directory, "synckit.db")));
        var entry = await host.Services.GetRequiredService<LedgerStore>().GetAsync(new LedgerKey(id, RecordKind.Invoice, "i-1"));
        Assert.Equal(LedgerState.Synced, entry!.State);
        var exported = System.Text.Json.JsonDocument.Parse(emulator.ExportTenant(tenant.TenantId)).RootElement;
        var invoice = Assert.Single(exported.GetProperty("invoices").EnumerateArray());
        Assert.Equal(entry.RemoteId, invoice.GetProperty("InvoiceID").GetString());
    }

    [Fact]
    public async Task HostWithoutClientId_FailsAtStart_WithAMessageNamingIt()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services
            .AddXeroSync(o => o.TokenEncryptionKey = Convert.ToBase64String(new byte[32]))
            .UseSqliteStorage(Path.Combine(_directory, "synckit.db"));
        using var host = builder.Build();

        var error = await Record.ExceptionAsync(() => host.StartAsync());

        // Every options failure at start is reported together (an AggregateException of OptionsValidationExceptions).
        Assert.NotNull(error);
        var failures = error is AggregateException aggregate ? aggregate.Flatten().InnerExceptions : [error];
        Assert.All(failures, f => Assert.IsType<OptionsValidationException>(f));
        Assert.Contains("XeroOptions.ClientId is required", error.Message, StringComparison.Ordinal);
        Assert.Single(failures.SelectMany(f => ((OptionsValidationException)f).Failures), m => m.Contains("XeroOptions.ClientId is required", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HostWithoutAStore_FailsAtStart_NamingTheCallsThatAddOne()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddXeroSync(o =>
        {
            o.ClientId = "id";
            o.TokenEncryptionKey = Convert.ToBase64String(new byte[32]);
        });
        using var host = builder.Build();

        var error = await Record.ExceptionAsync(() => host.StartAsync());

        Assert.NotNull(error);
        Assert.Contains("call UseSqliteStorage(...), UsePostgreSqlStorage(...) or UseInMemoryStorage()", error.Message, StringComparison.Ordinal);
    }
}
