using Microsoft.Extensions.Logging;

namespace SyncKit.Xero;

/// <summary>The connector's log messages. Never a token, secret or payload: tenants and connections appear hashed.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Refreshing the Xero access token of connection {ConnectionHash}")]
    public static partial void RefreshingToken(ILogger logger, string connectionHash);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Xero refused to refresh the token of connection {ConnectionHash}: {Error}")]
    public static partial void RefreshRefused(ILogger logger, string connectionHash, string? error);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Debug, Message = "Xero {Method} {Path} answered {StatusCode} in {ElapsedMs} ms")]
    public static partial void Call(ILogger logger, string method, string path, int statusCode, double elapsedMs);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Xero rate limit '{Problem}' for tenant {TenantHash}: waiting {DelaySeconds} s")]
    public static partial void RateLimitWait(ILogger logger, string? problem, string tenantHash, double delaySeconds);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "Xero daily limit reached for tenant {TenantHash}; calls held for {DelaySeconds} s")]
    public static partial void DayLimit(ILogger logger, string tenantHash, double delaySeconds);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Information, Message = "Xero answered 401 {ErrorType}; refreshing the token and retrying once")]
    public static partial void RetryAfterTokenExpired(ILogger logger, string? errorType);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Warning, Message = "Xero answered {Answered} elements for {Sent} sent to {Endpoint}; unmatched elements are reconciled")]
    public static partial void ElementCountMismatch(ILogger logger, string endpoint, int sent, int answered);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Debug, Message = "Matched {Matched} of {Total} new contacts to existing Xero contacts before creating")]
    public static partial void ContactsMatched(ILogger logger, int matched, int total);
}
