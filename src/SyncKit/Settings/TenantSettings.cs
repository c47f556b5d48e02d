using SyncKit.Records;

namespace SyncKit.Settings;

/// <summary>Which ways a kind of record travels for a tenant.</summary>
public enum SyncDirection
{
    /// <summary>Pushed to the ledger and pulled from it (the default).</summary>
    Both = 0,

    /// <summary>Only pushed from the host to the ledger (Actionstep's invoices).</summary>
    PushOnly = 1,

    /// <summary>Only pulled from the ledger into the host (FYI's clients, unless "FYI as Primary").</summary>
    PullOnly = 2,

    /// <summary>Neither pushed nor pulled.</summary>
    Off = 3,
}

/// <summary>What a pull does with a record whose host version has a change still waiting to be pushed ("Pending Sync").</summary>
public enum ConflictPolicy
{
    /// <summary>The host's version is kept and pushed; the pulled version is recorded as a conflict (listed) and told to the target. The default.</summary>
    HostWins = 0,

    /// <summary>The pulled version is applied now, over the host's local change; the target is told.</summary>
    LedgerWins = 1,

    /// <summary>The pulled version is kept and applied by the first pull after the host's push of the record lands.</summary>
    ApplyAfterPush = 2,

    /// <summary>
    /// The pulled version is kept as a conflict until a user chooses (<see cref="ISyncEngine.ResolvePulledConflictAsync"/>);
    /// meanwhile the host's push of the record is held (ledger state Held, with the reason), so neither side overwrites the other.
    /// </summary>
    Ask = 3,

    /// <summary>
    /// The later change wins: the host's local change time (<see cref="Inbound.SyncTarget.GetLocalChangeTimeAsync"/>, else
    /// when SyncKit saw the change) against the ledger's change time (Xero's UpdatedDateUTC). A tie, or no time known, keeps the host's.
    /// </summary>
    NewestWins = 4,
}

/// <summary>Whether records wait for a user's release before they are pushed, for a tenant.</summary>
public enum ApprovalHold
{
    /// <summary>The host's <see cref="Sources.ApprovalPolicy"/> decides, when one is registered (the default).</summary>
    Policy = 0,

    /// <summary>Nothing is held for this tenant, whatever the approval policy says.</summary>
    Off = 1,

    /// <summary>Every record of <see cref="TenantSettings.ApprovalHoldKinds"/> (every kind when empty) is held until a user releases it.</summary>
    Always = 2,
}

/// <summary>
/// A tenant's sync settings, kept in the store as one document: direction and conflict policy per kind (and per field), and
/// the sending policies that would otherwise be process-wide (<see cref="SyncOptions"/>). The engine reads them at the start
/// of every run.
/// </summary>
/// <remarks>
/// A kind not named takes the defaults: <see cref="SyncDirection.Both"/> and <see cref="ConflictPolicy.HostWins"/>. A
/// sending policy left null takes the process-wide value from <see cref="SyncOptions"/>.
/// </remarks>
public sealed record TenantSettings
{
    /// <summary>The tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>The direction of each kind that does not travel both ways.</summary>
    public IReadOnlyDictionary<RecordKind, SyncDirection> Directions { get; init; } = new Dictionary<RecordKind, SyncDirection>();

    /// <summary>The conflict policy of each kind that does not use <see cref="ConflictPolicy.HostWins"/>.</summary>
    public IReadOnlyDictionary<RecordKind, ConflictPolicy> ConflictPolicies { get; init; } = new Dictionary<RecordKind, ConflictPolicy>();

    /// <summary>
    /// Conflict policies of single fields of a kind, by the pulled record's property name (a job's <c>Name</c>, <c>State</c>):
    /// a named field follows its own policy, the others the kind's. A field's policy may be
    /// <see cref="ConflictPolicy.HostWins"/>, <see cref="ConflictPolicy.LedgerWins"/> or <see cref="ConflictPolicy.NewestWins"/>.
    /// </summary>
    /// <remarks>
    /// When the fields of one record go different ways, the target is handed only the fields the ledger won
    /// (<see cref="Inbound.PulledChange{TRecord}.Fields"/>) and keeps the rest as the host has them; the host's pending push
    /// then sends the merged record.
    /// </remarks>
    public IReadOnlyDictionary<RecordKind, IReadOnlyDictionary<string, ConflictPolicy>> FieldConflictPolicies { get; init; } =
        new Dictionary<RecordKind, IReadOnlyDictionary<string, ConflictPolicy>>();

    /// <summary>Whether the host's payments are pushed; null or true: as <see cref="Directions"/> says for payments.</summary>
    public bool? PushPayments { get; init; }

