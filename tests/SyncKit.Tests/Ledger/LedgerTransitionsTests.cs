using SyncKit.Errors;
using SyncKit.Ledger;
using SyncKit.Records;

namespace SyncKit.Tests.Ledger;

public sealed class LedgerTransitionsTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    private static readonly LedgerState[] s_all = Enum.GetValues<LedgerState>();

    private static SyncError Error(ErrorDisposition disposition) => new()
    {
        Category = "Test",
        Disposition = disposition,
        Reason = "Test reason",
        Message = "Test message",
    };

    // Every event, and for each state the state it leads to (absent: not allowed).
    private static readonly (string Name, LedgerEvent Event, Dictionary<LedgerState, LedgerState> To)[] s_table =
    [
        ("Observed unchanged", new LedgerEvent.Observed("hash-1", "X"), s_all.ToDictionary(s => s, s => s)),
        ("Observed changed", new LedgerEvent.Observed("hash-2", "X"), s_all.ToDictionary(s => s, s => s is LedgerState.Synced or LedgerState.Failed or LedgerState.Skipped ? LedgerState.Pending : s)),
        ("MappingMissing", new LedgerEvent.MappingMissing(Error(ErrorDisposition.Unmapped), "Account:1"), To(LedgerState.Unmapped, LedgerState.Pending, LedgerState.Unmapped, LedgerState.RetryScheduled, LedgerState.Uncertain)),
        ("MappingAdded", new LedgerEvent.MappingAdded(), To(LedgerState.Pending, LedgerState.Unmapped)),
        ("HeldByPolicy", new LedgerEvent.HeldByPolicy(), To(LedgerState.Held, LedgerState.Pending, LedgerState.Unmapped)),
        ("HeldForConflict", new LedgerEvent.HeldForConflict(Error(ErrorDisposition.UserAction)), To(LedgerState.Held, LedgerState.Pending, LedgerState.Unmapped, LedgerState.RetryScheduled, LedgerState.Failed, LedgerState.Synced, LedgerState.Held)),
        ("Released", new LedgerEvent.Released(), To(LedgerState.Pending, LedgerState.Held)),
        ("Claimed", new LedgerEvent.Claimed("run-1", "key-1"), To(LedgerState.InFlight, LedgerState.Pending, LedgerState.Unmapped, LedgerState.RetryScheduled, LedgerState.Uncertain, LedgerState.Failed, LedgerState.Synced)),
        ("ClaimReturned", new LedgerEvent.ClaimReturned(), To(LedgerState.Pending, LedgerState.InFlight)),
        ("ClaimAbandoned", new LedgerEvent.ClaimAbandoned(Error(ErrorDisposition.Reconcile)), To(LedgerState.Uncertain, LedgerState.InFlight)),
        ("Succeeded", new LedgerEvent.Succeeded("remote-1", []), To(LedgerState.Synced, LedgerState.InFlight)),
        ("Failed UserAction", new LedgerEvent.Failed(Error(ErrorDisposition.UserAction), null), To(LedgerState.Failed, Failable)),
        ("Failed RetryLater", new LedgerEvent.Failed(Error(ErrorDisposition.RetryLater), s_now.AddMinutes(5)), To(LedgerState.RetryScheduled, Failable)),
        ("Failed RetryLater exhausted", new LedgerEvent.Failed(Error(ErrorDisposition.RetryLater), null), To(LedgerState.Failed, Failable)),
        ("Failed Unmapped", new LedgerEvent.Failed(Error(ErrorDisposition.Unmapped), null), To(LedgerState.Unmapped, Failable)),
        ("Failed Reconcile", new LedgerEvent.Failed(Error(ErrorDisposition.Reconcile), null), To(LedgerState.Uncertain, Failable)),
        ("Failed Skip", new LedgerEvent.Failed(Error(ErrorDisposition.Skip), null), To(LedgerState.Skipped, Failable)),
        ("Failed PauseTenant", new LedgerEvent.Failed(Error(ErrorDisposition.PauseTenant), null), new()
        {
            [LedgerState.InFlight] = LedgerState.Pending,
            [LedgerState.Pending] = LedgerState.Pending,
            [LedgerState.Unmapped] = LedgerState.Unmapped,
            [LedgerState.RetryScheduled] = LedgerState.RetryScheduled,
            [LedgerState.Uncertain] = LedgerState.Uncertain,
        }),
        ("Failed StopRun", new LedgerEvent.Failed(Error(ErrorDisposition.StopRun), null), new()
        {
            [LedgerState.InFlight] = LedgerState.Pending,
            [LedgerState.Pending] = LedgerState.Pending,
            [LedgerState.Unmapped] = LedgerState.Unmapped,
            [LedgerState.RetryScheduled] = LedgerState.RetryScheduled,
            [LedgerState.Uncertain] = LedgerState.Uncertain,
        }),
        ("Failed Reconnect", new LedgerEvent.Failed(Error(ErrorDisposition.Reconnect), null), new()
        {
            [LedgerState.InFlight] = LedgerState.Pending,
            [LedgerState.Pending] = LedgerState.Pending,
            [LedgerState.Unmapped] = LedgerState.Unmapped,
            [LedgerState.RetryScheduled] = LedgerState.RetryScheduled,
            [LedgerState.Uncertain] = LedgerState.Uncertain,
        }),
        ("ReconciledFound", new LedgerEvent.ReconciledFound("remote-1"), To(LedgerState.Synced, LedgerState.Uncertain, LedgerState.InFlight)),
        ("ReconciledNotFound", new LedgerEvent.ReconciledNotFound(), To(LedgerState.Pending, LedgerState.Uncertain)),
        ("SkipRequested", new LedgerEvent.SkipRequested(Error(ErrorDisposition.Skip)), To(LedgerState.Skipped, s_all.Except([LedgerState.InFlight, LedgerState.Uncertain]).ToArray())),
        ("UnskipRequested", new LedgerEvent.UnskipRequested(), To(LedgerState.Pending, LedgerState.Skipped)),
        ("RetryRequested", new LedgerEvent.RetryRequested(), new()
        {
            [LedgerState.Failed] = LedgerState.Pending,
            [LedgerState.RetryScheduled] = LedgerState.Pending,
            [LedgerState.Unmapped] = LedgerState.Pending,
            [LedgerState.Uncertain] = LedgerState.Uncertain,
        }),
        ("SendAsNewRequested (no candidates to choose from)", new LedgerEvent.SendAsNewRequested(), []),
        ("MarkedResolved", new LedgerEvent.MarkedResolved("remote-9"), To(LedgerState.Synced, LedgerState.Failed, LedgerState.Unmapped, LedgerState.RetryScheduled, LedgerState.Uncertain, LedgerState.Held, LedgerState.Pending, LedgerState.Skipped)),
    ];

    private static LedgerState[] Failable => [LedgerState.InFlight, LedgerState.Pending, LedgerState.Unmapped, LedgerState.RetryScheduled, LedgerState.Uncertain];

    private static Dictionary<LedgerState, LedgerState> To(LedgerState to, params LedgerState[] from) => from.ToDictionary(s => s, _ => to);

    public static TheoryData<string, LedgerState> EveryStateAndEvent()
    {
        var data = new TheoryData<string, LedgerState>();
        foreach (var (name, _, _) in s_table)
        {
            foreach (var state in s_all)
            {
                data.Add(name, state);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryStateAndEvent))]
    public void Apply_EveryStateAndEvent_LeadsToTheTableState_OrIsRefused(string eventName, LedgerState from)
    {
        var (_, ev, to) = s_table.Single(t => t.Name == eventName);
        var entry = Entry(from);

        if (to.TryGetValue(from, out var expected))
        {
            var next = LedgerTransitions.Apply(entry, ev, s_now);
            Assert.Equal(expected, next.State);
            Assert.Equal(s_now, next.UpdatedAt);
        }
        else
        {
            Assert.False(LedgerTransitions.IsAllowed(entry, ev));
            Assert.Throws<InvalidLedgerTransitionException>(() => LedgerTransitions.Apply(entry, ev, s_now));
        }
    }

    [Fact]
    public void UserSkip_StaysSkipped_WhenTheRecordChanges()
    {
        var skipped = LedgerTransitions.Apply(Entry(LedgerState.Pending), new LedgerEvent.SkipRequested(Error(ErrorDisposition.Skip)), s_now);

        var next = LedgerTransitions.Apply(skipped, new LedgerEvent.Observed("hash-2", "X"), s_now);

        Assert.Equal(LedgerState.Skipped, next.State);
    }

    [Fact]
    public void PolicySkip_ReturnsToPending_WhenTheRecordChanges()
    {
        var skipped = LedgerTransitions.Apply(Entry(LedgerState.Pending), new LedgerEvent.Failed(Error(ErrorDisposition.Skip) with { RuleId = "engine.zero-value" }, null), s_now);

        var next = LedgerTransitions.Apply(skipped, new LedgerEvent.Observed("hash-2", "X"), s_now);

        Assert.Equal(LedgerState.Pending, next.State);
    }

    [Fact]
    public void NeedsReconciliation_RetryLooksUpAgain_InsteadOfSending()
    {
        var waiting = NeedingReconciliation();

        Assert.Equal(LedgerState.Uncertain, LedgerTransitions.Apply(waiting, new LedgerEvent.RetryRequested(), s_now).State);
    }

    [Fact]
    public void NeedsReconciliation_SendAsNew_ReturnsToPending()
    {
        Assert.Equal(LedgerState.Pending, LedgerTransitions.Apply(NeedingReconciliation(), new LedgerEvent.SendAsNewRequested(), s_now).State);
    }

    [Fact]
    public void NeedsReconciliation_StaysFailed_WhenTheRecordChanges()
    {
        Assert.Equal(LedgerState.Failed, LedgerTransitions.Apply(NeedingReconciliation(), new LedgerEvent.Observed("hash-2", "X"), s_now).State);
    }

    private static LedgerEntry NeedingReconciliation() =>
        LedgerTransitions.Apply(Entry(LedgerState.Uncertain), new LedgerEvent.Failed(Error(ErrorDisposition.UserAction) with { Category = ErrorCategories.NeedsReconciliation }, null), s_now);

    [Fact]
    public void Table_CoversEveryEventType()
    {
        var covered = s_table.Select(t => t.Event.GetType()).ToHashSet();
        var all = typeof(LedgerEvent).GetNestedTypes().Where(t => t.IsSubclassOf(typeof(LedgerEvent)));
        Assert.All(all, t => Assert.Contains(t, covered));
    }

    [Fact]
    public void Succeeded_RecordsRemoteIdAndSyncedHash_AndClearsError()
    {
        var entry = Entry(LedgerState.InFlight) with { Error = Error(ErrorDisposition.RetryLater), Attempts = 2 };
        var next = LedgerTransitions.Apply(entry, new LedgerEvent.Succeeded("remote-1", [new SyncWarning { Code = "Rounding", Message = "m" }]), s_now);
        Assert.Equal("remote-1", next.RemoteId);
        Assert.Equal(entry.ContentHash, next.SyncedHash);
        Assert.Null(next.Error);
        Assert.Equal(0, next.Attempts);
        Assert.Equal(s_now, next.SyncedAt);
        Assert.Single(next.Warnings);
    }

    [Fact]
    public void Claimed_StoresIdempotencyKeyAndRun_AndCountsTheAttempt()
    {
        var next = LedgerTransitions.Apply(Entry(LedgerState.Pending), new LedgerEvent.Claimed("run-7", "key-7"), s_now);
        Assert.Equal("key-7", next.IdempotencyKey);
        Assert.Equal("run-7", next.RunId);
        Assert.Equal(1, next.Attempts);
        Assert.Equal(LedgerState.Pending, next.PreviousState);
    }

    [Fact]
    public void ClaimReturned_RestoresTheStateBeforeTheClaim()
    {
        var claimed = LedgerTransitions.Apply(Entry(LedgerState.RetryScheduled), new LedgerEvent.Claimed("run-1", "k"), s_now);
        var returned = LedgerTransitions.Apply(claimed, new LedgerEvent.ClaimReturned(), s_now);
        Assert.Equal(LedgerState.RetryScheduled, returned.State);
        Assert.Equal(0, returned.Attempts);
    }

    [Fact]
    public void PauseOfAClaimedUncertainRecord_KeepsItUncertain()
    {
        var claimed = LedgerTransitions.Apply(Entry(LedgerState.Uncertain), new LedgerEvent.Claimed("run-1", "k"), s_now);
        var paused = LedgerTransitions.Apply(claimed, new LedgerEvent.Failed(Error(ErrorDisposition.PauseTenant), null), s_now);
        Assert.Equal(LedgerState.Uncertain, paused.State);
    }

    [Fact]
    public void RetryLater_SetsNextAttemptTime()
    {
        var at = s_now.AddMinutes(7);
        var next = LedgerTransitions.Apply(Entry(LedgerState.InFlight), new LedgerEvent.Failed(Error(ErrorDisposition.RetryLater), at), s_now);
        Assert.Equal(at, next.NextAttemptAt);
    }

    [Fact]
    public void ObservedChange_OfASyncedRecord_KeepsItsRemoteId_SoTheNextPushUpdates()
    {
        var synced = Entry(LedgerState.Synced) with { RemoteId = "remote-1", SyncedHash = "hash-1" };
        var next = LedgerTransitions.Apply(synced, new LedgerEvent.Observed("hash-2", "X"), s_now);
        Assert.Equal(LedgerState.Pending, next.State);
        Assert.Equal("remote-1", next.RemoteId);
        Assert.Equal("hash-2", next.ContentHash);
    }

    [Fact]
    public void ObservedChange_OfAnInFlightRecord_DoesNotOverwriteWhatTheRunIsPushing()
    {
        var inFlight = Entry(LedgerState.InFlight);
        var next = LedgerTransitions.Apply(inFlight, new LedgerEvent.Observed("hash-2", "X"), s_now);
        Assert.Equal("hash-1", next.ContentHash);
    }

    private static LedgerEntry Entry(LedgerState state) => new()
    {
        TenantId = "t1",
        Kind = RecordKind.Invoice,
        SourceId = "inv-1",
        State = state,
        ContentHash = "hash-1",
        SyncedHash = state == LedgerState.Synced ? "hash-1" : null,
        PreviousState = state == LedgerState.InFlight ? LedgerState.Pending : null,
        CreatedAt = s_now.AddDays(-1),
        UpdatedAt = s_now.AddDays(-1),
    };
}
