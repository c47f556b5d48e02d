using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using SyncKit.Mapping;
using SyncKit.Records;
using SyncKit.Testing.Demo;

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
        Options: --db PATH (SQLite file; default a fresh file per run)
        """;

    public static async Task<int> RunAsync(string[] args, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var arguments = SampleArguments.Parse(args);
        await using var ledger = new InMemorySampleLedger();
        var practice = DemoPractice.Generate(new DateOnly(2026, 11, 1), customers: 40, invoices: 150);
        var psa = new DemoPsa(practice, ledger.TenantId);
        var databasePath = arguments.Option("db") ?? Path.Combine(Path.GetTempPath(), $"synckit-sample-{Guid.NewGuid():N}.db");

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddFilter("SyncKit", LogLevel.Warning);
        var synckit = builder.Services.AddSyncKit(o =>
        {
            o.RoundingAccountKey = "GL-ROUNDING";
            o.RoundingTaxKey = "TAX-NONE";
        }).UseSqliteStorage(databasePath);
        ledger.Register(synckit);
        foreach (var source in psa.Sources)
        {
            synckit.AddSource(source);
        }

        builder.Services.AddSingleton(psa);
        builder.Services.AddSingleton(console);
        builder.Services.AddSingleton<SampleLedger>(ledger);
        builder.Services.AddSingleton<SampleCommands>();

        using var host = builder.Build();
        await host.StartAsync(cancellationToken);
        try
        {
            var engine = host.Services.GetRequiredService<ISyncEngine>();
            var mappings = host.Services.GetRequiredService<SyncKit.Storage.MappingStore>();
            foreach (var (kind, local, remote) in practice.Mappings)
            {
                await mappings.SetAsync(ledger.TenantId, kind, local, remote, cancellationToken);
            }

            await ledger.PrepareAsync(practice, cancellationToken);
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
}

/// <summary>The command line: a command, positional words, --options and --flags.</summary>
internal sealed class SampleArguments
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _positional = [];

    public string Command { get; private init; } = "demo";

    public static SampleArguments Parse(IReadOnlyList<string> args)
    {
        var result = new SampleArguments { Command = args.Count > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0].ToLowerInvariant() : "demo" };
        for (var i = result.Command == "demo" && (args.Count == 0 || args[0].StartsWith("--", StringComparison.Ordinal)) ? 0 : 1; i < args.Count; i++)
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
