using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.Timeout;
using SyncKit.Errors;
using SyncKit.Records;
using SyncKit.Xero.Errors;
using SyncKit.Xero.Identity;

namespace SyncKit.Xero.Api;

/// <summary>One call to a Xero API.</summary>
internal sealed record XeroRequest
{
    /// <summary>The SyncKit tenant (mapped to a connection and a <c>xero-tenant-id</c>).</summary>
    public required string TenantId { get; init; }

    public required HttpMethod Method { get; init; }

    /// <summary>The path under <see cref="XeroOptions.ApiBaseUrl"/>, for example <c>api.xro/2.0/Invoices</c>.</summary>
    public required string Path { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> Query { get; init; } = [];

    public string? Body { get; init; }

    public string BodyMediaType { get; init; } = "application/json";

    public string Accept { get; init; } = "application/json";

    public string? IdempotencyKey { get; init; }

    public DateTimeOffset? IfModifiedSince { get; init; }

    public RecordKind? Kind { get; init; }

    /// <summary>The <c>xero-tenant-id</c> to send instead of the tenant's mapped one (a practice's, for Practice Manager).</summary>
    public string? XeroTenantIdOverride { get; init; }

    /// <summary>Whether to send <c>xero-tenant-id</c> (not for <c>/connections</c>).</summary>
    public bool SendTenantHeader { get; init; } = true;

    public bool IsWrite => Method != HttpMethod.Get && Method != HttpMethod.Head;
}

/// <summary>Xero's answer: the body on success, or a failure ready for the rules.</summary>
internal sealed record XeroResponse
{
    public required int StatusCode { get; init; }

    public string Body { get; init; } = string.Empty;

    public SyncFailure? Failure { get; init; }

