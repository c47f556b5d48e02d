using SyncKit.Records;

namespace SyncKit.Errors;

/// <summary>A failure as it happened, before classification: what the ledger or a check said.</summary>
public sealed record SyncFailure
{
    /// <summary>Where the failure came from.</summary>
    public required FailureSource Source { get; init; }

    /// <summary>A stable code set by SyncKit's own checks (for example <c>LockDate</c>), or null for remote failures.</summary>
    public string? Code { get; init; }

    /// <summary>The HTTP status, for remote failures.</summary>
    public int? StatusCode { get; init; }

    /// <summary>The ledger's error type (for example <c>ValidationException</c>, <c>invalid_grant</c>).</summary>
    public string? ErrorType { get; init; }

    /// <summary>The messages, exactly as the ledger or check wrote them.</summary>
    public IReadOnlyList<string> Messages { get; init; } = [];

    /// <summary>The kind of record the failure concerns.</summary>
    public RecordKind? Kind { get; init; }

    /// <summary>How long the ledger asked to wait (Retry-After).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Which rate limit was hit (Xero's X-Rate-Limit-Problem: minute, day, appminute, concurrent).</summary>
    public string? RateLimitProblem { get; init; }

    /// <summary>Whether a write may have landed although no answer said so.</summary>
    public bool WriteMayHaveLanded { get; init; }

    /// <summary>Values the rule's text may name, such as <c>AccountCode</c> or <c>LockDate</c>.</summary>
    public IReadOnlyDictionary<string, string> Details { get; init; } = EmptyDetails;

    /// <summary>All messages joined, for matching and display.</summary>
    public string MessageText => Messages.Count == 0 ? string.Empty : string.Join(" ", Messages);

    internal static readonly IReadOnlyDictionary<string, string> EmptyDetails = new Dictionary<string, string>();
}
