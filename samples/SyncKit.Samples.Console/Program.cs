using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using SyncKit.Samples.Console;

// The sample host: a generic host with SyncKit, embedded SQLite, and the demo practice as its "PSA".
var console = AnsiConsole.Console;
using var cts = new CancellationTokenSource();
System.Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cts.Cancel();
};

try
{
    return await SampleApp.RunAsync(args, console, cts.Token);
}
catch (SampleUsageException ex)
{
    console.MarkupLineInterpolated($"[red]{ex.Message}[/]");
    console.WriteLine(SampleApp.Usage);
    return 2;
}
catch (Microsoft.Extensions.Options.OptionsValidationException ex)
{
    console.MarkupLineInterpolated($"[red]Configuration is not valid:[/] {ex.Message}");
    return 3;
}