    /// <summary>Whether payments made in the ledger are imported; null or true: as <see cref="Directions"/> says for payments.</summary>
    public bool? ImportPayments { get; init; }

    /// <summary>Zero-total documents; null: <see cref="SyncOptions.ZeroValueDocuments"/>.</summary>
    public ZeroValuePolicy? ZeroValueDocuments { get; init; }

    /// <summary>Negative-total invoices; null: <see cref="SyncOptions.NegativeInvoices"/>.</summary>
    public NegativeInvoicePolicy? NegativeInvoices { get; init; }

    /// <summary>Whether document lines are summarised per (account, tax, tracking); null: <see cref="SyncOptions.SummariseLines"/>.</summary>
    public bool? SummariseLines { get; init; }

    /// <summary>
    /// The host's GL key of the rounding account; null: <see cref="SyncOptions.RoundingAccountKey"/>; empty: no rounding
    /// account for this tenant (differences are only warned about).
    /// </summary>
    public string? RoundingAccountKey { get; init; }

    /// <summary>The host's tax key of the rounding line; null: <see cref="SyncOptions.RoundingTaxKey"/>; empty: none.</summary>
    public string? RoundingTaxKey { get; init; }

    /// <summary>The largest rounding difference adjusted automatically; null: <see cref="SyncOptions.MaxRoundingAdjustment"/>.</summary>
    public decimal? MaxRoundingAdjustment { get; init; }

    /// <summary>Whether a contact without a billing contact person is warned about; null: <see cref="SyncOptions.WarnOnMissingBillingContact"/>.</summary>
    public bool? WarnOnMissingBillingContact { get; init; }

    /// <summary>Whether records wait for a user's release before they are pushed; null: <see cref="Settings.ApprovalHold.Policy"/>.</summary>
    public ApprovalHold? ApprovalHold { get; init; }

    /// <summary>The kinds <see cref="Settings.ApprovalHold.Always"/> holds; empty: every kind.</summary>
    public IReadOnlyList<RecordKind> ApprovalHoldKinds { get; init; } = [];

    /// <summary>When the settings were last saved.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The settings of a tenant that has none saved.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <returns>The defaults.</returns>
    public static TenantSettings Default(string tenantId) => new() { TenantId = tenantId };

    /// <summary>The direction of a kind.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>Its direction.</returns>
    public SyncDirection DirectionFor(RecordKind kind) => Directions.GetValueOrDefault(kind, SyncDirection.Both);

    /// <summary>The conflict policy of a kind.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>Its policy.</returns>
    public ConflictPolicy ConflictPolicyFor(RecordKind kind) => ConflictPolicies.GetValueOrDefault(kind, ConflictPolicy.HostWins);

    /// <summary>The conflict policy of one field of a kind: its own when named, else the kind's.</summary>
    /// <param name="kind">The kind.</param>
    /// <param name="field">The pulled record's property name.</param>
    /// <returns>Its policy.</returns>
    public ConflictPolicy ConflictPolicyFor(RecordKind kind, string field) =>
        FieldConflictPolicies.TryGetValue(kind, out var fields) && fields.TryGetValue(field, out var policy) ? policy : ConflictPolicyFor(kind);

    /// <summary>Whether the kind is pushed.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>True for <see cref="SyncDirection.Both"/> and <see cref="SyncDirection.PushOnly"/> (payments: unless <see cref="PushPayments"/> is false).</returns>
    public bool Pushes(RecordKind kind) =>
        DirectionFor(kind) is SyncDirection.Both or SyncDirection.PushOnly && !(kind == RecordKind.Payment && PushPayments == false);

    /// <summary>Whether the kind is pulled.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>True for <see cref="SyncDirection.Both"/> and <see cref="SyncDirection.PullOnly"/> (payments: unless <see cref="ImportPayments"/> is false).</returns>
    public bool Pulls(RecordKind kind) =>
        DirectionFor(kind) is SyncDirection.Both or SyncDirection.PullOnly && !(kind == RecordKind.Payment && ImportPayments == false);

    /// <summary>Why a kind is not pushed for this tenant, in words a user reads; null when it is pushed.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The reason, or null.</returns>
    public string? WhyNotPushed(RecordKind kind) => Pushes(kind)
        ? null
        : kind == RecordKind.Payment && PushPayments == false && DirectionFor(kind) is SyncDirection.Both or SyncDirection.PushOnly
            ? "Pushing payments is turned off in this tenant's settings."
            : DirectionFor(kind) == SyncDirection.Off
                ? $"{kind} records are turned off (neither pushed nor pulled) in this tenant's settings."
                : $"{kind} records are pull-only in this tenant's settings: the ledger's version is brought into the host, the host's is never pushed.";
}
