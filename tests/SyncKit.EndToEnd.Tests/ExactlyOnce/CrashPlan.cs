using SyncKit.Connectors;
using SyncKit.Ledger;
using SyncKit.Records;
using SyncKit.Sources;

namespace SyncKit.EndToEnd.Tests.ExactlyOnce;

/// <summary>A step boundary of the write path at which a node dies.</summary>
public enum CrashStep
{
    /// <summary>Never: the node runs to the end (the matrix's control row).</summary>
    None = 0,


    /// <summary>The first ledger save of a chunk of the kind (entries observed as Pending) lands; then the node dies.</summary>
    AfterObserve,

    /// <summary>The claim save (entries InFlight with an idempotency key) lands; then the node dies before sending.</summary>
    AfterClaim,

    /// <summary>The push is sent and Xero commits it; the node dies before it reads the answer.</summary>
    AfterSendBeforeAnswer,

    /// <summary>The answer arrives; the node dies before the settle save.</summary>
    AfterAnswerBeforeSettle,

    /// <summary>The settle save lands; the node dies before the source hears of the outcome.</summary>
    AfterSettleBeforeOutcome,

    /// <summary>A write landed and its answer was lost (a first node died after sending); the next node dies during its reconcile lookup.</summary>
    DuringReconcileLookup,

    /// <summary>As <see cref="DuringReconcileLookup"/>, but the lookup answers and the node dies before the save that settles it.</summary>
    AfterReconcileLookupBeforeSettle,
}

/// <summary>Thrown by a dead node's seams: the process is gone, nothing it does reaches the store, Xero or the host.</summary>
public sealed class NodeCrashedException(string node, string call) : Exception($"Node {node} is dead: {call} refused.");

/// <summary>
/// One node's life: which boundary kills it (for which ledger kinds), whether it has died, and what it tried after.
/// Every decorator asks <see cref="Guard"/> before it calls through, so once <see cref="Tripped"/> nothing more is written.
/// </summary>
public sealed class NodeLife(string nodeId, CrashStep step, IReadOnlySet<RecordKind> kinds)
{
    private int _tripped;
    private int _refused;
    private int _passedAfterTrip;

    public string NodeId { get; } = nodeId;

    public CrashStep Step { get; } = step;

    public IReadOnlySet<RecordKind> Kinds { get; } = kinds;

    public bool Tripped => Volatile.Read(ref _tripped) == 1;

    /// <summary>Calls the dead node tried to make (all refused).</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>Calls that reached the underlying store, connector or source after the trip: must stay 0.</summary>
    public int PassedAfterTrip => Volatile.Read(ref _passedAfterTrip);

    /// <summary>Where and when the node died.</summary>
    public string? TrippedAt { get; private set; }

    public static NodeLife Immortal(string nodeId) => new(nodeId, CrashStep.None, new HashSet<RecordKind>());

    /// <summary>Throws when the node is dead.</summary>
    public void Guard(string call)
    {
        if (Tripped)
        {
            Interlocked.Increment(ref _refused);
            throw new NodeCrashedException(NodeId, call);
        }
    }

    /// <summary>Counts a call that got through although the node is dead (a harness bug if ever non-zero).</summary>
    public void Passed()
    {
        if (Tripped)
        {
            Interlocked.Increment(ref _passedAfterTrip);
        }
    }

    /// <summary>Kills the node (once) and answers whether this call killed it.</summary>
    public bool Trip(string where)
    {
        if (Interlocked.CompareExchange(ref _tripped, 1, 0) != 0)
        {
            return false;
        }

        TrippedAt = where;
        return true;
    }

    private bool Targets(IEnumerable<RecordKind> kinds) => kinds.Any(Kinds.Contains);

    /// <summary>After a ledger save landed: dies after the observe save or the claim save.</summary>
    public void AfterLedgerSave(IReadOnlyList<LedgerEntry> entries)
    {
        var ours = entries.Where(e => Kinds.Contains(e.Kind)).ToList();
        if (ours.Count == 0)
        {
            return;
        }

        var died = Step switch
        {
            CrashStep.AfterObserve => Trip($"after the observe save of {Describe(ours)}"),
            CrashStep.AfterClaim when ours.Any(e => e.State == LedgerState.InFlight && e.IdempotencyKey is not null) => Trip($"after the claim save of {Describe(ours)}"),
            _ => false,
        };
        if (died)
        {
            throw new NodeCrashedException(NodeId, "ledger save (the save landed; the node died before it returned)");
        }
    }

    /// <summary>Whether a push is one this node dies at.</summary>
    public bool DiesAtPush(PushBatch batch, CrashStep step) =>
        Step == step && !Tripped && Targets(batch.Elements.Select(e => e.Key.Kind));

    /// <summary>Whether a lookup is one this node dies at.</summary>
    public bool DiesAtLookup(IEnumerable<PushElement> elements, CrashStep step) =>
        Step == step && !Tripped && Targets(elements.Select(e => e.Key.Kind));

    /// <summary>Before the source hears of outcomes: dies after the settle save.</summary>
    public void BeforeOutcomes(IReadOnlyList<RecordOutcome> outcomes)
    {
        if (Step == CrashStep.AfterSettleBeforeOutcome && Targets(outcomes.Select(o => o.Key.Kind)) && Trip($"before the outcome callback of {outcomes.Count} {outcomes[0].Key.Kind} record(s)"))
        {
            throw new NodeCrashedException(NodeId, "OnOutcomesAsync");
        }
    }

    private static string Describe(List<LedgerEntry> entries) =>
        $"{entries.Count} {entries[0].Kind} entr{(entries.Count == 1 ? "y" : "ies")} ({string.Join(", ", entries.Select(e => $"{e.SourceId}:{e.State}").Take(6))})";
}
