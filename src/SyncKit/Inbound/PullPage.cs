using SyncKit.Records;

namespace SyncKit.Inbound;

/// <summary>A request for one page of records changed in the ledger.</summary>
public sealed record PullPageRequest
{
    /// <summary>The tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>The kind.</summary>
    public required RecordKind Kind { get; init; }

    /// <summary>Only records changed after this time (Xero's <c>If-Modified-Since</c>), or null for all.</summary>
    public DateTimeOffset? ModifiedSince { get; init; }

    /// <summary>The page, 1-based. Pages are ordered by change time then id, so a pull resumes by page.</summary>
    public required int Page { get; init; }

    /// <summary>The most records per page.</summary>
    public int PageSize { get; init; } = 100;

    /// <summary>
    /// Only these records, by the ledger's id (a targeted pull; at most 50 per request, as Xero's <c>IDs</c> filter keeps
    /// URLs short), or empty for every change. With ids, <see cref="ModifiedSince"/> is null.
    /// </summary>
    public IReadOnlyList<string> RemoteIds { get; init; } = [];
}

/// <summary>One page of records changed in the ledger.</summary>
public sealed record PullPage
{
    /// <summary>The records, oldest change first.</summary>
    public IReadOnlyList<PulledRecord> Records { get; init; } = [];

    /// <summary>Whether another page follows.</summary>
    public bool HasMore { get; init; }

    /// <summary>How many calls the ledger took to read the page.</summary>
    public int Calls { get; init; } = 1;
}
