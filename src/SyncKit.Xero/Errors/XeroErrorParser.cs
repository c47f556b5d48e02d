using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using SyncKit.Errors;
using SyncKit.Records;
using SyncKit.Xero.Api;

namespace SyncKit.Xero.Errors;

/// <summary>Turns every error shape Xero answers with into a <see cref="SyncFailure"/> (unclassified: the rules classify it).</summary>
internal static partial class XeroErrorParser
{
    public const string ValidationException = "ValidationException";
    public const string PracticeManagerError = "PracticeManagerError";
    private const int MaxBodyLength = 2000;

    /// <summary>A non-success HTTP answer of the Accounting or connections API.</summary>
    public static SyncFailure FromResponse(
        HttpStatusCode statusCode,
        HttpResponseHeaders? headers,
        string? body,
        RecordKind? kind,
        bool isWrite,
        DateTimeOffset now)
    {
        var status = (int)statusCode;
        body = Truncate(body?.Trim());
        return status switch
        {
            429 => RateLimited(headers, body, kind, now),
            401 or 403 when InsufficientScope(headers) => MissingScope(kind, ProblemDetail(body), statusCode: status),
            401 or 403 => Unauthorised(status, body, kind),
            400 => BadRequest(body, kind),
            404 => new SyncFailure
            {
                Source = FailureSource.Remote,
                StatusCode = 404,
                ErrorType = "NotFound",
                Messages = [string.IsNullOrEmpty(body) ? "The resource you're looking for cannot be found" : body],
                Kind = kind,
            },
            >= 500 => ServerError(status, headers, body, kind, isWrite, now),
            _ => new SyncFailure
            {
                Source = FailureSource.Remote,
                StatusCode = status,
                Messages = [NonEmpty(JsonMessage(body) ?? body, status)],
                Kind = kind,
            },
        };
    }

