using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SyncKit.Xero.RateLimits;
using SyncKit.Xero.Tests.Infrastructure;

namespace SyncKit.Xero.Tests.RateLimits;

public sealed class RateGovernorTests
{
    private static readonly TimeSpan s_guard = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 14, 9, 0, 0, TimeSpan.Zero));

    private (HttpMessageInvoker Invoker, XeroRateGovernor Governor) Create(HttpMessageHandler inner, Action<XeroOptions>? configure = null)
    {
        var options = Options.Create(TestConnector.Options(configure));
        var governor = new XeroRateGovernor(options, _time);
        var handler = new XeroRateLimitHandler(governor, options, _time, NullLogger<XeroRateLimitHandler>.Instance) { InnerHandler = inner };
        return (new HttpMessageInvoker(handler), governor);
    }

    private static Task<HttpResponseMessage> Send(HttpMessageInvoker invoker, string tenant = "tenant-a")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "http://xero.test/api.xro/2.0/Invoices");
        request.Headers.TryAddWithoutValidation("xero-tenant-id", tenant);
        return invoker.SendAsync(request, CancellationToken.None);
    }

    [Fact]
    public async Task NeverMoreThanFiveCallsInFlightPerTenant()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var arrived = new SemaphoreSlim(0);
        int inFlight = 0, maxInFlight = 0;
        var stub = new StubHttpHandler(async (_, ct) =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref maxInFlight, now);
            arrived.Release();
            await gate.Task.WaitAsync(ct);
            Interlocked.Decrement(ref inFlight);
            return new HttpResponseMessage(HttpStatusCode.OK);
        });
        var (invoker, governor) = Create(stub);

        var calls = Enumerable.Range(0, 20).Select(_ => Send(invoker)).ToArray();
        for (var i = 0; i < 5; i++)
        {
            Assert.True(await arrived.WaitAsync(s_guard));
        }

        Assert.Equal(5, stub.Requests.Count);
        gate.SetResult();
        await Task.WhenAll(calls).WaitAsync(s_guard);

        Assert.Equal(5, maxInFlight);
        Assert.Equal(20, stub.Requests.Count);
        Assert.Equal(20, governor.CallsMade);
    }

    [Fact]
    public async Task AnotherTenant_IsNotHeldByOneTenantsCallsInFlight()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stub = new StubHttpHandler(async (r, ct) =>
        {
            if (r.Header("xero-tenant-id") == "tenant-a")
            {
                await gate.Task.WaitAsync(ct);
            }

            return new HttpResponseMessage(HttpStatusCode.OK);
        });
        var (invoker, _) = Create(stub);
        var held = Enumerable.Range(0, 6).Select(_ => Send(invoker, "tenant-a")).ToArray();

        var other = await Send(invoker, "tenant-b").WaitAsync(s_guard);

        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        gate.SetResult();
        await Task.WhenAll(held).WaitAsync(s_guard);
    }

    [Fact]
    public async Task SixtyFirstCallInAMinute_WaitsForTheNextWindow()
    {
        var stub = new StubHttpHandler(_ => new HttpResponseMessage(HttpStatusCode.OK));
        var (invoker, governor) = Create(stub);
        for (var i = 0; i < 60; i++)
        {
            await Send(invoker);
        }

        var sixtyFirst = Send(invoker);

        Assert.False(sixtyFirst.IsCompleted);
        Assert.Equal(60, stub.Requests.Count);

        // The window is held open a second past the minute: Xero's started when the first call arrived.
        _time.Advance(TimeSpan.FromSeconds(60));
        Assert.False(sixtyFirst.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));
        await sixtyFirst.WaitAsync(s_guard);
        Assert.Equal(61, stub.Requests.Count);
        Assert.Equal(1, governor.Waits);
    }

    [Fact]
    public async Task Minute429_WaitsRetryAfterThenSucceeds()
    {
        var stub = StubHttpHandler.Sequence(() => Responses.RateLimited("minute", 30), () => new HttpResponseMessage(HttpStatusCode.OK));
        var (invoker, governor) = Create(stub);

        var call = Send(invoker);

        Assert.False(call.IsCompleted);
        Assert.Single(stub.Requests);
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(call.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));
        var response = await call.WaitAsync(s_guard);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, stub.Requests.Count);
        Assert.Equal(1, governor.RateLimitedResponses);
    }

    [Fact]
    public async Task Day429_SurfacesWithoutRetry()
    {
        var stub = new StubHttpHandler(_ => Responses.RateLimited("day", 3600));
        var (invoker, governor) = Create(stub);

        var response = await Send(invoker).WaitAsync(s_guard);

        Assert.Equal(429, (int)response.StatusCode);
        Assert.Single(stub.Requests);
        Assert.Equal(1, governor.RateLimitedResponses);
    }

    [Fact]
    public async Task AfterADay429_LaterCallsAreHeldWithoutReachingXeroUntilRetryAfter()
    {
        var stub = StubHttpHandler.Sequence(() => Responses.RateLimited("day", 3600), () => new HttpResponseMessage(HttpStatusCode.OK));
        var (invoker, _) = Create(stub);
        await Send(invoker);

        _time.Advance(TimeSpan.FromMinutes(30));
        var held = await Send(invoker);

        Assert.Equal(429, (int)held.StatusCode);
        Assert.Equal("day", held.Headers.GetValues("X-Rate-Limit-Problem").Single());
        Assert.Equal(TimeSpan.FromMinutes(30), held.Headers.RetryAfter?.Delta);
        Assert.Single(stub.Requests);
        _time.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(HttpStatusCode.OK, (await Send(invoker)).StatusCode);
    }

    [Fact]
    public async Task MinLimitRemainingHeader_IsNeverExceeded()
    {
        var stub = new StubHttpHandler(_ =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.OK);
            response.Headers.TryAddWithoutValidation("X-MinLimit-Remaining", "0");
            response.Headers.TryAddWithoutValidation("X-DayLimit-Remaining", "4321");
            return response;
        });
        var (invoker, governor) = Create(stub);
        await Send(invoker);

        var next = Send(invoker);

        Assert.False(next.IsCompleted);
        Assert.Equal(4321, governor.DayRemaining("tenant-a"));
        _time.Advance(TimeSpan.FromSeconds(61));
        await next.WaitAsync(s_guard);
        Assert.Equal(2, stub.Requests.Count);
    }

    [Fact]
    public async Task AppMinuteLimit_HoldsEveryTenant()
    {
        var stub = new StubHttpHandler(_ => new HttpResponseMessage(HttpStatusCode.OK));
        var (invoker, _) = Create(stub, o => o.AppCallsPerMinute = 2);
        await Send(invoker, "tenant-a");
        await Send(invoker, "tenant-b");

        var third = Send(invoker, "tenant-c");

        Assert.False(third.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(61));
        await third.WaitAsync(s_guard);
    }

    [Fact]
    public async Task AppBudgetNodes_EachNodeBudgetsItsShareOfTheAppMinute()
    {
        var stub = new StubHttpHandler(_ => new HttpResponseMessage(HttpStatusCode.OK));
        var (invoker, _) = Create(stub, o =>
        {
            o.AppCallsPerMinute = 6;
            o.AppBudgetNodes = 3;
        });
        await Send(invoker, "tenant-a");
        await Send(invoker, "tenant-b");

        var third = Send(invoker, "tenant-c");

        Assert.False(third.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(61));
        await third.WaitAsync(s_guard);
    }

    [Fact]
    public async Task AppMinLimitRemaining_WithSeveralNodes_EachNodeTakesItsShareOfWhatIsLeft()
    {
        // Xero says 6 calls are left in the app's minute; the other two nodes hear the same, so this one takes 2 of them.
        var stub = new StubHttpHandler(_ =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.OK);
            response.Headers.TryAddWithoutValidation("X-AppMinLimit-Remaining", "6");
            return response;
        });
        var (invoker, _) = Create(stub, o =>
        {
            o.AppCallsPerMinute = 60;
            o.AppBudgetNodes = 3;
        });
        for (var i = 0; i < 3; i++)
        {
            await Send(invoker, $"tenant-{i}").WaitAsync(s_guard);
        }

        var fourth = Send(invoker, "tenant-d");

        Assert.False(fourth.IsCompleted);
        Assert.Equal(3, stub.Requests.Count);
        _time.Advance(TimeSpan.FromSeconds(61));
        await fourth.WaitAsync(s_guard);
    }

    [Fact]
    public async Task MinLimitRemaining_FromAnAnswerArrivingAfterItsMinuteEnded_DoesNotCloseTheNewMinute()
    {
        // The second call, sent at 0:59, is the last of Xero's first minute (the user's own app spent the rest) and is
        // answered at 1:01, when Xero has already started the next one.
        var arrived = new SemaphoreSlim(0);
        var remaining = new Queue<string>(["59", "0", "59"]);
        var slow = new StubHttpHandler(async (_, ct) =>
        {
            var delay = Task.Delay(TimeSpan.FromSeconds(2), _time, ct);
            arrived.Release();
            await delay;
            var answer = new HttpResponseMessage(HttpStatusCode.OK);
            answer.Headers.TryAddWithoutValidation("X-MinLimit-Remaining", remaining.Dequeue());
            return answer;
        });
        var (invoker, _) = Create(slow);
        async Task SendAndAnswerAsync()
        {
            var call = Send(invoker);
            Assert.True(await arrived.WaitAsync(s_guard));
            _time.Advance(TimeSpan.FromSeconds(2));
            await call.WaitAsync(s_guard);
        }

        await SendAndAnswerAsync();
        _time.Advance(TimeSpan.FromSeconds(57));
        await SendAndAnswerAsync();

        var next = Send(invoker);

        Assert.True(await arrived.WaitAsync(s_guard), "The first call of the new minute waited for the minute after.");
        _time.Advance(TimeSpan.FromSeconds(2));
        await next.WaitAsync(s_guard);
    }

    [Fact]
    public async Task AppWindow_GoesToWaitingTenants_InTheOrderTheyAsked()
    {
        var stub = new StubHttpHandler(_ => new HttpResponseMessage(HttpStatusCode.OK));
        var (invoker, _) = Create(stub, o => o.AppCallsPerMinute = 1);
        await Send(invoker, "tenant-a");
        var b = Send(invoker, "tenant-b");
        var c = Send(invoker, "tenant-c");
        var a = Send(invoker, "tenant-a");

        // A minute at a time until all three are sent: on a busy machine a waiter may set its timer only after a minute
        // has been advanced, and then needs one more. The order is the governor's queue, not the clock's.
        var all = Task.WhenAll(a, b, c);
        for (var minute = 0; minute < 30 && !all.IsCompleted; minute++)
        {
            _time.Advance(TimeSpan.FromSeconds(61));
            await Task.WhenAny(all, Task.Delay(50));
        }

        await all.WaitAsync(s_guard);
        Assert.Equal(["tenant-a", "tenant-b", "tenant-c", "tenant-a"], stub.Requests.Select(r => r.Header("xero-tenant-id")));
    }

    [Fact]
    public async Task ATenantWaitingForTheAppWindow_KeepsItsOwnMinuteForWhenItIsSent()
    {
        var stub = new StubHttpHandler(_ => new HttpResponseMessage(HttpStatusCode.OK));
        var (invoker, governor) = Create(stub, o => (o.AppCallsPerMinute, o.CallsPerMinutePerTenant) = (2, 1));
        await Send(invoker, "tenant-b");
        await Send(invoker, "tenant-c");
        var waiting = Send(invoker, "tenant-a");
        _time.Advance(TimeSpan.FromSeconds(61));
        await waiting.WaitAsync(s_guard);

        // Tenant a's minute began when its call was sent (1:01), as Xero's did, not when it began to wait (0:00): at 1:31
        // the app window has room, but tenant a's minute is still spent.
        _time.Advance(TimeSpan.FromSeconds(30));
        var next = Send(invoker, "tenant-a");
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.False(next.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));
        await next.WaitAsync(s_guard);
        Assert.Equal(4, governor.CallsMade);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