    public bool IsSuccess => Failure is null;
}

/// <summary>
/// The typed HTTP client of the Accounting, connections and Practice Manager APIs: adds the bearer token,
/// <c>xero-tenant-id</c>, <c>Accept</c> and <c>Idempotency-Key</c>; refreshes and retries once on a 401
/// TokenExpired; turns error answers into <see cref="SyncFailure"/>s.
/// </summary>
/// <remarks>
/// Transport failures (timeouts, dropped connections) are thrown, never turned into answers: on a write the
/// outcome is unknown and the engine reconciles.
/// </remarks>
internal sealed class XeroApiClient(
    HttpClient httpClient,
    IXeroAccessTokenSource tokens,
    IOptions<XeroOptions> options,
    TimeProvider timeProvider,
    ILogger<XeroApiClient> logger,
    XeroUsage? usage = null,
    Connections.XeroConnectionKeys? connectionKeys = null,
    XeroMetrics? metrics = null)
{
    public const string AccountingPath = "api.xro/2.0/";
    public const string PracticeManagerPath = "practicemanager/3.1/";
    public const int MaxIdempotencyKeyLength = 128;

    private readonly XeroOptions _options = options.Value;
    private readonly XeroMetrics _metrics = metrics ?? XeroMetrics.Shared;

    /// <summary>Reads an Accounting resource.</summary>
    public async Task<(XeroEnvelope? Envelope, SyncFailure? Failure)> GetAsync(
        string tenantId,
        string resource,
        IReadOnlyList<KeyValuePair<string, string>>? query = null,
        RecordKind? kind = null,
        DateTimeOffset? ifModifiedSince = null,
        CancellationToken cancellationToken = default)
    {
        var response = await SendAsync(
            new XeroRequest
            {
                TenantId = tenantId,
                Method = HttpMethod.Get,
                Path = AccountingPath + resource,
                Query = query ?? [],
                Kind = kind,
                IfModifiedSince = ifModifiedSince,
            },
            cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccess)
        {
            return (null, response.Failure);
        }

        try
        {
            return (Deserialize(response, XeroJsonContext.Default.XeroEnvelope), null);
        }
        catch (InvalidDataException ex)
        {
            return (null, new SyncFailure { Source = FailureSource.Remote, StatusCode = response.StatusCode, Kind = kind, Messages = [ex.Message] });
        }
    }

    /// <summary>Writes a batch (PUT creates, POST creates or updates) with <c>summarizeErrors=false&amp;unitdp=4</c>.</summary>
    public async Task<(XeroEnvelope? Envelope, SyncFailure? Failure)> WriteAsync(
        string tenantId,
        HttpMethod method,
        string resource,
        XeroEnvelope body,
        string? idempotencyKey,
        RecordKind kind,
        CancellationToken cancellationToken = default)
    {
        var response = await SendAsync(
            new XeroRequest
            {
                TenantId = tenantId,
                Method = method,
                Path = AccountingPath + resource,
                Query = [new("summarizeErrors", "false"), new("unitdp", "4")],
                Body = JsonSerializer.Serialize(body, XeroJsonContext.Default.XeroEnvelope),
                IdempotencyKey = idempotencyKey,
                Kind = kind,
            },
            cancellationToken).ConfigureAwait(false);
        return response.IsSuccess ? (Deserialize(response, XeroJsonContext.Default.XeroEnvelope), null) : (null, response.Failure);
    }

    /// <summary>Sends a call; a 401 TokenExpired is refreshed and sent once more.</summary>
    public async Task<XeroResponse> SendAsync(XeroRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var connectionKey = connectionKeys is null
            ? _options.ConnectionKeyForTenant?.Invoke(request.TenantId) ?? request.TenantId
            : await connectionKeys.ForTenantAsync(request.TenantId, cancellationToken).ConfigureAwait(false);

        string accessToken;
        try
        {
            accessToken = await tokens.GetAccessTokenAsync(connectionKey, cancellationToken).ConfigureAwait(false);
        }
        catch (XeroApiException ex)
        {
            return new XeroResponse { StatusCode = ex.Failure.StatusCode ?? 0, Failure = ex.Failure with { Kind = request.Kind } };
        }
        catch (HttpRequestException ex)
        {
            // Nothing was written: the token could not be fetched.
            return new XeroResponse { StatusCode = 0, Failure = TokenTransportFailure(ex, request.Kind) };
        }

        var response = await SendOnceOrFailAsync(request, accessToken, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == 401 && response.Failure?.ErrorType is "TokenExpired" or "Unauthorized")
        {
            Log.RetryAfterTokenExpired(logger, response.Failure.ErrorType);
            try
            {
                accessToken = await tokens.RefreshAsync(connectionKey, accessToken, cancellationToken).ConfigureAwait(false);
            }
            catch (XeroApiException ex)
            {
                return new XeroResponse { StatusCode = ex.Failure.StatusCode ?? 0, Failure = ex.Failure with { Kind = request.Kind } };
            }
            catch (HttpRequestException ex)
            {
                return new XeroResponse { StatusCode = 0, Failure = TokenTransportFailure(ex, request.Kind) };
            }

            response = await SendOnceOrFailAsync(request, accessToken, cancellationToken).ConfigureAwait(false);
        }

        return response;
    }

    /// <summary>
    /// A read that did not complete is a Transport failure (nothing was written); a write that did not complete
    /// throws, because whether it landed is unknown and only the engine's reconciliation can tell.
    /// </summary>
    private async Task<XeroResponse> SendOnceOrFailAsync(XeroRequest request, string accessToken, CancellationToken cancellationToken)
    {
        if (request.IsWrite)
        {
            var state = new XeroSendState();
            try
            {
                return await SendOnceAsync(request, accessToken, cancellationToken, state).ConfigureAwait(false);
            }
            catch (Exception ex) when (state.ProvablyNotSent && ex is HttpRequestException or TimeoutRejectedException or OperationCanceledException)
            {
                // Still waiting for a rate-limit slot (or never passed it): nothing reached Xero, so the write did not land.
                return new XeroResponse
                {
                    StatusCode = 0,
                    Failure = new SyncFailure
                    {
                        Source = FailureSource.Transport,
                        Kind = request.Kind,
                        WriteMayHaveLanded = false,
                        Messages = [$"The call was stopped before it was sent to Xero ({(ex is OperationCanceledException ? "cancelled" : "timed out")} while waiting for a rate-limit slot), so nothing was written; it is sent again later."],
                    },
                };
            }
        }

        try
        {
            return await SendOnceAsync(request, accessToken, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or InvalidDataException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new XeroResponse
            {
                StatusCode = 0,
                Failure = new SyncFailure
                {
                    Source = ex is InvalidDataException ? FailureSource.Remote : FailureSource.Transport,
                    Kind = request.Kind,
                    Messages = [ex.Message],
                },
            };
        }
    }

    private async Task<XeroResponse> SendOnceAsync(XeroRequest request, string accessToken, CancellationToken cancellationToken, XeroSendState? state = null)
    {
        using var message = Build(request, accessToken);
        if (state is not null)
        {
            message.Options.Set(XeroSendState.Key, state);
        }

        using var activity = XeroTelemetry.ActivitySource.StartActivity("xero.call", ActivityKind.Client);
        activity?.SetTag("http.request.method", request.Method.Method);
        activity?.SetTag("synckit.xero.resource", request.Path);
        var started = timeProvider.GetTimestamp();

        using var response = await httpClient.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        var elapsed = timeProvider.GetElapsedTime(started);
        activity?.SetTag("http.response.status_code", status);
        _metrics.Requests.Add(1, new("http.request.method", request.Method.Method), new("http.response.status_code", status));
        _metrics.Duration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("http.request.method", request.Method.Method));
        if (status == 429)
        {
            _metrics.RateLimited.Add(1, new KeyValuePair<string, object?>("synckit.xero.rate_limit_problem", XeroErrorParser.RateLimitProblem(response.Headers)));
        }

        Log.Call(logger, request.Method.Method, request.Path, status, elapsed.TotalMilliseconds);
        usage?.RecordEgress(XeroTenantOf(request), EgressEndpoint(request), response.Content.Headers.ContentLength ?? System.Text.Encoding.UTF8.GetByteCount(body));
        if (usage is not null)
        {
            // Not the call's token: the answer is in, and a cancelled flush must not turn it into an unknown outcome.
            await usage.FlushIfDueAsync(CancellationToken.None).ConfigureAwait(false);
        }

        if (response.IsSuccessStatusCode)
        {
            return new XeroResponse { StatusCode = status, Body = body };
        }

        return new XeroResponse
        {
            StatusCode = status,
            Body = body,
            Failure = XeroErrorParser.FromResponse(response.StatusCode, response.Headers, body, request.Kind, request.IsWrite, timeProvider.GetUtcNow()),
        };
    }

    private HttpRequestMessage Build(XeroRequest request, string accessToken)
    {
        var builder = new StringBuilder(request.Path);
        for (var i = 0; i < request.Query.Count; i++)
        {
            builder.Append(i == 0 ? '?' : '&')
                .Append(Uri.EscapeDataString(request.Query[i].Key))
                .Append('=')
                .Append(Uri.EscapeDataString(request.Query[i].Value));
        }

        var message = new HttpRequestMessage(request.Method, XeroUrls.Under(_options.ApiBaseUrl, builder.ToString()));
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(request.Accept));
        if (request.SendTenantHeader)
        {
            message.Headers.TryAddWithoutValidation(RateLimits.XeroRateLimitHandler.TenantHeader, request.XeroTenantIdOverride ?? _options.XeroTenantIdForTenant?.Invoke(request.TenantId) ?? request.TenantId);
        }

        if (request.IdempotencyKey is { Length: > 0 } key)
        {
            message.Headers.TryAddWithoutValidation("Idempotency-Key", FitIdempotencyKey(key));
        }

        if (request.IfModifiedSince is { } since)
        {
            message.Headers.IfModifiedSince = since.ToUniversalTime();
        }

        if (request.Body is not null)
        {
            message.Content = new StringContent(request.Body, Encoding.UTF8, request.BodyMediaType);
        }

        return message;
    }

