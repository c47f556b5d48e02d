using SyncKit.Engine;
using SyncKit.Errors;
using SyncKit.Ledger;
using SyncKit.Records;

namespace SyncKit.Inbound;

/// <summary>
/// The hold an asked conflict puts on the host's push of the record: the ledger entry is Held with the reason
/// (rule <c>engine.conflict-held</c>, seen in status, preview and the error tab) until a user chooses a version.
/// </summary>
internal static class ConflictHold
{
    /// <summary>The rule id of the hold's reason, which tells it from an approval hold.</summary>
    public const string RuleId = "engine.conflict-held";

    /// <summary>Holds the record's push. A record SyncKit never saw is entered linked to the ledger's record, so a release updates it.</summary>
    public static async Task HoldAsync(EngineServices services, LedgerKey key, PulledRecord record, CancellationToken cancellationToken)
    {
        var now = services.Time.GetUtcNow();
        var entry = await services.Ledger.GetAsync(key, cancellationToken).ConfigureAwait(false)
            ?? LedgerTransitions.Apply(LedgerTransitions.New(key, string.Empty, record.DisplayName, now), new LedgerEvent.MarkedResolved(record.RemoteId), now);
        var reason = services.Classifier.Classify(
            new SyncFailure
            {
                Source = FailureSource.Validation,
                Code = FailureCodes.ConflictHeld,
                Kind = key.Kind,
                Messages = [$"'{record.DisplayName}' changed here and in the ledger; its push waits until a user keeps one version."],
            },
            now);
        var held = new LedgerEvent.HeldForConflict(reason);
        if (!LedgerTransitions.IsAllowed(entry, held))
        {
            // In flight or uncertain (a push that a crash left): the lookup settles it first; the conflict stays listed.
            return;
        }

        await services.Ledger.SaveAsync([LedgerTransitions.Apply(entry, held, now)], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Releases a conflict's hold (not an approval hold): the record's push goes in the next sync.</summary>
    public static async Task ReleaseAsync(EngineServices services, LedgerKey key, CancellationToken cancellationToken)
    {
        if (await services.Ledger.GetAsync(key, cancellationToken).ConfigureAwait(false) is not { State: LedgerState.Held } entry
            || !string.Equals(entry.Error?.RuleId, RuleId, StringComparison.Ordinal))
        {
            return;
        }

        // PreviousState remembers the release, as a user's release does, so the approval policy does not hold it again.
        var released = LedgerTransitions.Apply(entry, new LedgerEvent.Released(), services.Time.GetUtcNow()) with { PreviousState = LedgerState.Held };
        await services.Ledger.SaveAsync([released], cancellationToken).ConfigureAwait(false);
    }
}
