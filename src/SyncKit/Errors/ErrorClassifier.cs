using System.Text.RegularExpressions;

namespace SyncKit.Errors;

/// <summary>Classifies failures by the ordered rules: host rules, then connector rules, then the engine's.</summary>
internal sealed partial class ErrorClassifier
{
    private readonly ErrorRule[] _rules;

    public ErrorClassifier(IEnumerable<ErrorRuleRegistration> registrations)
    {
        var ordered = registrations.OrderBy(r => r.Order).SelectMany(r => r.Rules).ToList();

        // A rule id seen earlier (a host's override) hides later rules with the same id.
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        _rules = ordered.Where(r => seen.Add(r.Id)).ToArray();
    }

    public IReadOnlyList<ErrorRule> Rules => _rules;

    /// <summary>Whether a tenant's pause reason is that of a rule pausing for a spent daily limit (not a host's own pause).</summary>
    public bool IsLimitPause(string? pauseReason) =>
        pauseReason is not null && _rules.Any(r => r.Disposition == ErrorDisposition.PauseTenant
            && string.Equals(r.Category, ErrorCategories.DailyLimit, StringComparison.Ordinal)
            && string.Equals(r.Reason, pauseReason, StringComparison.Ordinal));

    public SyncError Classify(SyncFailure failure, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var message = DescribeMessage(failure);
        foreach (var rule in _rules)
        {
            if (rule.Matches(failure))
            {
                return new SyncError
                {
                    Category = rule.Category,
                    Disposition = rule.Disposition,
                    Reason = Fill(rule.Reason, failure),
                    Resolution = rule.Resolution.Select(step => Fill(step, failure)).ToArray(),
                    Message = message,
                    RuleId = rule.Id,
                    Source = failure.Source,
                    StatusCode = failure.StatusCode,
                    OccurredAt = now,
                };
            }
        }

        return new SyncError
        {
            Category = ErrorCategories.Unclassified,
            Disposition = DefaultDisposition(failure),
            Reason = "Unclassified error",
            Resolution =
            [
                "Read the message from the ledger shown with this record; it says what it refused.",
                "Correct the record (or the ledger's settings) and retry the sync.",
                "If the message is unclear, contact support with the record and this message.",
            ],
            Message = message,
            Source = failure.Source,
            StatusCode = failure.StatusCode,
            OccurredAt = now,
        };
    }

    private static ErrorDisposition DefaultDisposition(SyncFailure failure) => failure switch
    {
        { WriteMayHaveLanded: true } => ErrorDisposition.Reconcile,
        { Source: FailureSource.Authorization } => ErrorDisposition.Reconnect,
        { Source: FailureSource.Transport } => ErrorDisposition.RetryLater,
        { StatusCode: >= 500 } => ErrorDisposition.RetryLater,
        _ => ErrorDisposition.UserAction,
    };

    // The original message is kept verbatim; a failure without one still says where it came from.
    private static string DescribeMessage(SyncFailure failure)
    {
        var text = failure.MessageText.Trim();
        if (text.Length > 0)
        {
            return text;
        }

        var parts = new List<string> { $"{failure.Source} failure" };
        if (failure.StatusCode is { } status)
        {
            parts.Add($"HTTP {status}");
        }

        if (failure.ErrorType is { Length: > 0 } type)
        {
            parts.Add(type);
        }

        if (failure.Code is { Length: > 0 } code)
        {
            parts.Add(code);
        }

        return string.Join(", ", parts) + " (no message was given).";
    }

    private static string Fill(string template, SyncFailure failure) =>
        failure.Details.Count == 0 || !template.Contains('{', StringComparison.Ordinal)
            ? template
            : Placeholder().Replace(template, m => failure.Details.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value);

    [GeneratedRegex(@"\{([A-Za-z][A-Za-z0-9]*)\}")]
    private static partial Regex Placeholder();
}
