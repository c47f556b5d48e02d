using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using SyncKit.Mapping;
using SyncKit.Records;
using SyncKit.Storage;
using SyncKit.Testing.Demo;
using SyncKit.Xero;

namespace SyncKit.Samples.Console;

/// <summary>Builds the sample host and runs one command.</summary>
internal static class SampleApp
{
    public const string Usage = """
        Usage: synckit-sample <command> [options]
          demo                                   the whole story: sync, errors, fix, retry, activity
          sync [--kinds Invoice,Payment] [--record KIND:ID] [--dry-run]
          status                                 connection, pause, counts per state
          errors                                 the error tab: record, reason, Xero's message, what to do
          retry [--category LockDates] [--record KIND:ID]
          skip KIND:ID [--undo]                  do not send a record (or send it again)
          map KIND LOCAL REMOTE                  add a mapping, e.g. map Account GL-UNMAPPED 200
          activity                               the activity log
          connect [--code CODE]                  real Xero: print the consent URL; with --code, connect
        Options: --db PATH (SQLite file; default a fresh file per run)
        Real Xero when SyncKit__Xero__ClientId (and __ClientSecret, __TokenEncryptionKey, __RedirectUri,
        __TenantId) are set; otherwise the Xero emulator, started in this process.
        """;

    /// <summary>The engine options the sample uses (the demo data's rounding account and tax).</summary>
    public static void ConfigureEngine(SyncOptions options)
    {
        options.RoundingAccountKey = "GL-ROUNDING";
        options.RoundingTaxKey = "TAX-NONE";
    }

