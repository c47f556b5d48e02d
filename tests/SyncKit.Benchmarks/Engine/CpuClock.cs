using System.Diagnostics;

namespace SyncKit.Benchmarks.Engine;

/// <summary>
/// The process's CPU time (every thread: the engine, the GC, SQLite), so a figure does not depend on what else the shared
/// machine runs. PostgreSQL's own CPU is in its server process and not counted.
/// </summary>
internal static class CpuClock
{
    public static TimeSpan Now
    {
        get
        {
            using var process = Process.GetCurrentProcess();
            return process.TotalProcessorTime;
        }
    }
}