    /// <summary>A refused element of a 200 answer sent with <c>summarizeErrors=false</c>.</summary>
    /// <param name="element">Xero's answer for the element.</param>
    /// <param name="kind">The record kind.</param>
    /// <param name="sentLines">The element's lines as sent: a message about a line that does not say which gets the line named.</param>
    public static SyncFailure FromElement(XeroElementBase element, RecordKind kind, IReadOnlyList<XeroLineItem>? sentLines = null)
    {
        var messages = element.ValidationErrors?
            .Select(e => e.Message)
            .OfType<string>()
            .Where(m => m.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .Select(m => NameTheLines(m, sentLines))
            .ToArray() ?? [];
        return Validation(messages.Length > 0 ? messages : ["Xero refused the record without saying why."], kind);
    }

    /// <summary>
    /// Xero reports a line's problem on the document without saying which line ("Account code must be specified"). The
    /// lines as sent show which: those without an account code, or with the account code the message names.
    /// </summary>
    internal static string NameTheLines(string message, IReadOnlyList<XeroLineItem>? lines)
    {
        if (lines is not { Count: > 0 })
        {
            return message;
        }

        Func<XeroLineItem, bool>? concerns = null;
        if (AccountCodeMissing().IsMatch(message))
        {
            concerns = l => string.IsNullOrWhiteSpace(l.AccountCode) && string.IsNullOrWhiteSpace(l.ItemCode);
        }
        else if (AccountCodeNamed().Match(message) is { Success: true } match)
        {
            var code = match.Groups["code"].Value;
            concerns = l => string.Equals(l.AccountCode, code, StringComparison.OrdinalIgnoreCase);
        }

        var numbers = concerns is null ? [] : lines.Select((line, i) => (Line: line, Number: i + 1)).Where(l => concerns(l.Line)).ToArray();
        if (numbers.Length == 0)
        {
            return message;
        }

        var named = string.Join("; ", numbers.Take(5).Select(l => string.IsNullOrWhiteSpace(l.Line.Description)
            ? string.Create(CultureInfo.InvariantCulture, $"line {l.Number}")
            : string.Create(CultureInfo.InvariantCulture, $"line {l.Number} '{Shorten(l.Line.Description)}'")));
        var more = numbers.Length > 5 ? string.Create(CultureInfo.InvariantCulture, $" and {numbers.Length - 5} more") : string.Empty;
        return $"{message.TrimEnd('.', ' ')} ({named}{more}).";

        static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 39), "…");
    }

    [GeneratedRegex(@"Account\s+code(\s+or\s+ID)?\s+must\s+be\s+specified", RegexOptions.IgnoreCase)]
    private static partial Regex AccountCodeMissing();

    [GeneratedRegex(@"Account\s+code\s+'(?<code>[^']+)'", RegexOptions.IgnoreCase)]
    private static partial Regex AccountCodeNamed();

    /// <summary>A validation failure with Xero's messages.</summary>
    public static SyncFailure Validation(IReadOnlyList<string> messages, RecordKind? kind)
    {
        var shown = messages.Select(IsoDates).ToArray();
        return new()
        {
            Source = FailureSource.Remote,
            StatusCode = 400,
            ErrorType = ValidationException,
            Messages = shown,
            Kind = kind,
            Details = ExtractDetails(shown),
        };
    }

    /// <summary>An OAuth2 error of the token endpoint (<c>{"error":"invalid_grant"}</c>).</summary>
    public static SyncFailure FromTokenError(HttpStatusCode statusCode, string? body)
    {
        string? error = null;
        string? description = null;
        if (TryDeserialize(body, XeroJsonContext.Default.OAuthTokenResponse, out var parsed))
        {
            error = parsed.Error;
            description = parsed.ErrorDescription;
        }

        error ??= (int)statusCode >= 500 ? "server_error" : "invalid_request";
        var message = description is null ? $"The Xero token endpoint answered {error}." : $"{error}: {description}";
        if (string.Equals(error, "invalid_client", StringComparison.Ordinal))
        {
            message += " Check the settings Xero:ClientId and Xero:ClientSecret against the app in the Xero developer portal.";
        }

        return new SyncFailure
        {
            Source = FailureSource.Authorization,
            StatusCode = (int)statusCode,
            ErrorType = error,
            Messages = [message],
        };
    }

    /// <summary>A Practice Manager <c>&lt;Status&gt;ERROR&lt;/Status&gt;</c> answer (often with HTTP 200).</summary>
    public static SyncFailure FromPracticeManager(int statusCode, string? description, RecordKind? kind) => new()
    {
        Source = FailureSource.Remote,
        StatusCode = statusCode,
        ErrorType = PracticeManagerError,
        Messages = [string.IsNullOrWhiteSpace(description) ? "Practice Manager refused the request without saying why." : IsoDates(description.Trim())],
        Kind = kind,
    };

    /// <summary>
    /// Xero writes dates in messages three ways — Accounting's <c>31-Oct-2026</c>, Practice Manager's <c>20261102</c> and
    /// <c>2 Nov 2026</c>; a user reads every date as <c>2026-11-02</c>, the one format SyncKit shows. Only text that
    /// forms a real date is rewritten (job numbers such as J000309 keep their letter).
    /// </summary>
    internal static string IsoDates(string message) => MessageDate().Replace(message, m =>
        DateOnly.TryParseExact(m.Value, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : m.Value);

    private static readonly string[] DateFormats = ["yyyyMMdd", "d-MMM-yyyy", "d MMM yyyy"];

    [GeneratedRegex(@"(?<![\w-])((19|20)\d{6}|\d{1,2}-[A-Za-z]{3}-(19|20)\d{2}|\d{1,2} [A-Za-z]{3} (19|20)\d{2})(?![\w-])", RegexOptions.CultureInvariant)]
    private static partial Regex MessageDate();

    private static SyncFailure RateLimited(HttpResponseHeaders? headers, string? body, RecordKind? kind, DateTimeOffset now)
    {
        var problem = RateLimitProblem(headers);
        var retryAfter = RetryAfter(headers, now);
        var text = problem is null ? "Xero's rate limit was reached." : $"Xero's {problem} rate limit was reached.";
        if (retryAfter is { } wait)
        {
            text += string.Create(CultureInfo.InvariantCulture, $" Retry after {(long)wait.TotalSeconds} seconds.");
        }

        return new SyncFailure
        {
            Source = FailureSource.Remote,
            StatusCode = 429,
            ErrorType = "RateLimitExceeded",
            RateLimitProblem = problem,
            RetryAfter = retryAfter,
            Messages = string.IsNullOrEmpty(body) ? [text] : [text, body],
            Kind = kind,
        };
    }

    /// <summary>Whether a 401/403 says the token lacks a scope (<c>WWW-Authenticate: Bearer error="insufficient_scope"</c>).</summary>
    private static bool InsufficientScope(HttpResponseHeaders? headers) =>
        headers is not null && headers.TryGetValues("WWW-Authenticate", out var values)
        && values.Any(v => v.Contains("insufficient_scope", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The connection may not do what a kind needs: the user must reconnect and grant the kind's scope. Raised for
    /// Xero's insufficient_scope answers and by SyncKit's own check before any call, so both read the same.
    /// </summary>
    public static SyncFailure MissingScope(RecordKind? kind, string? xeroDetail = null, string? scope = null, int? statusCode = 401)
    {
        scope ??= kind is { } k ? XeroScopes.ForKind(k).Write : null;
        var what = kind is { } named ? $"{named} records" : "this data";
        var message = scope is null
            ? $"Reconnect to grant the missing permission: the Xero connection may not reach {what}."
            : $"Reconnect to grant {scope}: the Xero connection was not given that permission, which {what} need.";
        var details = new Dictionary<string, string>(StringComparer.Ordinal);
        if (scope is not null)
        {
            details["Scope"] = scope;
        }

        return new SyncFailure
        {
            Source = FailureSource.Authorization,
            StatusCode = statusCode,
            ErrorType = XeroFailureCodes.InsufficientScope,
            Messages = string.IsNullOrEmpty(xeroDetail) ? [message] : [message, xeroDetail],
            Kind = kind,
            Details = details,
        };
    }

    private static string? ProblemDetail(string? body) =>
        TryDeserialize(body, XeroJsonContext.Default.XeroProblem, out var problem) ? problem.Detail ?? problem.Title : null;

    private static SyncFailure Unauthorised(int status, string? body, RecordKind? kind)
    {
        string? errorType = null;
        string? message = null;
        if (TryDeserialize(body, XeroJsonContext.Default.XeroProblem, out var problem))
        {
            message = problem.Detail ?? problem.Title;
            if (problem.Detail is { Length: > 0 } detail)
            {
                var colon = detail.IndexOf(':', StringComparison.Ordinal);
                errorType = (colon > 0 ? detail[..colon] : detail).Trim();
                if (errorType.Contains(' ', StringComparison.Ordinal))
                {
                    errorType = null;
                }
            }
        }

        errorType ??= status == 401 ? "Unauthorized" : "Forbidden";
        return new SyncFailure
        {
            Source = FailureSource.Authorization,
            StatusCode = status,
            ErrorType = errorType,
            Messages = [NonEmpty(message ?? body, status)],
            Kind = kind,
        };
    }

    private static SyncFailure BadRequest(string? body, RecordKind? kind)
    {
        if (TryDeserialize(body, XeroJsonContext.Default.XeroApiError, out var error) && (error.Type is not null || error.Message is not null))
        {
            var messages = new List<string>();
            foreach (var element in error.Elements ?? [])
            {
                if (element.ValueKind == JsonValueKind.Object
                    && element.TryGetProperty("ValidationErrors", out var errors)
                    && errors.ValueKind == JsonValueKind.Array)
                {
                    foreach (var e in errors.EnumerateArray())
                    {
                        if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty("Message", out var m) && m.GetString() is { Length: > 0 } text && !messages.Contains(text))
                        {
                            messages.Add(text);
                        }
                    }
                }
            }

            if (messages.Count == 0 && error.Message is { Length: > 0 } top)
            {
                messages.Add(top);
            }

            return new SyncFailure
            {
                Source = FailureSource.Remote,
                StatusCode = 400,
                ErrorType = error.Type,
                Messages = messages.Count > 0 ? messages : [NonEmpty(body, 400)],
                Kind = kind,
                Details = ExtractDetails(messages),
            };
        }

        var plain = IsoDates(NonEmpty(JsonMessage(body) ?? body, 400));
        return new SyncFailure
        {
            Source = FailureSource.Remote,
            StatusCode = 400,
            Messages = [plain],
            Kind = kind,
            Details = ExtractDetails([plain]),
        };
    }

    private static SyncFailure ServerError(int status, HttpResponseHeaders? headers, string? body, RecordKind? kind, bool isWrite, DateTimeOffset now)
    {
        string? errorType = null;
        string? message = null;
        if (TryDeserialize(body, XeroJsonContext.Default.XeroApiError, out var error))
        {
            errorType = error.Type;
            message = error.Message;
        }

        return new SyncFailure
        {
            Source = FailureSource.Remote,
            StatusCode = status,
            ErrorType = errorType,
            Messages = [NonEmpty(message ?? body, status)],
            Kind = kind,
            RetryAfter = RetryAfter(headers, now),

            // 503 means Xero did not take the request (offline, maintenance); any other 5xx on a write may have landed.
            WriteMayHaveLanded = isWrite && status != 503,
        };
    }

    /// <summary>The <c>X-Rate-Limit-Problem</c> header, lower-cased.</summary>
    public static string? RateLimitProblem(HttpResponseHeaders? headers) =>
        headers is not null && headers.TryGetValues("X-Rate-Limit-Problem", out var values)
            ? values.FirstOrDefault()?.Trim().ToLowerInvariant()
            : null;

    /// <summary>The <c>Retry-After</c> header as a delay.</summary>
    public static TimeSpan? RetryAfter(HttpResponseHeaders? headers, DateTimeOffset now)
    {
        if (headers?.RetryAfter is not { } retryAfter)
        {
            return null;
        }

        if (retryAfter.Delta is { } delta)
        {
            return delta;
        }

        if (retryAfter.Date is { } date)
        {
            var wait = date - now;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    /// <summary>Values rules and resolution text may name: the account code, tax type, lock date or currency in the messages.</summary>
    public static IReadOnlyDictionary<string, string> ExtractDetails(IEnumerable<string> messages)
    {
        Dictionary<string, string>? details = null;
        foreach (var message in messages)
        {
            Add(AccountCodePattern().Match(message), "AccountCode");
            Add(TaxTypePattern().Match(message), "TaxType");
            Add(LockDatePattern().Match(message), "LockDate");
            Add(CurrencyPattern().Match(message), "CurrencyCode");
        }

        return details ?? (IReadOnlyDictionary<string, string>)new Dictionary<string, string>();

        void Add(Match match, string key)
        {
            if (match.Success)
            {
                details ??= new Dictionary<string, string>(StringComparer.Ordinal);
                details.TryAdd(key, match.Groups[1].Value);
            }
        }
    }

    internal static bool TryDeserialize<T>(string? body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T? value)
        where T : class
    {
        value = null;
        if (string.IsNullOrEmpty(body) || body[0] is not ('{' or '['))
        {
            return false;
        }

        try
        {
            value = JsonSerializer.Deserialize(body, typeInfo);
            return value is not null;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string? JsonMessage(string? body)
    {
        if (string.IsNullOrEmpty(body) || body[0] != '{')
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            foreach (var name in (string[])["Message", "message", "Detail", "detail", "Title", "title"])
            {
                if (doc.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text)
                {
                    return text;
                }
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }

    private static string NonEmpty(string? message, int status) =>
        string.IsNullOrWhiteSpace(message)
            ? string.Create(CultureInfo.InvariantCulture, $"Xero answered HTTP {status} without a message.")
            : message;

    private static string? Truncate(string? body) =>
        body is { Length: > MaxBodyLength } ? body[..MaxBodyLength] : body;

    [GeneratedRegex(@"Account code '([^']*)'", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AccountCodePattern();

    [GeneratedRegex(@"TaxType code '([^']*)'", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TaxTypePattern();

    [GeneratedRegex(@"lock date,? currently set at (\d{4}-\d{2}-\d{2}|\d{1,2}-[A-Za-z]{3}-\d{4})", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LockDatePattern();

    [GeneratedRegex(@"subscribed to currency ([A-Za-z]{3})", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CurrencyPattern();
}
