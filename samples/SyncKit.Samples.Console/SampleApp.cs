using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Spectre.Console;
using Spectre.Console.Cli;
using SyncKit.Mapping;
using SyncKit.Storage;
using SyncKit.Testing.Demo;

namespace SyncKit.Samples.Console;

/// <summary>The sample's command line: Spectre.Console.Cli parses and validates it before anything starts.</summary>
internal static class SampleApp
{
    /// <summary>The engine options the sample uses (the demo data's rounding account and tax).</summary>
    public static void ConfigureEngine(SyncOptions options)
    {
        options.RoundingAccountKey = "GL-ROUNDING";
        options.RoundingTaxKey = "TAX-NONE";
    }

    /// <summary>Parses <paramref name="args"/> and runs one command; a command line that does not parse runs nothing.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="console">Where output goes (a test passes one that records it).</param>
    /// <param name="cancellationToken">Ctrl+C.</param>
    /// <param name="temporaryFolder">Where a command without --db keeps its database (default: the system's temp folder).</param>
    public static Task<int> RunAsync(string[] args, IAnsiConsole console, CancellationToken cancellationToken, string? temporaryFolder = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(console);
        services.AddSingleton(new SampleEnvironment { TemporaryFolder = temporaryFolder ?? Path.GetTempPath() });
        var app = new CommandApp(new SampleTypeRegistrar(services));
        app.Configure(config =>
        {
            config.SetApplicationName("synckit-sample");
            config.Settings.Console = console;
            config.Settings.StrictParsing = true;

            // Real Xero or the emulator is chosen by the environment, so say so where everyone looks first.
            config.AddExample("demo");
            config.AddExample("errors", "--db", "synckit.db");
            config.AddExample("map", "Account", "GL-UNMAPPED", "200");

            config.AddCommand<DemoCommand>("demo")
                .WithDescription("The whole story: sync, the error tab, fix, retry, the activity log.");
            config.AddCommand<SyncCommand>("sync")
                .WithDescription("Sync every kind (or some, or one record); --dry-run sends nothing.")
                .WithExample("sync", "--kinds", "Invoice,Payment")
                .WithExample("sync", "--record", "Invoice:inv-00001")
                .WithExample("sync", "--dry-run");
            config.AddCommand<StatusCommand>("status")
                .WithDescription("Connection, pause and record counts per state, per tenant.");
            config.AddCommand<ErrorsCommand>("errors")
                .WithDescription("The error tab: record, reason, Xero's message, what to do.");
            config.AddCommand<RetryCommand>("retry")
                .WithDescription("Send failed records again (all, one category, or one record).")
                .WithExample("retry", "--category", "LockDates")
                .WithExample("retry", "--record", "Invoice:inv-00001");
            config.AddCommand<SkipCommand>("skip")
                .WithDescription("Do not send a record (--undo: send it again).")
                .WithExample("skip", "Invoice:inv-00001");
            config.AddCommand<MapCommand>("map")
                .WithDescription("Add a mapping; the records waiting for it go back to Pending.")
                .WithExample("map", "Account", "GL-UNMAPPED", "200");
            config.AddCommand<ActivityCommand>("activity")
                .WithDescription("The activity log: every run, who started it and what came of it.");
            config.AddCommand<PullCommand>("pull")
                .WithDescription("Pull payments made in Xero into the host: matched ones imported once, the rest listed.");
            config.AddCommand<ReconcileCommand>("reconcile")
                .WithDescription("The reconciliation list; link a payment to a host invoice, or dismiss it.")
                .WithExample("reconcile", "--link", "X-AMB:walkin-b")
                .WithExample("reconcile", "--dismiss", "X-NONE");
            config.AddCommand<ConnectCommand>("connect")
                .WithDescription("Real Xero: print the consent address; with --code, connect.");
        });

        // "help" is what people type first; treat it as --help rather than as an unknown command.
        if (args is ["help", .. var rest])
        {
            args = [.. rest, "--help"];
        }

        return app.RunAsync(args, cancellationToken);
    }
}

/// <summary>Options every command takes.</summary>
internal class SampleSettings : CommandSettings
{
    [CommandOption("--db <PATH>")]
    [System.ComponentModel.Description("SQLite file for SyncKit's ledger. Default: a temporary file, deleted when the command ends. " +
        "Real Xero when SyncKit__Xero__ClientId (and __ClientSecret, __TokenEncryptionKey, __RedirectUri, __TenantId) are set; otherwise the Xero emulator, in this process.")]
    public string? Database { get; init; }
}

