using SyncKit.Connectors;
using SyncKit.Records;
using static SyncKit.Xero.Tests.ExactlyOnce.EmulatorConnector;

namespace SyncKit.Xero.Tests.ExactlyOnce;

/// <summary>Waiting for a rate-limit slot is not part of an attempt's time, and a write stopped while waiting did not land.</summary>
public sealed class RateLimitWaitTests
{
    private static Task<EmulatorConnector> OneCallAMinuteAsync() => CreateAsync(o =>
    {
        o.CallsPerMinutePerTenant = 1;
        o.AttemptTimeout = TimeSpan.FromSeconds(30);
        o.MaxRetryAttempts = 0;
    });

    private static PushElement Item(string sourceId) =>
        El(new ItemRecord { SourceId = sourceId, Code = "CODE-" + sourceId, Name = "Item " + sourceId });

    /// <summary>Lets the connector's continuations run (no wall-clock waiting).</summary>
    private static async Task SettleAsync()
    {
        for (var i = 0; i < 200; i++)
        {
            await Task.Yield();
        }
    }

    [Fact]
    public async Task WriteWaitingForASlotLongerThanTheAttemptTimeout_IsSentWhenTheSlotFrees()
    {
        await using var x = await OneCallAMinuteAsync();
        await x.Connector.FindCandidatesAsync(x.T, Item("seen")); // spends this minute's one call

        var push = x.PushAsync(RecordKind.Item, "k1", Item("1"));
        for (var second = 0; second < 600 && !push.IsCompleted; second += 5)
        {
            x.Emulator.AdvanceClock(TimeSpan.FromSeconds(5));
            await SettleAsync();
        }

        Assert.True(push.IsCompleted, $"not completed; calls {x.Emulator.GetStats().TotalCalls}; now {x.Emulator.TimeProvider.GetUtcNow()}");
        var result = await push;
        Assert.True(Assert.Single(result.Outcomes).Succeeded);
    }

    [Fact]
    public async Task WriteCancelledWhileWaitingForASlot_IsAFailureThatSaysItDidNotLand()
    {
        await using var x = await OneCallAMinuteAsync();
        await x.Connector.FindCandidatesAsync(x.T, Item("seen"));
        using var cancel = new CancellationTokenSource();

        var push = x.Connector.PushAsync(new PushBatch { TenantId = x.T, Kind = RecordKind.Item, IdempotencyKey = "k2", Elements = [Item("1")] }, cancel.Token);
        await SettleAsync();
        Assert.False(push.IsCompleted);
        await cancel.CancelAsync();

        var result = await push.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(result.BatchFailure!.WriteMayHaveLanded);
        Assert.Equal(SyncKit.Errors.FailureSource.Transport, result.BatchFailure.Source);
    }
}
