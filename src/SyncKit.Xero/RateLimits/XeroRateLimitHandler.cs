using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SyncKit.Xero.Errors;
using SyncKit.Xero.Identity;

namespace SyncKit.Xero.RateLimits;

/// <summary>
/// The governor as an HTTP handler: every call to Xero takes a slot first (keyed by the <c>xero-tenant-id</c>
/// header); a minute, app-minute or concurrent 429 is waited out (Retry-After) and sent again; a day 429 is
/// returned as it is — and later calls for that tenant are answered with a day 429 without reaching Xero — so the
/// engine pauses the tenant.
/// </summary>
internal sealed class XeroRateLimitHandler(XeroRateGovernor governor, IOptions<XeroOptions> options, TimeProvider timeProvider, ILogger<XeroRateLimitHandler> logger)
    : DelegatingHandler
{
    public const string TenantHeader = "xero-tenant-id";
    private const string NoTenant = "(no tenant)";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var tenant = request.Headers.TryGetValues(TenantHeader, out var values) ? values.FirstOrDefault() ?? NoTenant : NoTenant;
        var maxRetries = Math.Max(0, options.Value.MaxRateLimitRetries);
        Api.XeroSendState.MarkQueued(request);
        for (var attempt = 0; ; attempt++)
        {
            HttpResponseMessage response;
            using (var lease = await governor.AcquireAsync(tenant, cancellationToken).ConfigureAwait(false))
            {
                if (lease.DayBlockedFor is { } blocked)
                {
                    Log.DayLimit(logger, XeroTokenManager.Hash(tenant), blocked.TotalSeconds);
                    return DayLimited(request, blocked);
                }

                Api.XeroSendState.MarkHandedOn(request);
                response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);

                // Xero counts a call in flight until its answer is read: read it before the slot is given back.
                await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
                governor.Observe(tenant, response, lease);
            }

            if ((int)response.StatusCode != 429)
            {
                return response;
            }

            var problem = XeroErrorParser.RateLimitProblem(response.Headers);
            if (problem == "day" || attempt >= maxRetries)
            {
                return response;
            }

            var delay = XeroErrorParser.RetryAfter(response.Headers, timeProvider.GetUtcNow()) ?? TimeSpan.FromSeconds(problem == "concurrent" ? 1 : 60);
            Log.RateLimitWait(logger, problem, XeroTokenManager.Hash(tenant), delay.TotalSeconds);
            response.Dispose();
            await governor.DelayAsync(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    private static HttpResponseMessage DayLimited(HttpRequestMessage request, TimeSpan retryAfter)
    {
        var response = new HttpResponseMessage((HttpStatusCode)429) { RequestMessage = request, Content = new StringContent(string.Empty) };
        response.Headers.TryAddWithoutValidation("X-Rate-Limit-Problem", "day");
        response.Headers.TryAddWithoutValidation("Retry-After", Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture));
        return response;
    }
}
