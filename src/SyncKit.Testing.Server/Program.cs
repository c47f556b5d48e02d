// The Xero emulator as a process. Usage:
//   dotnet run --project src/SyncKit.Testing.Server -- --urls http://127.0.0.1:5099 [--seed 42]
// Binds to loopback only; drive it (tenants, clock, faults) through {base}/_emulator/ (see docs/emulator.md).
#pragma warning disable RS0030 // A server program reports its address on the console; libraries never do.
using SyncKit.Testing.Emulator;

var url = new Uri("http://127.0.0.1:5099");
var seed = 20260101;
for (var i = 0; i < args.Length; i++)
{
    if (args[i].StartsWith("--urls=", StringComparison.Ordinal) || args[i].StartsWith("--seed=", StringComparison.Ordinal))
    {
        var parts = args[i].Split('=', 2);
        args[i] = parts[0];
        args = [.. args[..(i + 1)], parts[1], .. args[(i + 1)..]];
    }

    if (i + 1 >= args.Length)
    {
        break;
    }

    if (args[i] is "--urls" or "--url")
    {
        url = new Uri(args[i + 1].Split(';')[0]);
    }
    else if (args[i] == "--seed")
    {
        seed = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture);
    }
}

var emulator = XeroEmulator.Create(new XeroEmulatorOptions { Seed = seed });
await using var disposeEmulator = emulator.ConfigureAwait(false);
Uri address;
try
{
    address = await emulator.StartServerAsync(url).ConfigureAwait(false);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

Console.WriteLine("Xero emulator listening on " + address);
Console.WriteLine("Control API: " + new Uri(address, "_emulator/") + " (POST tenants, PATCH tenants/{id}, POST clock, POST/DELETE faults, GET stats)");

using var stop = new CancellationTokenSource();
using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, Stop);
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, Stop);
try
{
    await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, stop.Token).ConfigureAwait(false);
}
catch (OperationCanceledException)
{
    // Ctrl+C or process exit: dispose the emulator and leave.
}

return 0;

void Stop(System.Runtime.InteropServices.PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}
