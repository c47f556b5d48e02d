using System.Net;
using System.Threading.Channels;
using System.Web;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using SyncKit.Runs;
using SyncKit.Samples.Web.DocsSnippets;
using SyncKit.Storage.Sqlite;
using SyncKit.Testing.Emulator;
using SyncKit.Xero;

namespace SyncKit.AspNetCore.Tests.Connect;

/// <summary>docs/getting-started.md, run as written (its web host is compiled in the web sample) with the emulator as Xero.</summary>
public sealed class GettingStartedTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("synckit-getting-started-").FullName;

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
    public async Task GettingStarted_Connect_RegistersTheOrganisation_TheSchedulerSyncsIt_TheHealthCheckReportsIt_OffboardRemovesIt()
    {
        var time = new FakeTimeProvider(ConnectHost.Start);
        await using var emulator = XeroEmulator.Create(new XeroEmulatorOptions { TimeProvider = time });
        var organisation = await emulator.CreateTenantAsync(new EmulatorTenantOptions { Name = "Getting Started Pty Ltd" });
        var xeroApp = emulator.CreateApp(new EmulatorAppOptions { Name = "Getting started" });
        var scheduled = new ScheduledRuns();

        // The guide's configuration keys, as a host would set them (here on the command line).
        string[] args =
        [
            "--Xero:ClientId=" + xeroApp.ClientId,
            "--Xero:ClientSecret=" + xeroApp.ClientSecret,
            "--Xero:TokenEncryptionKey=" + Convert.ToBase64String(new byte[32]),
            "--Xero:RedirectUri=http://localhost/xero/callback",
        ];
        await using var app = GettingStarted.CreateApp(args, builder =>
        {
            // The only differences from the guide: an in-process server, a virtual clock, the emulator in place of Xero and a temporary database file.
            builder.WebHost.UseTestServer();
            builder.Services.AddSingleton<TimeProvider>(time);
            builder.Services.PostConfigure<XeroOptions>(o => o.ApiBaseUrl = o.IdentityBaseUrl = o.LoginBaseUrl = emulator.BaseAddress);
            builder.Services.PostConfigure<SqliteStorageOptions>(o => o.DatabasePath = Path.Combine(_directory, "synckit.db"));
            builder.Services.AddSyncKit().ConfigureXeroHttpClients(b => b.ConfigurePrimaryHttpMessageHandler(emulator.CreateHandler));
            builder.Logging.AddProvider(scheduled);
        });
        await app.StartAsync();
        using var browser = app.GetTestClient();
        var tenantId = organisation.TenantId.ToString();

        // Connect: /xero/connect → Xero's consent page (the user chooses the organisation) → /xero/callback.
        using var connect = await browser.GetAsync(new Uri("/xero/connect", UriKind.Relative));
        using var xero = emulator.CreateHttpClient();
        using var consent = await xero.GetAsync(new Uri(connect.Headers.Location + "&tenantId=" + tenantId));
        using var callback = new HttpRequestMessage(HttpMethod.Get, new Uri(consent.Headers.Location!.PathAndQuery, UriKind.Relative));
        callback.Headers.Add("Cookie", connect.Headers.GetValues("Set-Cookie").First().Split(';')[0]);
        using var connected = await browser.SendAsync(callback);
        Assert.Equal(HttpStatusCode.OK, connected.StatusCode);
        Assert.Contains("Getting Started Pty Ltd is connected.", await connected.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The tenant is registered, with its name.
        var registered = Assert.Single(await GettingStarted.ListAsync(app.Services, CancellationToken.None));
        Assert.Equal((tenantId, "Getting Started Pty Ltd", Storage.TenantType.Organisation), (registered.TenantId, registered.Name, registered.Type));

        // The scheduler syncs it: its first cycle is a minute after start, the tenant within the cycle's jitter.
        time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromHours(3) * 0.1);
        Assert.Equal(RunOutcome.Completed, await scheduled.NextAsync());
        var synced = Assert.Single(await GettingStarted.ListAsync(app.Services, CancellationToken.None));
        Assert.NotNull(synced.LastSyncAt);
        Assert.Equal(SyncTrigger.Scheduled, Assert.Single(await app.Services.GetRequiredService<ISyncEngine>().GetActivityAsync(tenantId)).Trigger);

        // The health check reports it.
        Assert.Equal("Healthy", await browser.GetStringAsync(new Uri("/health", UriKind.Relative)));
        var health = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        var entry = health.Entries["synckit"];
        Assert.Equal("All 1 SyncKit tenants are connected and syncing.", entry.Description);
        Assert.Equal("Getting Started Pty Ltd", ((IReadOnlyDictionary<string, object>)entry.Data[tenantId])["name"]);

        // Offboarding removes it: at Xero, and from SyncKit.
        var offboarded = await GettingStarted.OffboardAsync(app.Services, tenantId, CancellationToken.None);
        Assert.True(offboarded.RemovedAtXero);
        Assert.Empty(await GettingStarted.ListAsync(app.Services, CancellationToken.None));
        Assert.Equal("No SyncKit tenants yet.", (await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["synckit"].Description);
        await app.StopAsync();
    }

    /// <summary>Reports each scheduled run the scheduler finished (its log line), so the test awaits the background loop instead of sleeping.</summary>
    private sealed class ScheduledRuns : ILoggerProvider
    {
        private readonly Channel<RunOutcome> _ended = Channel.CreateUnbounded<RunOutcome>();

        /// <summary>The next scheduled run's outcome (hang protection only: 30 seconds).</summary>
        public async Task<RunOutcome> NextAsync() => await _ended.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        public ILogger CreateLogger(string categoryName) =>
            categoryName.EndsWith("ScheduledSyncService", StringComparison.Ordinal) ? new Logger(_ended.Writer) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        public void Dispose()
        {
        }

        private sealed class Logger(ChannelWriter<RunOutcome> ended) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                // 1007: "Scheduled run ... ended {Outcome}".
                if (eventId.Id == 1007 && state is IReadOnlyList<KeyValuePair<string, object?>> values && values.FirstOrDefault(v => v.Key == "Outcome").Value is RunOutcome outcome)
                {
                    ended.TryWrite(outcome);
                }
            }
        }
    }
}
