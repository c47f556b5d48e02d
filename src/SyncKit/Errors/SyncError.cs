namespace SyncKit.Errors;

/// <summary>A classified failure, as stored on a ledger entry and shown on a host's error tab.</summary>
public sealed record SyncError
{
    /// <summary>The category, for example <c>LockDates</c> (see <see cref="ErrorCategories"/>).</summary>
    public required string Category { get; init; }

    /// <summary>What SyncKit does about it.</summary>
    public required ErrorDisposition Disposition { get; init; }

    /// <summary>The one-line reason, for example "Lock Dates".</summary>
    public required string Reason { get; init; }

    /// <summary>The steps the user takes, in order.</summary>
    public IReadOnlyList<string> Resolution { get; init; } = [];

    /// <summary>The original message from the ledger or check; never empty.</summary>
    public required string Message { get; init; }

    /// <summary>The id of the rule that classified the failure.</summary>
    public string? RuleId { get; init; }

    /// <summary>Where the failure came from.</summary>
    public FailureSource Source { get; init; }

    /// <summary>The HTTP status, for remote failures.</summary>
    public int? StatusCode { get; init; }

    /// <summary>When the failure happened.</summary>
    public DateTimeOffset OccurredAt { get; init; }
}
