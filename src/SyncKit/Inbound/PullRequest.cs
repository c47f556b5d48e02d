using SyncKit.Records;
using SyncKit.Runs;

namespace SyncKit.Inbound;

/// <summary>A request to pull a tenant's changed records from the ledger into the host.</summary>
public sealed record PullRequest
{
    /// <summary>The tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>
    /// The kinds to pull from their watermarks; every kind the host has a target for when empty — unless
    /// <see cref="RemoteIds"/> is set, when an empty list means none.
    /// </summary>
    public IReadOnlyList<RecordKind> Kinds { get; init; } = [];

    /// <summary>
    /// A targeted pull: only these records, by kind and the ledger's ids (a webhook's changed records). They are read by id,
    /// handled as any pulled record, and leave the kind's watermark where it is. Null or empty for none.
    /// </summary>
    public IReadOnlyDictionary<RecordKind, IReadOnlyList<string>>? RemoteIds { get; init; }

    /// <summary>What started it.</summary>
    public SyncTrigger Trigger { get; init; } = SyncTrigger.Manual;

    /// <summary>Who asked.</summary>
    public string? RequestedBy { get; init; }

    /// <summary>Practice Manager jobs: those in this date range (completed ones included) instead of the current ones; set both or neither.</summary>
    public DateOnly? JobsFrom { get; init; }

    /// <summary>The end of the jobs' date range; see <see cref="JobsFrom"/>.</summary>
    public DateOnly? JobsTo { get; init; }
}
