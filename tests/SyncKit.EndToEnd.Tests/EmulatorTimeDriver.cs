using SyncKit.Testing.Emulator;

namespace SyncKit.EndToEnd.Tests;

/// <summary>
/// Moves virtual time for work that talks to the emulator: its handler counts the calls being served and the token
/// requests, and <see cref="DriveAsync{T}"/> moves the clock to the next armed timer only while nothing is being served.
/// </summary>
internal sealed class EmulatorTimeDriver(DrivenTime time, XeroEmulator emulator)
{
    private int _tokenRequests;
    private int _inFlight;

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
            if (++idle < 100)
            {
                continue;
            }

            if (time.NextDue is not { } due)
            {
                // Waiting, but not on time: give it a while, then call it stuck rather than hang the test run.
                Assert.True(idle < 1_000_000, "The work stopped making progress and waits on no timer.");
                continue;
            }

            idle = 0;
            Assert.True(++advances <= maxSteps, $"The work did not finish within {maxSteps} moves of virtual time (at {time.GetUtcNow():O}; {calls} calls, {TokenRequests} token requests; {string.Join(", ", emulator.GetStats().Calls.SelectMany(t => t.Value).Select(kv => $"{kv.Key}: {kv.Value}"))}).");
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

    private sealed class CountingHandler(EmulatorTimeDriver driver, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri?.AbsolutePath.EndsWith("/connect/token", StringComparison.Ordinal) == true)
            {
                Interlocked.Increment(ref driver._tokenRequests);
            }

            Interlocked.Increment(ref driver._inFlight);
            try
            {
                return await base.SendAsync(request, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref driver._inFlight);
            }
        }
    }
}