    public static async Task<int> RunAsync(string[] args, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var arguments = SampleArguments.Parse(args);
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddFilter("SyncKit", LogLevel.Warning);

        await using SampleLedger ledger = RealXeroSampleLedger.IsConfigured(builder.Configuration)
            ? new RealXeroSampleLedger(builder.Configuration.GetSection("SyncKit:Xero"), console)
            : new EmulatorSampleLedger();
        await ledger.InitializeAsync(cancellationToken);

        var practice = DemoPractice.Generate(new DateOnly(2026, 11, 1), customers: 40, invoices: 150);
        var psa = new DemoPsa(practice, kind => ledger.Tenants.FirstOrDefault(t => t.Kinds.Contains(kind))?.Id);
        var databasePath = arguments.Option("db") ?? Path.Combine(Path.GetTempPath(), $"synckit-sample-{Guid.NewGuid():N}.db");

        psa.Sources.AddTo(ledger.Register(builder.Services, databasePath));

        builder.Services.AddSingleton(psa);
        builder.Services.AddSingleton(console);
        builder.Services.AddSingleton(ledger);
        builder.Services.AddSingleton<SampleCommands>();

        using var host = builder.Build();
        await host.StartAsync(cancellationToken);
        try
        {
            if (arguments.Command == "connect")
            {
                return await ConnectAsync(host.Services, arguments.Option("code"), console, cancellationToken);
            }

            var mappings = host.Services.GetRequiredService<MappingStore>();
            foreach (var tenant in ledger.Tenants)
            {
                foreach (var (kind, local, remote) in practice.Mappings)
                {
                    await mappings.SetAsync(tenant.Id, kind, local, remote, cancellationToken);
                }
            }

            await ledger.PrepareAsync(host.Services, practice, cancellationToken);
            if (ledger is EmulatorSampleLedger && arguments.Command is not ("demo" or "sync"))
            {
                // The in-process emulator starts empty every run: sync the demo data first so there is something to show.
                var engine = host.Services.GetRequiredService<ISyncEngine>();
                foreach (var tenant in ledger.Tenants)
                {
                    await engine.SyncAsync(new SyncRequest { TenantId = tenant.Id, Kinds = tenant.Kinds, RequestedBy = "sample" }, cancellationToken);
                }

                console.MarkupLine("[grey]The in-process emulator starts empty each run, so the demo data was synced first.[/]");
            }

            var commands = host.Services.GetRequiredService<SampleCommands>();
            return arguments.Command switch
            {
                "demo" => await commands.DemoAsync(cancellationToken),
                "sync" => await commands.SyncAsync(arguments.Kinds(), arguments.Option("record"), arguments.Flag("dry-run"), cancellationToken),
                "status" => await commands.StatusAsync(cancellationToken),
                "errors" => await commands.ErrorsAsync(cancellationToken),
                "retry" => await commands.RetryAsync(arguments.Option("category"), arguments.Option("record"), cancellationToken),
                "skip" => await commands.SkipAsync(arguments.Positional(0, "KIND:ID"), arguments.Flag("undo"), cancellationToken),
                "map" => await commands.MapAsync(
                    Enum.TryParse<MappingKind>(arguments.Positional(0, "KIND"), ignoreCase: true, out var kind) ? kind : throw new SampleUsageException($"Mapping kinds are: {string.Join(", ", Enum.GetNames<MappingKind>())}."),
                    arguments.Positional(1, "LOCAL"),
                    arguments.Positional(2, "REMOTE"),
                    cancellationToken),
                "activity" => await commands.ActivityAsync(cancellationToken),
                _ => throw new SampleUsageException($"Unknown command '{arguments.Command}'."),
            };
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>Real Xero: prints the consent URL, or exchanges the code and lists the organisations connected.</summary>
    private static async Task<int> ConnectAsync(IServiceProvider services, string? code, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var authorization = services.GetRequiredService<XeroAuthorization>();
        if (code is null)
        {
            console.MarkupLine("Open this address, consent, and run [bold]connect --code <code>[/] with the code Xero sends to your redirect URI:");
            console.WriteLine(authorization.GetConsentUrl(state: Guid.NewGuid().ToString("N")).ToString());
            return 0;
        }

        var connections = await authorization.ConnectAsync(RealXeroSampleLedger.ConnectionKey, code, cancellationToken: cancellationToken);
        var tenants = services.GetRequiredService<TenantStore>();
        var table = new Table().AddColumns("Tenant id", "Name", "Type");
        foreach (var connection in connections)
        {
            await tenants.SaveAsync(new TenantState { TenantId = connection.TenantId, Name = connection.TenantName, Connection = ConnectionState.Connected }, cancellationToken);
            table.AddRow(connection.TenantId, Markup.Escape(connection.TenantName ?? string.Empty), connection.TenantType ?? string.Empty);
        }

        console.Write(table);
        console.MarkupLine("Set [bold]SyncKit__Xero__TenantId[/] to the organisation to sync.");
        return 0;
    }
}

/// <summary>The command line: a command, positional words, --options and --flags.</summary>
internal sealed class SampleArguments
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _positional = [];

    public string Command { get; private init; } = "demo";

    public static SampleArguments Parse(IReadOnlyList<string> args)
    {
        var hasCommand = args.Count > 0 && !args[0].StartsWith("--", StringComparison.Ordinal);
        var result = new SampleArguments { Command = hasCommand ? args[0].ToLowerInvariant() : "demo" };
        for (var i = hasCommand ? 1 : 0; i < args.Count; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                var name = args[i][2..];
                var hasValue = i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
                result._options[name] = hasValue ? args[++i] : null;
            }
            else
            {
                result._positional.Add(args[i]);
            }
        }

        return result;
    }

    public string? Option(string name) => _options.TryGetValue(name, out var value) ? value : null;

    public bool Flag(string name) => _options.ContainsKey(name);

    public string Positional(int index, string name) =>
        index < _positional.Count ? _positional[index] : throw new SampleUsageException($"'{Command}' needs {name}.");

    public IReadOnlyList<RecordKind> Kinds() => Option("kinds") is { } kinds
        ? kinds.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(k => Enum.TryParse<RecordKind>(k, ignoreCase: true, out var kind) ? kind : throw new SampleUsageException($"'{k}' is not a record kind; kinds are: {string.Join(", ", Enum.GetNames<RecordKind>())}."))
            .ToArray()
        : [];
}
