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

    /// <summary>The pulled version is kept as a conflict until a user chooses (<see cref="ISyncEngine.ResolvePulledConflictAsync"/>).</summary>
    Ask = 3,
}

/// <summary>A tenant's sync settings, kept in the store: direction and conflict policy per kind.</summary>
/// <remarks>A kind not named takes the defaults: <see cref="SyncDirection.Both"/> and <see cref="ConflictPolicy.HostWins"/>.</remarks>
public sealed record TenantSettings
{
    /// <summary>The tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>The direction of each kind that does not travel both ways.</summary>
    public IReadOnlyDictionary<RecordKind, SyncDirection> Directions { get; init; } = new Dictionary<RecordKind, SyncDirection>();

    /// <summary>The conflict policy of each kind that does not use <see cref="ConflictPolicy.HostWins"/>.</summary>
    public IReadOnlyDictionary<RecordKind, ConflictPolicy> ConflictPolicies { get; init; } = new Dictionary<RecordKind, ConflictPolicy>();

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

    /// <summary>Whether the kind is pushed.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>True for <see cref="SyncDirection.Both"/> and <see cref="SyncDirection.PushOnly"/>.</returns>
    public bool Pushes(RecordKind kind) => DirectionFor(kind) is SyncDirection.Both or SyncDirection.PushOnly;

    /// <summary>Whether the kind is pulled.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>True for <see cref="SyncDirection.Both"/> and <see cref="SyncDirection.PullOnly"/>.</returns>
    public bool Pulls(RecordKind kind) => DirectionFor(kind) is SyncDirection.Both or SyncDirection.PullOnly;
}
