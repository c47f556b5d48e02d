using System.Diagnostics;
using System.Globalization;
using SyncKit.Benchmarks.Engine;

namespace SyncKit.Benchmarks;

/// <summary>
/// The engine's cost per record in CPU time (mapping, validation, the ledger; no network): a first run over N new
/// invoices and an unchanged run over the same N (the source yields them all again), per store, beside the bound.
/// </summary>
internal static class Cost
{
    private const double Bound = 20_000;

    public static int Run(string[] args)
    {
        var records = 10_000;
        var repeat = 3;
        string[] stores = ["InMemory", "Sqlite", "PostgreSql"];
        for (var i = 0; i < args.Length - 1; i += 2)
        {
            switch (args[i])
            {
                case "--records": records = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--repeat": repeat = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--stores": stores = args[i + 1].Split(','); break;
                default: Console.Error.WriteLine($"Unknown option {args[i]}"); return 2;
            }
        }

        Console.WriteLine($"engine cost: {records:N0} invoices + 100 contacts per run, best and median of {repeat}, records per CPU-second (process CPU time; bound {Bound:N0})");
        foreach (var store in stores)
        {
            if (store == "PostgreSql" && EngineHost.PostgresConnectionString is null)
            {
                Console.WriteLine($"{store,-10} skipped (SYNCKIT_TEST_POSTGRES is not set)");
                continue;
            }

            // Warm-up: JIT and the store's first connection out of the figures.
            using (var warm = new EngineHost(store, 1_000))
            {
                warm.Run();
                warm.Run();
            }

            var first = new List<(double Cpu, double Wall, long Allocated)>();
            var unchanged = new List<(double Cpu, double Wall, long Allocated)>();
            for (var r = 0; r < repeat; r++)
            {
                using var host = new EngineHost(store, records);
                first.Add(Measure(host, expectSent: records + 100));
                unchanged.Add(Measure(host, expectSent: 0));
            }

            Print(store, "first run", records + 100, first);
            Print(store, "unchanged", records + 100, unchanged);
        }

        return 0;
    }

    private static (double Cpu, double Wall, long Allocated) Measure(EngineHost host, int expectSent)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = CpuClock.Now;
        var wall = Stopwatch.StartNew();
        var run = host.Run();
        var spent = (CpuClock.Now - cpu).TotalSeconds;
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        if (run.Counts.Sent != expectSent || run.Outcome != Runs.RunOutcome.Completed)
        {
            throw new InvalidOperationException($"The run sent {run.Counts.Sent} (expected {expectSent}), outcome {run.Outcome}: {run.Message}");
        }

        return (spent, wall.Elapsed.TotalSeconds, allocated);
    }

    private static void Print(string store, string what, int records, List<(double Cpu, double Wall, long Allocated)> runs)
    {
        var ordered = runs.OrderBy(r => r.Cpu).ToList();
        var best = ordered[0];
        var median = ordered[ordered.Count / 2];
        var rate = records / best.Cpu;
        Console.WriteLine(
            $"{store,-10} {what,-10} best {best.Cpu * 1000,7:F0} ms CPU = {rate,8:N0} records/CPU-s, median {records / median.Cpu,8:N0} (wall {median.Wall * 1000:F0} ms, {median.Allocated / records / 1024.0:F1} KB allocated a record)  bound {Bound:N0}  {(rate >= Bound ? "ok" : "BELOW")}");
    }
}
