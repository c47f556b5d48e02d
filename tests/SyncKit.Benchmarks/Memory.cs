using System.Diagnostics;
using System.Globalization;
using SyncKit.Benchmarks.Engine;

namespace SyncKit.Benchmarks;

/// <summary>
/// Peak memory of a streamed run (the source made on the fly, the discarding connector, a store) at each size: the
/// process's peak working set and the GC heap's peak, beside the bound. Flat means a run holds a chunk, not the source.
/// </summary>
internal static class Memory
{
    private const long BoundBytes = 256L * 1024 * 1024;

    public static int Run(string[] args)
    {
        int[] sizes = [100_000, 1_000_000];
        var store = "Sqlite";
        for (var i = 0; i < args.Length - 1; i += 2)
        {
            switch (args[i])
            {
                case "--records": sizes = [.. args[i + 1].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))]; break;
                case "--store": store = args[i + 1]; break;
                default: Console.Error.WriteLine($"Unknown option {args[i]}"); return 2;
            }
        }

        Console.WriteLine($"memory: one first run per size on {store} (streamed source, discarding connector); bound {BoundBytes >> 20} MB peak working set, flat across sizes");
        var peaks = new List<long>();
        foreach (var size in sizes)
        {
            using var host = new EngineHost(store, size);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            ResetPeakWorkingSet();

            long peakHeap = 0;
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
                    try
                    {
                        await Task.Delay(20, sampling.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }
            });

            var cpu = CpuClock.Now;
            var wall = Stopwatch.StartNew();
            var run = host.Run();
            var spentCpu = (CpuClock.Now - cpu).TotalSeconds;
            sampling.Cancel();
            sampler.GetAwaiter().GetResult();
            var peak = PeakWorkingSet();
            peaks.Add(peak);
            Console.WriteLine(
                $"{size,10:N0} invoices: sent {run.Counts.Sent:N0}, {run.Outcome}; peak working set {Mb(peak)} (bound {Mb(BoundBytes)}) {(peak <= BoundBytes ? "ok" : "OVER")}; " +
                $"peak GC heap {Mb(peakHeap)}; {spentCpu:F1} s CPU ({(size + 100) / spentCpu:N0} records/CPU-s), {wall.Elapsed.TotalSeconds:F1} s wall");
        }

        if (peaks.Count > 1)
        {
            Console.WriteLine($"growth from {sizes[0]:N0} to {sizes[^1]:N0}: peak working set ×{(double)peaks[^1] / peaks[0]:F2}");
        }

        return 0;
    }

    private static string Mb(long bytes) => $"{bytes / (1024.0 * 1024.0):F0} MB";

    /// <summary>Linux keeps the peak resident set (VmHWM) for the process's life; writing 5 to clear_refs starts it again.</summary>
    private static void ResetPeakWorkingSet()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.WriteLine("(could not reset the peak working set: sizes after the first show the process's peak so far)");
        }
    }

    private static long PeakWorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }
}
