using Spectre.Console;
using SyncKit.Samples.Console;

// The sample host: a generic host with SyncKit, embedded SQLite, and the demo practice as its "PSA".
using var cts = new CancellationTokenSource();
System.Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cts.Cancel();
};

return await SampleApp.RunAsync(args, AnsiConsole.Console, cts.Token);
