using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/SyncKit.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(SyncKit.Benchmarks.RunBenchmarks).Assembly).Run(args);
