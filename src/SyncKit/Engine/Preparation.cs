using SyncKit.Connectors;
using SyncKit.Ledger;

namespace SyncKit.Engine;

/// <summary>What pre-flight made of a record: ready to push, or settled without a call.</summary>
internal abstract record Preparation
{
    private Preparation()
    {
    }

    /// <summary>Mapped and valid: push it.</summary>
    public sealed record Ready(PushElement Element, IReadOnlyList<SyncWarning> Warnings) : Preparation;

    /// <summary>Not sent: the event says why (Unmapped, Failed, Skipped, Held).</summary>
    public sealed record Settled(LedgerEvent Event) : Preparation;
}
