using System.ComponentModel;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Spectre.Console.Cli;
using SyncKit.Ledger;
using SyncKit.Mapping;
using SyncKit.Records;
using SyncKit.Storage;
using SyncKit.Xero;

namespace SyncKit.Samples.Console;

// One class per command: its options (with the help text --help shows), checked before the host starts, then one call
// into SampleCommands, which is where the SyncKit API calls are.

internal sealed class DemoCommand(IAnsiConsole console, SampleEnvironment environment) : SampleCommand<SampleSettings>(console, environment)
{
    protected override bool NeedsSyncedData => false;

    protected override Task<int> ExecuteAsync(SampleHost host, SampleSettings settings, CancellationToken cancellationToken) =>
        host.Commands.DemoAsync(cancellationToken);
}

internal sealed class SyncSettings : SampleSettings
{
    [CommandOption("--kinds <KINDS>")]
    [Description("Comma-separated record kinds, e.g. Invoice,Payment. Default: every kind.")]
    public string? Kinds { get; init; }

    [CommandOption("--record <KIND:ID>")]
    [Description("Sync one record, e.g. Invoice:inv-00001.")]
    public string? Record { get; init; }

    [CommandOption("--dry-run")]
    [Description("Validate and map, list what would fail, send nothing.")]
    public bool DryRun { get; init; }

    public IReadOnlyList<RecordKind> ParsedKinds => RecordKeys.ParseKinds(Kinds);

    public override ValidationResult Validate() => RecordKeys.Check(() => _ = ParsedKinds, () => RecordKeys.CheckRecord(Record));
}

internal sealed class SyncCommand(IAnsiConsole console, SampleEnvironment environment) : SampleCommand<SyncSettings>(console, environment)
{
    protected override bool NeedsSyncedData => false;

    protected override Task<int> ExecuteAsync(SampleHost host, SyncSettings settings, CancellationToken cancellationToken) =>
        host.Commands.SyncAsync(settings.ParsedKinds, settings.Record, settings.DryRun, cancellationToken);
}

internal sealed class StatusCommand(IAnsiConsole console, SampleEnvironment environment) : SampleCommand<SampleSettings>(console, environment)
{
    protected override Task<int> ExecuteAsync(SampleHost host, SampleSettings settings, CancellationToken cancellationToken) =>
        host.Commands.StatusAsync(cancellationToken);
}

internal sealed class ErrorsCommand(IAnsiConsole console, SampleEnvironment environment) : SampleCommand<SampleSettings>(console, environment)
{
    protected override Task<int> ExecuteAsync(SampleHost host, SampleSettings settings, CancellationToken cancellationToken) =>
        host.Commands.ErrorsAsync(cancellationToken);
}

internal sealed class RetrySettings : SampleSettings
{
    [CommandOption("--category <CATEGORY>")]
    [Description("Retry only errors of this category, e.g. LockDates.")]
    public string? Category { get; init; }

    [CommandOption("--record <KIND:ID>")]
    [Description("Retry one record, e.g. Invoice:inv-00001.")]
    public string? Record { get; init; }

    public override ValidationResult Validate() => RecordKeys.Check(() => RecordKeys.CheckRecord(Record));
}

internal sealed class RetryCommand(IAnsiConsole console, SampleEnvironment environment) : SampleCommand<RetrySettings>(console, environment)
{
    protected override Task<int> ExecuteAsync(SampleHost host, RetrySettings settings, CancellationToken cancellationToken) =>
        host.Commands.RetryAsync(settings.Category, settings.Record, cancellationToken);
}

internal sealed class SkipSettings : SampleSettings
{
    [CommandArgument(0, "<KIND:ID>")]
    [Description("The record, e.g. Invoice:inv-00001.")]
    public required string Record { get; init; }

    [CommandOption("--undo")]
    [Description("Send the record again (un-skip it).")]
    public bool Undo { get; init; }

    public override ValidationResult Validate() => RecordKeys.Check(() => RecordKeys.CheckRecord(Record));
}

internal sealed class SkipCommand(IAnsiConsole console, SampleEnvironment environment) : SampleCommand<SkipSettings>(console, environment)
{
    protected override Task<int> ExecuteAsync(SampleHost host, SkipSettings settings, CancellationToken cancellationToken) =>
        host.Commands.SkipAsync(settings.Record, settings.Undo, cancellationToken);
}

internal sealed class MapSettings : SampleSettings
{
    [CommandArgument(0, "<KIND>")]
    [Description("What is mapped: Account, TaxRate, Item, Contact, Client, Job, ...")]
    public required string Kind { get; init; }

    [CommandArgument(1, "<LOCAL>")]
    [Description("Your key, e.g. the GL code GL-UNMAPPED.")]
    public required string Local { get; init; }

    [CommandArgument(2, "<REMOTE>")]
    [Description("Xero's key, e.g. the account code 200.")]
    public required string Remote { get; init; }

    public MappingKind ParsedKind => Enum.TryParse<MappingKind>(Kind, ignoreCase: true, out var kind) && Enum.IsDefined(kind)
        ? kind
        : throw new SampleUsageException($"'{Kind}' is not a mapping kind; kinds are: {string.Join(", ", Enum.GetNames<MappingKind>())}.");

    public override ValidationResult Validate() => RecordKeys.Check(() => _ = ParsedKind);
}

