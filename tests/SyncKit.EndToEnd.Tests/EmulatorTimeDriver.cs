using SyncKit.Testing.Emulator;

namespace SyncKit.EndToEnd.Tests;

/// <summary>
/// Moves virtual time for work that talks to the emulator: its handler counts the calls being served and the token
/// requests, and <see cref="DriveAsync{T}"/> moves the clock to the next armed timer only while nothing is being served.
/// </summary>
/// <remarks>The benchmark command links this file (and <see cref="DrivenTime"/>): one virtual-time driver for both.</remarks>
internal sealed class EmulatorTimeDriver(DrivenTime time, XeroEmulator emulator)
{
    private int _tokenRequests;
    private int _inFlight;

    /// <summary>
    /// How long each answer takes to come back after the emulator has admitted and handled the call (virtual time), as
    /// the real Xero's do: the call counts against Xero's limits when it arrives, the caller hears of it this much later.
    /// </summary>
    public TimeSpan Latency { get; set; }

    /// <summary>
    /// Whether the work counts as waiting only when this process also spent (almost) no CPU over a few milliseconds of
    /// wall time. Slower per wait, but a CPU-bound stretch between calls is never mistaken for a wait (each mistake moves
    /// the clock): the benchmark measures virtual time, so it turns this on.
    /// </summary>
    public bool IdleMeansNoCpu { get; set; }

    private DrivenTime Time => time;

    /// <summary>Requests made to the token endpoint (refreshes, code exchanges).</summary>
    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    /// <summary>The primary handler for SyncKit's Xero clients: the emulator's, counted.</summary>
    public HttpMessageHandler CreateHandler() => new CountingHandler(this, emulator.CreateHandler());

    /// <summary>
    /// Runs <paramref name="action"/>; when it waits on a timer and no call is being served, the clock moves to that
    /// timer, at most <paramref name="maxStep"/> (a second) at a time.
    /// </summary>
    public async Task<T> DriveAsync<T>(Func<Task<T>> action, TimeSpan? maxStep = null, int maxSteps = 100_000)
    {
        var task = Task.Run(action);
        var advances = 0;
        var idle = 0;
        var lastCalls = -1;
        while (!task.IsCompleted)
        {
            for (var i = 0; i < 20 && !task.IsCompleted; i++)
            {
                await Task.Yield();
            }

            // Time moves only while no request is being served: an answer being computed is not a wait.
            var calls = emulator.GetStats().TotalCalls + TokenRequests;
            if (calls != lastCalls || Volatile.Read(ref _inFlight) > 0)
            {
                lastCalls = calls;
                idle = 0;
                continue;
            }

            // Each wait costs one jump, so be slow to call the work idle: CPU-bound work between calls is not a wait.
            if (++idle < 100 || (IdleMeansNoCpu && await BusyAsync()))
            {
                continue;
            }

            if (time.NextDue is not { } due)
            {
                // Waiting, but not on time: give it a while, then call it stuck rather than hang the test run.
                if (idle >= 1_000_000)
                {
                    throw new InvalidOperationException("The work stopped making progress and waits on no timer.");
                }

                continue;
            }

            idle = 0;
            if (++advances > maxSteps)
            {
                throw new InvalidOperationException($"The work did not finish within {maxSteps} moves of virtual time (at {time.GetUtcNow():O}; {calls} calls, {TokenRequests} token requests; {string.Join(", ", emulator.GetStats().Calls.SelectMany(t => t.Value).Select(kv => $"{kv.Key}: {kv.Value}"))}).");
            }

            var delta = due - time.GetUtcNow();
            if (delta < TimeSpan.FromMilliseconds(1))
            {
                delta = TimeSpan.FromMilliseconds(1);
            }

            var max = maxStep ?? TimeSpan.FromSeconds(1);
            time.Advance(delta > max ? max : delta);
        }

        return await task;
    }

    private static async Task<bool> BusyAsync()
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var wall = System.Diagnostics.Stopwatch.GetTimestamp();
        await Task.Delay(TimeSpan.FromMilliseconds(3), TimeProvider.System);
        process.Refresh();
        return (process.TotalProcessorTime - cpu).TotalMilliseconds > 0.25 * System.Diagnostics.Stopwatch.GetElapsedTime(wall).TotalMilliseconds;
    }

    private sealed class CountingHandler(EmulatorTimeDriver driver, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri?.AbsolutePath.EndsWith("/connect/token", StringComparison.Ordinal) == true)
            {
                Interlocked.Increment(ref driver._tokenRequests);
            }

            HttpResponseMessage response;
            Interlocked.Increment(ref driver._inFlight);
            try
            {
                response = await base.SendAsync(request, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref driver._inFlight);
            }

            // The answer travels back on a timer, which the driver sees as a wait and moves the clock to.
            if (driver.Latency > TimeSpan.Zero)
            {
                await Task.Delay(driver.Latency, driver.Time, cancellationToken);
            }

            return response;
        }
    }
}
