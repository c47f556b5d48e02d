using SyncKit.Records;
using SyncKit.Settings;

namespace SyncKit.Inbound;

/// <summary>Which side a field of a conflicting record goes to.</summary>
internal enum ConflictSide
{
    /// <summary>The host's value is kept (and pushed).</summary>
    Host,

    /// <summary>The ledger's value is applied now.</summary>
    Ledger,

    /// <summary>Decided later: after the host's push lands (ApplyAfterPush) or by a user (Ask).</summary>
    Later,
}

/// <summary>
/// What a pull does with a record whose host version has a change waiting to be pushed, field by field: the kind's policy
/// for the fields the tenant's settings do not name, each named field's own policy for the others.
/// </summary>
/// <param name="KindSide">Where the fields the settings do not name go.</param>
/// <param name="LedgerFields">Named fields the ledger wins.</param>
/// <param name="HostFields">Named fields the host wins.</param>
internal sealed record ConflictDecision(ConflictSide KindSide, IReadOnlySet<string> LedgerFields, IReadOnlySet<string> HostFields)
{
    /// <summary>The fields a field's own policy may take: a field cannot wait for a user or a push on its own.</summary>
    public static bool IsFieldPolicy(ConflictPolicy policy) => policy is ConflictPolicy.HostWins or ConflictPolicy.LedgerWins or ConflictPolicy.NewestWins;

    /// <summary>
    /// Decides. <paramref name="ledgerIsNewer"/> is asked only when a policy is <see cref="ConflictPolicy.NewestWins"/>: true
    /// when the ledger's change is later than the host's (unknown host time: false, the host's is kept).
    /// </summary>
    public static async Task<ConflictDecision> DecideAsync(TenantSettings settings, RecordKind kind, Func<Task<bool>> ledgerIsNewer)
    {
        bool? newer = null;
        async Task<ConflictSide> SideOfAsync(ConflictPolicy policy) => policy switch
        {
            ConflictPolicy.LedgerWins => ConflictSide.Ledger,
            ConflictPolicy.NewestWins => (newer ??= await ledgerIsNewer().ConfigureAwait(false)) ? ConflictSide.Ledger : ConflictSide.Host,
            ConflictPolicy.Ask or ConflictPolicy.ApplyAfterPush => ConflictSide.Later,
            _ => ConflictSide.Host,
        };

        var kindSide = await SideOfAsync(settings.ConflictPolicyFor(kind)).ConfigureAwait(false);
        var ledger = new HashSet<string>(StringComparer.Ordinal);
        var host = new HashSet<string>(StringComparer.Ordinal);
        var known = PulledFields.For(kind);
        if (settings.FieldConflictPolicies.TryGetValue(kind, out var named))
        {
            foreach (var (field, policy) in named)
            {
                if (!known.Contains(field) || !IsFieldPolicy(policy))
                {
                    // Refused when saved; a document written by an older version is read leniently.
                    continue;
                }

                var side = await SideOfAsync(policy).ConfigureAwait(false);
                if (side != kindSide)
                {
                    (side == ConflictSide.Ledger ? ledger : host).Add(field);
                }
            }
        }

        return new ConflictDecision(kindSide, ledger, host);
    }

    /// <summary>The fields to hand the target now: null for the whole record, an empty set for none.</summary>
    public IReadOnlySet<string>? FieldsNow(RecordKind kind) => KindSide switch
    {
        ConflictSide.Ledger => HostFields.Count == 0 ? null : Except(kind, HostFields),
        _ => LedgerFields,
    };

    /// <summary>The fields to hand the target when a kept version is applied later: all but those the host won.</summary>
    public IReadOnlySet<string>? FieldsLater(RecordKind kind) => HostFields.Count == 0 ? null : Except(kind, HostFields);

    /// <summary>Whether the record went one way for some fields and the other way for others.</summary>
    public bool Split => LedgerFields.Count > 0 || HostFields.Count > 0;

    private static HashSet<string> Except(RecordKind kind, IReadOnlySet<string> fields) =>
        new(PulledFields.For(kind).Where(f => !fields.Contains(f)), StringComparer.Ordinal);
}
