using BenchmarkDotNet.Running;

// Engine cost per record (BenchmarkDotNet):   dotnet run -c Release --project tests/SyncKit.Benchmarks -- --filter '*RunBenchmarks*' --inProcess --launchCount 1 --warmupCount 1 --iterationCount 5
// Throughput against Xero's limits (virtual time): dotnet run -c Release --project tests/SyncKit.Benchmarks -- throughput
if (args.Length > 0 && args[0] == "throughput")
{
    return await SyncKit.Benchmarks.Throughput.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(SyncKit.Benchmarks.RunBenchmarks).Assembly).Run(args);
return 0;
