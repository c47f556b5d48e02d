using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using SyncKit.Connectors;
using SyncKit.Ledger;
using SyncKit.Records;
using SyncKit.Sources;
using SyncKit.Storage;
using SyncKit.Testing.Connectors;
using SyncKit.Testing.Sources;

namespace SyncKit.Hosting.Tests;

/// <summary>
/// A host with the engine over in-memory storage and the in-memory ledger, a contacts source, the scheduler and a
/// fake clock. The engine is wrapped by a <see cref="RecordingEngine"/> so tests await the scheduler's runs.
/// </summary>
internal sealed class SchedulerHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    /// <summary>The engine's lease in these tests: longer than any test moves the clock (heartbeats every ten days).</summary>
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromDays(30);

    private bool _started;

    public SchedulerHarness(
        Action<ScheduledSyncOptions>? schedule = null,
        LedgerConnector? connector = null,
        SyncSource? source = null,
        InMemorySource<ContactRecord>? contacts = null,
        Action<SyncOptions>? engine = null,
        Action<ISyncKitBuilder>? build = null)
    {
        Contacts = contacts ?? new InMemorySource<ContactRecord>(RecordKind.Contact);
        Host = new HostBuilder()
            .UseDefaultServiceProvider(o =>
            {
                o.ValidateScopes = true;
                o.ValidateOnBuild = true;
            })
            .ConfigureServices(services =>
            {
                services.AddSingleton<TimeProvider>(Time);
                services.AddLogging(b => b.SetMinimumLevel(LogLevel.Debug)).AddFakeLogging();
                services.AddSingleton<ILoggerProvider>(Signals);
                var builder = services.AddSyncKit(o =>
                    {
                        // Tests jump hours at a time; a real run's lease is renewed every ten seconds of real time.
                        o.LeaseDuration = LeaseDuration;
                        engine?.Invoke(o);
                    })
                    .UseInMemoryStorage()
                    .UseConnector(connector ?? Connector)
                    .AddSource(source ?? Contacts);
                if (schedule is not null)
                {
                    builder.AddScheduledSync(o =>
                    {
                        // Like the engine's lease: a claim on the rota outlives any jump a test makes (renewed every 15 days).
                        o.ClaimDuration = TimeSpan.FromDays(30);
                        schedule(o);
                    });
                }

                build?.Invoke(builder);
                RecordEngineCalls(services);
            })
            .Build();
        Engine = Host.Services.GetRequiredService<RecordingEngine>();
    }

    /// <summary>The host's clock. Tests move it with <see cref="AdvanceAsync"/>, never directly.</summary>
    public SchedulerClock Time { get; } = new(Start) { UnwatchedFrom = TimeSpan.FromDays(7) };

    public InMemoryLedgerConnector Connector { get; } = new();

    /// <summary>The host's contacts, per tenant (behind <c>source</c> when a test wraps them).</summary>
    public InMemorySource<ContactRecord> Contacts { get; }

    public IHost Host { get; }

    public RecordingEngine Engine { get; }

    public SchedulerSignals Signals { get; } = new();

    public FakeLogCollector Logs => Host.Services.GetFakeLogCollector();

    public TenantStore Tenants => Host.Services.GetRequiredService<TenantStore>();

    public LedgerStore LedgerStore => Host.Services.GetRequiredService<LedgerStore>();

    /// <summary>
    /// Moves the clock on by <paramref name="by"/>. While the scheduler is running, first waits until it is waiting on
    /// the clock: it reads the time and then starts a relative wait, so a clock moved in between would push its timer
    /// past the instant the test moved to.
    /// </summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        if (_started && Host.Services.GetServices<IHostedService>().Any(s => s is ScheduledSyncService))
        {
            await Time.WhenWaitedOnAsync();
        }

        Time.Advance(by);
    }

    /// <summary>Moves the clock on to <paramref name="instant"/> (see <see cref="AdvanceAsync"/>).</summary>
    public Task AdvanceToAsync(DateTimeOffset instant) => AdvanceAsync(instant - Time.GetUtcNow());

    /// <summary>Waits for the scheduler to finish its next run and returns what the engine saw.</summary>
    public async Task<ObservedRun> NextRunAsync()
    {
        var (_, tenantId) = await Signals.NextAsync();
        return Engine.Take(tenantId);
    }

    /// <summary>Waits for the scheduler to finish its next <paramref name="count"/> runs.</summary>
    public async Task<List<ObservedRun>> NextRunsAsync(int count)
    {
        var runs = new List<ObservedRun>();
        for (var i = 0; i < count; i++)
        {
            runs.Add(await NextRunAsync());
        }

        return runs;
    }

    /// <summary>Registers a tenant with a few contacts to sync.</summary>
    public async Task AddTenantAsync(string tenantId, ConnectionState connection = ConnectionState.Connected, DateTimeOffset? pausedUntil = null, int contacts = 3, string? name = null)
    {
        await Tenants.SaveAsync(new TenantState
        {
            TenantId = tenantId,
            Name = name,
            Connection = connection,
            ConnectionMessage = connection == ConnectionState.Disconnected ? "invalid_grant" : null,
            PausedUntil = pausedUntil,
            PauseReason = pausedUntil is null ? null : "Daily API limit reached",
            UpdatedAt = Time.GetUtcNow(),
        });
        for (var i = 1; i <= contacts; i++)
        {
            Contacts.Put(tenantId, new ContactRecord { SourceId = $"c{i:D3}", Name = $"{tenantId} customer {i}" });
        }
    }

    public async Task StartAsync()
    {
        _started = true;
        await Host.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async Task StopAsync()
    {
        _started = false;
        await Host.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async Task<List<LedgerEntry>> EntriesAsync(string tenantId, params LedgerState[] states)
    {
        var all = new List<LedgerEntry>();
        string? token = null;
        do
        {
            var page = await LedgerStore.QueryAsync(new LedgerQuery { TenantId = tenantId, States = states, PageSize = 1000, ContinuationToken = token });
            all.AddRange(page.Entries);
            token = page.ContinuationToken;
        }
        while (token is not null);
        return all;
    }

    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            await StopAsync();
        }

        Host.Dispose();
    }

    private static void RecordEngineCalls(IServiceCollection services)
    {
        var original = services.Last(d => d.ServiceType == typeof(ISyncEngine));
        services.Remove(original);
        services.AddSingleton(sp => new RecordingEngine((ISyncEngine)original.ImplementationFactory!(sp), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ISyncEngine>(sp => sp.GetRequiredService<RecordingEngine>());
    }
}
