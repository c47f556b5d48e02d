using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using SyncKit.Benchmarks.Engine;

namespace SyncKit.Benchmarks;

/// <summary>
/// The engine's own cost per record (mapping, validation, ledger; no network): a first run over N new invoices, and a
/// run over the same N unchanged (the source yields them all again), through the discarding connector and each store.
/// The "Records/CPU-s" columns are N divided by the process CPU time of the best and the median iteration, so a busy
/// machine changes them less than wall time; they are filled in only with the in-process toolchain (<c>--inProcess</c>), where the iterations run in
/// this process. The job is chosen on the command line (docs/performance.md).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(CpuConfig))]
public class RunBenchmarks
{
    private static readonly ConcurrentDictionary<string, List<double>> s_cpuSeconds = new(StringComparer.Ordinal);

    private EngineHost? _host;
    private TimeSpan _cpuStart;

    [Params(10_000)]
    public int Records { get; set; }

    [Params("InMemory", "Sqlite", "PostgreSql")]
    public string Store { get; set; } = "InMemory";

    [IterationSetup(Target = nameof(FirstRun))]
    public void SetupFirst() => Setup(firstRun: false);

    [IterationSetup(Target = nameof(UnchangedRun))]
    public void SetupUnchanged() => Setup(firstRun: true);

    private void Setup(bool firstRun)
    {
        if (Store == "PostgreSql" && EngineHost.PostgresConnectionString is null)
        {
            return;
        }

        _host = new EngineHost(Store, Records);
        if (firstRun)
        {
            _host.Run();
        }

        _cpuStart = CpuClock.Now;
    }

    [IterationCleanup]
    public void Cleanup()
    {
        if (_host is null)
        {
            return;
        }

        var spent = (CpuClock.Now - _cpuStart).TotalSeconds;
        s_cpuSeconds.GetOrAdd(Key(_method, Store, Records), _ => []).Add(spent);
        _host.Dispose();
        _host = null;
    }

    private string _method = string.Empty;

    /// <summary>N new invoices (and 100 contacts): each observed, validated, mapped, claimed, pushed and settled.</summary>
    [Benchmark]
    public void FirstRun()
    {
        _method = nameof(FirstRun);
        _host?.Run();
    }

    /// <summary>The same N again, unchanged: each read, hashed and found synced.</summary>
    [Benchmark]
    public void UnchangedRun()
    {
        _method = nameof(UnchangedRun);
        _host?.Run();
    }

    private static string Key(string method, string store, int records) => $"{method}|{store}|{records}";

    private sealed class CpuConfig : ManualConfig
    {
        public CpuConfig() => AddColumn(new RecordsPerCpuSecondColumn(best: true), new RecordsPerCpuSecondColumn(best: false));
    }

    /// <summary>
    /// Records (N + 100 contacts) per second of process CPU time, over the iterations measured in this process: the best
    /// (least disturbed: on a shared machine, other processes inflate even CPU time) or the median.
    /// </summary>
    private sealed class RecordsPerCpuSecondColumn(bool best) : IColumn
    {
        public string Id => best ? "RecordsPerCpuSecondBest" : "RecordsPerCpuSecondMedian";

        public string ColumnName => best ? "Records/CPU-s best" : "Records/CPU-s median";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => $"Records per second of process CPU time ({(best ? "best" : "median")} iteration; in-process toolchain only)";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var store = (string)benchmarkCase.Parameters["Store"];
            var records = (int)benchmarkCase.Parameters["Records"];
            if (!s_cpuSeconds.TryGetValue(Key(benchmarkCase.Descriptor.WorkloadMethod.Name, store, records), out var seconds) || seconds.Count == 0)
            {
                return "-";
            }

            var ordered = seconds.Order().ToList();
            return ((records + 100) / (best ? ordered[0] : ordered[ordered.Count / 2])).ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
        }

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    }
}
