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
    /// <summary>The continuation token of a token-paged list (Practice Manager's <c>paged-list</c>), from the previous page; null for the first.</summary>
    public string? PageToken { get; init; }

    /// <summary>
    /// Whether pulled clients or jobs carry their custom field values (one more call per record in Practice Manager), and the
    /// page the practice's custom field definitions.
    /// </summary>
    public bool IncludeCustomFields { get; init; }

    /// <summary>Jobs in a date range instead of the current ones (Practice Manager's <c>job.api/list?from=&amp;to=</c>); both or neither.</summary>
    public DateOnly? From { get; init; }

    /// <summary>The end of the date range; see <see cref="From"/>.</summary>
    public DateOnly? To { get; init; }
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

    /// <summary>The token of the next page of a token-paged list; null when none follows or the list is paged by number.</summary>
    public string? NextPageToken { get; init; }

    /// <summary>
    /// True when the ledger answered the whole list at once (Practice Manager's lists but <c>client.api/paged-list</c>): the
    /// engine applies it <see cref="SyncOptions.PullPageSize"/> records at a time and saves its place between them, so a
    /// stopped pull reads the list once more and skips what it applied.
    /// </summary>
    public bool Unpaged { get; init; }

    /// <summary>
    /// For ledgers whose records carry no change time (Practice Manager): when the read began. The records are stamped with
    /// it, and the kind's watermark becomes the time the pull's first read began.
    /// </summary>
    public DateTimeOffset? AsOf { get; init; }

    /// <summary>The practice's custom field definitions, read with the page when custom fields were asked for; else empty.</summary>
    public IReadOnlyList<PulledCustomFieldDefinition> CustomFieldDefinitions { get; init; } = [];
}
