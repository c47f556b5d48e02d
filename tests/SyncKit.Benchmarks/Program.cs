using BenchmarkDotNet.Running;

// Engine cost per record (BenchmarkDotNet):   dotnet run -c Release --project tests/SyncKit.Benchmarks -- --filter '*RunBenchmarks*' --inProcess --launchCount 1 --warmupCount 1 --iterationCount 5
// Throughput against Xero's limits (virtual time): dotnet run -c Release --project tests/SyncKit.Benchmarks -- throughput
// Engine cost per record in CPU time:           dotnet run -c Release --project tests/SyncKit.Benchmarks -- cost
// Peak memory of a streamed run:                dotnet run -c Release --project tests/SyncKit.Benchmarks -- memory --records 100000,1000000
switch (args.FirstOrDefault())
{
    case "throughput": return await SyncKit.Benchmarks.Throughput.RunAsync(args[1..]);
    case "cost": return SyncKit.Benchmarks.Cost.Run(args[1..]);
    case "memory": return SyncKit.Benchmarks.Memory.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(SyncKit.Benchmarks.RunBenchmarks).Assembly).Run(args);
return 0;
