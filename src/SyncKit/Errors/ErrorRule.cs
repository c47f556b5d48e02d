using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using SyncKit.Records;

namespace SyncKit.Errors;

/// <summary>One classification rule: which failures it matches, and what they mean for the user.</summary>
/// <remarks>
/// Rules are data: a host can write them in code or JSON. All criteria that are set must match; a rule
/// with no criteria matches nothing. The first matching rule in order wins.
/// </remarks>
public sealed record ErrorRule
{
    /// <summary>A stable id, for example <c>xero.lock-date</c>; a host rule with the same id replaces a built-in one.</summary>
    public required string Id { get; init; }

    /// <summary>The category the failure is put in.</summary>
    public required string Category { get; init; }

    /// <summary>What SyncKit does about it.</summary>
    public required ErrorDisposition Disposition { get; init; }

    /// <summary>The one-line reason shown to the user, for example "Lock Dates".</summary>
    public required string Reason { get; init; }

    /// <summary>The steps the user takes, written for an accountant.</summary>
    public IReadOnlyList<string> Resolution { get; init; } = [];

    /// <summary>Failure sources the rule applies to; any when empty.</summary>
    public IReadOnlyList<FailureSource> Sources { get; init; } = [];

    /// <summary>SyncKit check codes (for example <c>LockDate</c>); any when empty.</summary>
    public IReadOnlyList<string> Codes { get; init; } = [];

    /// <summary>HTTP statuses; any when empty.</summary>
    public IReadOnlyList<int> StatusCodes { get; init; } = [];

    /// <summary>The ledger's error type, compared case-insensitively; any when null.</summary>
    public string? ErrorType { get; init; }

    /// <summary>A regular expression matched (case-insensitively) against any one message; any when null.</summary>
    public string? MessagePattern { get; init; }

    /// <summary>The rate limit problem (minute, day, ...), compared case-insensitively; any when null.</summary>
    public string? RateLimitProblem { get; init; }

    /// <summary>Record kinds; any when empty.</summary>
    public IReadOnlyList<RecordKind> Kinds { get; init; } = [];

    /// <summary>A further condition in code (not serialised).</summary>
    [JsonIgnore]
    public Func<SyncFailure, bool>? When { get; init; }

    /// <summary>Real failures this rule must match (its specification; listed in the error catalogue).</summary>
    public IReadOnlyList<SyncFailure> Examples { get; init; } = [];

    /// <summary>Only failures whose write may (true) or may not (false) have landed; any when null.</summary>
    public bool? WriteMayHaveLanded { get; init; }

    // Compiled patterns are shared by pattern text, so a copy made with `with` never keeps a stale regex
    // and the cache takes no part in the record's equality.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Regex> s_patterns = new(StringComparer.Ordinal);

    /// <summary>Whether the rule matches a failure.</summary>
    /// <param name="failure">The failure.</param>
    /// <returns>True when every criterion that is set matches.</returns>
    public bool Matches(SyncFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var anyCriterion = false;

        if (Sources.Count > 0)
        {
            anyCriterion = true;
            if (!Sources.Contains(failure.Source))
            {
                return false;
            }
        }

        if (Codes.Count > 0)
        {
            anyCriterion = true;
            if (failure.Code is null || !Codes.Contains(failure.Code, StringComparer.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        if (StatusCodes.Count > 0)
        {
            anyCriterion = true;
            if (failure.StatusCode is not { } status || !StatusCodes.Contains(status))
            {
                return false;
            }
        }

        if (ErrorType is not null)
        {
            anyCriterion = true;
            if (!string.Equals(ErrorType, failure.ErrorType, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        if (RateLimitProblem is not null)
        {
            anyCriterion = true;
            if (!string.Equals(RateLimitProblem, failure.RateLimitProblem, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        if (Kinds.Count > 0)
        {
            anyCriterion = true;
            if (failure.Kind is not { } kind || !Kinds.Contains(kind))
            {
                return false;
            }
        }

        if (MessagePattern is not null)
        {
            anyCriterion = true;
            var pattern = s_patterns.GetOrAdd(MessagePattern, static p => new Regex(p, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));
            if (!failure.Messages.Any(pattern.IsMatch))
            {
                return false;
            }
        }

        if (WriteMayHaveLanded is { } landed)
        {
            anyCriterion = true;
            if (failure.WriteMayHaveLanded != landed)
            {
                return false;
            }
        }

        if (When is not null)
        {
            anyCriterion = true;
            if (!When(failure))
            {
                return false;
            }
        }

        return anyCriterion;
    }
}