internal sealed class MapCommand(IAnsiConsole console, SampleEnvironment environment) : SampleCommand<MapSettings>(console, environment)
{
    protected override Task<int> ExecuteAsync(SampleHost host, MapSettings settings, CancellationToken cancellationToken) =>
        host.Commands.MapAsync(settings.ParsedKind, settings.Local, settings.Remote, cancellationToken);
}

internal sealed class ActivityCommand(IAnsiConsole console, SampleEnvironment environment) : SampleCommand<SampleSettings>(console, environment)
{
    protected override Task<int> ExecuteAsync(SampleHost host, SampleSettings settings, CancellationToken cancellationToken) =>
        host.Commands.ActivityAsync(cancellationToken);
}

internal sealed class ConnectSettings : SampleSettings
{
    [CommandOption("--code <CODE>")]
    [Description("The code Xero sent to your redirect URI: exchange it and list the organisations connected.")]
    public string? Code { get; init; }
}

/// <summary>Real Xero: prints the consent URL, or exchanges the code and lists the organisations connected.</summary>
internal sealed class ConnectCommand(IAnsiConsole console, SampleEnvironment environment) : SampleCommand<ConnectSettings>(console, environment)
{
    protected override bool NeedsSyncedData => false;

    protected override bool Prepare => false;

    protected override async Task<int> ExecuteAsync(SampleHost host, ConnectSettings settings, CancellationToken cancellationToken)
    {
        var authorization = host.Services.GetRequiredService<XeroAuthorization>();
        if (settings.Code is null)
        {
            Console.MarkupLine("Open this address, consent, and run [bold]connect --code <code>[/] with the code Xero sends to your redirect URI:");
            Console.WriteLine(authorization.GetConsentUrl(state: Guid.NewGuid().ToString("N")).ToString());
            return 0;
        }

        var connections = await authorization.ConnectAsync(RealXeroSampleLedger.ConnectionKey, settings.Code, cancellationToken: cancellationToken);
        var tenants = host.Services.GetRequiredService<TenantStore>();
        foreach (var connection in connections)
        {
            await tenants.SaveAsync(new TenantState { TenantId = connection.TenantId, Name = connection.TenantName, Connection = ConnectionState.Connected }, cancellationToken);
            Console.MarkupLineInterpolated($"[bold]{connection.TenantName ?? "(no name)"}[/] ({connection.TenantType}): {connection.TenantId}");
        }

        Console.MarkupLine("Set [bold]SyncKit__Xero__TenantId[/] to the organisation to sync.");
        return 0;
    }
}

/// <summary>Record keys and kinds as the command line writes them.</summary>
internal static class RecordKeys
{
    public static IReadOnlyList<RecordKind> ParseKinds(string? kinds) => kinds is null
        ? []
        : kinds.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(k => Enum.TryParse<RecordKind>(k, ignoreCase: true, out var kind) && Enum.IsDefined(kind)
                ? kind
                : throw new SampleUsageException($"'{k}' is not a record kind; kinds are: {string.Join(", ", Enum.GetNames<RecordKind>())}."))
            .ToArray();

    public static void CheckRecord(string? record)
    {
        if (record is not null)
        {
            _ = Parse(record);
        }
    }

    public static (RecordKind Kind, string SourceId) Parse(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && colon < text.Length - 1 && Enum.TryParse<RecordKind>(text[..colon], ignoreCase: true, out var kind) && Enum.IsDefined(kind)
            ? (kind, text[(colon + 1)..])
            : throw new SampleUsageException($"'{text}' is not a record: write KIND:ID, for example Invoice:inv-00001.");
    }

    /// <summary>Runs the checks; the first that throws is the validation error Spectre shows (before any work).</summary>
    public static ValidationResult Check(params Action[] checks)
    {
        foreach (var check in checks)
        {
            try
            {
                check();
            }
            catch (SampleUsageException ex)
            {
                return ValidationResult.Error(ex.Message);
            }
        }

        return ValidationResult.Success();
    }
}

internal sealed class PullCommand(IAnsiConsole console, SampleEnvironment environment) : SampleCommand<SampleSettings>(console, environment)
{
    protected override Task<int> ExecuteAsync(SampleHost host, SampleSettings settings, CancellationToken cancellationToken) =>
        host.Commands.PullAsync(cancellationToken);
}

internal sealed class ReconcileSettings : SampleSettings
{
    [CommandOption("--link <PAYMENT:INVOICE>")]
    [Description("Link a listed payment (its Xero id, or the Xero invoice number it paid) to a host invoice, e.g. X-AMB:walkin-b.")]
    public string? Link { get; init; }

    [CommandOption("--dismiss <PAYMENT>")]
    [Description("Take a payment off the list for good (its Xero id, or the Xero invoice number it paid).")]
    public string? Dismiss { get; init; }

    public override ValidationResult Validate() =>
        Link is not null && Dismiss is not null ? ValidationResult.Error("Give --link or --dismiss, not both.")
        : Link is not null && Link.Split(':') is not [{ Length: > 0 }, { Length: > 0 }] ? ValidationResult.Error($"'{Link}' is not PAYMENT:INVOICE, e.g. X-AMB:walkin-b.")
        : ValidationResult.Success();
}

internal sealed class ReconcileCommand(IAnsiConsole console, SampleEnvironment environment) : SampleCommand<ReconcileSettings>(console, environment)
{
    protected override Task<int> ExecuteAsync(SampleHost host, ReconcileSettings settings, CancellationToken cancellationToken) =>
        host.Commands.ReconcileAsync(settings.Link, settings.Dismiss, cancellationToken);
}