/// <summary>
/// One command's host: SyncKit over the emulator (or real Xero), the demo practice as the "PSA", mappings set. Disposing it
/// stops the host and deletes the temporary database it made.
/// </summary>
internal sealed class SampleHost : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly SampleLedger _ledger;
    private readonly string? _temporaryDatabase;

    private SampleHost(IHost host, SampleLedger ledger, string? temporaryDatabase)
    {
        _host = host;
        _ledger = ledger;
        _temporaryDatabase = temporaryDatabase;
    }

    public IServiceProvider Services => _host.Services;

    public SampleCommands Commands => _host.Services.GetRequiredService<SampleCommands>();

    public static async Task<SampleHost> StartAsync(SampleSettings settings, SampleEnvironment environment, IAnsiConsole console, bool prepare, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddFilter("SyncKit", LogLevel.Warning);

        SampleLedger ledger = RealXeroSampleLedger.IsConfigured(builder.Configuration)
            ? new RealXeroSampleLedger(builder.Configuration.GetSection("SyncKit:Xero"), console)
            : new EmulatorSampleLedger();
        var temporary = settings.Database is null ? Path.Combine(environment.TemporaryFolder, $"synckit-sample-{Guid.NewGuid():N}.db") : null;
        IHost? host = null;
        try
        {
            await ledger.InitializeAsync(cancellationToken);
            var practice = DemoPractice.Generate(new DateOnly(2026, 11, 1), customers: 40, invoices: 150);
            var psa = new DemoPsa(practice, kind => ledger.Tenants.FirstOrDefault(t => t.Kinds.Contains(kind))?.Id);
            var books = new SampleBooks();
            psa.Sources.AddTo(ledger.Register(builder.Services, settings.Database ?? temporary!)).AddTarget(books.Target);
            builder.Services.AddSingleton(books);

            builder.Services.AddSingleton(psa);
            builder.Services.AddSingleton(console);
            builder.Services.AddSingleton(ledger);
            builder.Services.AddSingleton<SampleCommands>();

            host = builder.Build();
            await host.StartAsync(cancellationToken);
            var session = new SampleHost(host, ledger, temporary);
            if (prepare)
            {
                var mappings = host.Services.GetRequiredService<MappingStore>();
                foreach (var tenant in ledger.Tenants)
                {
                    foreach (var (kind, local, remote) in practice.Mappings)
                    {
                        await mappings.SetAsync(tenant.Id, kind, local, remote, cancellationToken);
                    }
                }

                await ledger.PrepareAsync(host.Services, practice, cancellationToken);
            }

            return session;
        }
        catch
        {
            await StopAsync(host, ledger, temporary);
            throw;
        }
    }

    /// <summary>The in-process emulator starts empty every run: sync the demo data first so there is something to show.</summary>
    public async Task SyncDemoDataFirstAsync(IAnsiConsole console, CancellationToken cancellationToken)
    {
        if (_ledger is not EmulatorSampleLedger)
        {
            return;
        }

        console.MarkupLine("[grey]The in-process emulator starts empty each run: syncing the demo data first.[/]");
        var engine = _host.Services.GetRequiredService<ISyncEngine>();
        foreach (var tenant in _ledger.Tenants)
        {
            await engine.SyncAsync(new SyncRequest { TenantId = tenant.Id, Kinds = tenant.Kinds, RequestedBy = "sample" }, cancellationToken);
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync(_host, _ledger, _temporaryDatabase));

    private static async Task StopAsync(IHost? host, SampleLedger ledger, string? temporaryDatabase)
    {
        if (host is not null)
        {
            await host.StopAsync(CancellationToken.None);
            host.Dispose();
        }

        await ledger.DisposeAsync();
        if (temporaryDatabase is not null)
        {
            // Pooled connections keep the file open; release them before deleting it and its WAL files.
            SqliteConnection.ClearAllPools();
            foreach (var path in new[] { temporaryDatabase, temporaryDatabase + "-wal", temporaryDatabase + "-shm" })
            {
                File.Delete(path);
            }
        }
    }
}

/// <summary>A command that needs a started sample host; usage and configuration errors end it with a message, not a stack trace.</summary>
internal abstract class SampleCommand<TSettings> : AsyncCommand<TSettings>
    where TSettings : SampleSettings
{
    private readonly SampleEnvironment _environment;

    protected SampleCommand(IAnsiConsole console, SampleEnvironment environment)
    {
        Console = console;
        _environment = environment;
    }

    protected IAnsiConsole Console { get; }

    /// <summary>Whether the command reads what the demo data left in the ledger (and so syncs it first on a fresh emulator).</summary>
    protected virtual bool NeedsSyncedData => true;

    /// <summary>Whether the demo data's mappings and the ledger's set-up (lock dates, jobs) are applied.</summary>
    protected virtual bool Prepare => true;

    public sealed override async Task<int> ExecuteAsync(CommandContext context, TSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            await using var host = await SampleHost.StartAsync(settings, _environment, Console, Prepare, cancellationToken);
            if (NeedsSyncedData)
            {
                await host.SyncDemoDataFirstAsync(Console, cancellationToken);
            }

            return await ExecuteAsync(host, settings, cancellationToken);
        }
        catch (SampleUsageException ex)
        {
            Console.MarkupLineInterpolated($"[red]{ex.Message}[/]");
            return 2;
        }
        catch (OptionsValidationException ex)
        {
            Console.MarkupLineInterpolated($"[red]Configuration is not valid:[/] {ex.Message}");
            return 3;
        }
    }

    protected abstract Task<int> ExecuteAsync(SampleHost host, TSettings settings, CancellationToken cancellationToken);
}

/// <summary>What the sample takes from its surroundings rather than its command line.</summary>
internal sealed record SampleEnvironment
{
    /// <summary>Where a command without --db keeps its database, deleted when the command ends.</summary>
    public required string TemporaryFolder { get; init; }
}

/// <summary>The command line was wrong; the message says how to write it.</summary>
internal sealed class SampleUsageException(string message) : Exception(message);

/// <summary>Lets Spectre.Console.Cli create commands from a service collection (the commands take the console).</summary>
internal sealed class SampleTypeRegistrar(IServiceCollection services) : ITypeRegistrar
{
    public void Register(Type service, Type implementation) => services.AddSingleton(service, implementation);

    public void RegisterInstance(Type service, object implementation) => services.AddSingleton(service, implementation);

    public void RegisterLazy(Type service, Func<object> factory) => services.AddSingleton(service, _ => factory());

    public ITypeResolver Build() => new Resolver(services.BuildServiceProvider());

    private sealed class Resolver(ServiceProvider provider) : ITypeResolver, IDisposable
    {
        public object? Resolve(Type? type) => type is null ? null : provider.GetService(type);

        public void Dispose() => provider.Dispose();
    }
}