    private string XeroTenantOf(XeroRequest request) =>
        request.XeroTenantIdOverride ?? _options.XeroTenantIdForTenant?.Invoke(request.TenantId) ?? request.TenantId;

    /// <summary>The method and resource of a call (<c>GET Invoices</c>, <c>POST job.api</c>): an endpoint, never an id.</summary>
    internal static string EgressEndpoint(XeroRequest request)
    {
        var path = request.Path;
        var rest = path.StartsWith(AccountingPath, StringComparison.Ordinal) ? path[AccountingPath.Length..]
            : path.StartsWith(PracticeManagerPath, StringComparison.Ordinal) ? path[PracticeManagerPath.Length..]
            : path;
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return request.Method.Method + " " + (slash < 0 ? rest : rest[..slash]);
    }

    /// <summary>Xero takes at most 128 characters: a longer key is replaced by its SHA-256 (stable, so a retry replays).</summary>
    internal static string FitIdempotencyKey(string key) =>
        key.Length <= MaxIdempotencyKeyLength ? key : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static T? Deserialize<T>(XeroResponse response, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        if (string.IsNullOrWhiteSpace(response.Body))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(response.Body, typeInfo);
        }
        catch (JsonException ex)
        {
            // A 200 we cannot read: for a write, whether it landed is unknown.
            throw new InvalidDataException("Xero answered 200 with a body that is not the expected JSON.", ex);
        }
    }

    private static SyncFailure TokenTransportFailure(HttpRequestException ex, RecordKind? kind) => new()
    {
        Source = FailureSource.Transport,
        Messages = ["The Xero token endpoint could not be reached: " + ex.Message],
        Kind = kind,
        WriteMayHaveLanded = false,
    };
}
