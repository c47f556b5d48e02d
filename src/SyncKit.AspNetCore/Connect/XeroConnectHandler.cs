using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SyncKit.Authorization;
using SyncKit.Storage;
using SyncKit.Xero;
using SyncKit.Xero.Errors;

namespace SyncKit.AspNetCore.Connect;

/// <summary>The consent redirect and the callback of <c>MapXeroConnect</c>.</summary>
internal sealed partial class XeroConnectHandler(
    XeroAuthorization authorization,
    ISyncAuthorizer authorizer,
    TenantStore tenants,
    PendingConsentCookie cookie,
    XeroConnectOptions options,
    IOptions<XeroOptions> xeroOptions,
    TimeProvider time,
    ILogger logger)
{
    /// <summary><c>GET {prefix}/connect[?tenantId=..][&amp;returnUrl=..]</c>: checks, then sends the browser to Xero's consent page.</summary>
    public async Task<IResult> ConnectAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        var tenantId = context.Request.Query["tenantId"].FirstOrDefault() is { Length: > 0 } t ? t : null;
        var returnUrl = LocalUrl(context.Request.Query["returnUrl"].FirstOrDefault());
        if (!await IsAllowedAsync(context.User, tenantId, cancellationToken).ConfigureAwait(false))
        {
            return await AnswerAsync(context, Refused(tenantId, returnUrl)).ConfigureAwait(false);
        }

        string connectionKey;
        if (tenantId is not null)
        {
            // A reconnect: the tenant must be one SyncKit knows; its tokens go back under its own connection key.
            var state = await tenants.GetAsync(tenantId, cancellationToken).ConfigureAwait(false);
            if (state is null)
            {
                return await AnswerAsync(context, new XeroConnectOutcome
                {
                    Result = XeroConnectResult.UnknownTenant,
                    TenantId = tenantId,
                    ReturnUrl = returnUrl,
                    Message = $"No organisation with id '{tenantId}' was ever connected, so it cannot be reconnected. Connect it as a new organisation instead.",
                }).ConfigureAwait(false);
            }

            connectionKey = state.ConnectionKey ?? tenantId;
        }
        else
        {
            if (await ConnectionLimitAsync(cancellationToken).ConfigureAwait(false) is { } full)
            {
                return await AnswerAsync(context, full with { ReturnUrl = returnUrl }).ConfigureAwait(false);
            }

            connectionKey = options.ConnectionKey?.Invoke(context) ?? DefaultConnectionKey(context.User);
        }

        var pkce = XeroAuthorization.CreatePkce();
        var consent = new PendingConsent
        {
            State = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
            CodeVerifier = pkce.Verifier,
            ConnectionKey = connectionKey,
            TenantId = tenantId,
            ReturnUrl = returnUrl,
            ExpiresAt = time.GetUtcNow() + options.ConsentLifetime,
        };
        cookie.Write(context, consent);
        return Results.Redirect(authorization.GetConsentUrl(consent.State, pkce).ToString());
    }

    /// <summary><c>GET {prefix}/callback</c>: Xero's redirect back, with a code or an error.</summary>
    public async Task<IResult> CallbackAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        var query = context.Request.Query;
        var consent = cookie.Take(context);
        if (consent is null || consent.ExpiresAt <= time.GetUtcNow() || !consent.Matches(query["state"].FirstOrDefault()))
        {
            return await AnswerAsync(context, new XeroConnectOutcome
            {
                Result = XeroConnectResult.InvalidState,
                Message = consent is null
                    ? "This Xero sign-in was not started in this browser, or was already completed. Start connecting again."
                    : consent.ExpiresAt <= time.GetUtcNow()
                        ? "This Xero sign-in took too long and has expired. Start connecting again."
                        : "This Xero sign-in does not match the one started in this browser, so it was refused. Start connecting again.",
            }).ConfigureAwait(false);
        }

        var error = query["error"].FirstOrDefault();
        if (string.Equals(error, "access_denied", StringComparison.Ordinal))
        {
            return await AnswerAsync(context, new XeroConnectOutcome
            {
                Result = XeroConnectResult.Cancelled,
                TenantId = consent.TenantId,
                ReturnUrl = consent.ReturnUrl,
                Error = error,
                Message = "You cancelled connecting to Xero: nothing was connected. You can connect again at any time.",
            }).ConfigureAwait(false);
        }

        var code = query["code"].FirstOrDefault();
        if (error is not null || string.IsNullOrEmpty(code))
        {
            var description = query["error_description"].FirstOrDefault();
            return await AnswerAsync(context, new XeroConnectOutcome
            {
                Result = XeroConnectResult.Failed,
                TenantId = consent.TenantId,
                ReturnUrl = consent.ReturnUrl,
                Error = error ?? "no_code",
                Message = $"Xero did not connect the organisation: {description ?? error ?? "it sent no code back"}.",
            }).ConfigureAwait(false);
        }

        // The same user may have lost the right meanwhile; the callback acts for them too.
        if (!await IsAllowedAsync(context.User, consent.TenantId, cancellationToken).ConfigureAwait(false))
        {
            return await AnswerAsync(context, Refused(consent.TenantId, consent.ReturnUrl)).ConfigureAwait(false);
        }

        try
        {
            if (consent.TenantId is { } tenantId)
            {
                var reconnected = await authorization.ReconnectAsync(tenantId, code, consent.CodeVerifier, cancellationToken).ConfigureAwait(false);
                var name = reconnected.FirstOrDefault(c => string.Equals(c.TenantId, tenantId, StringComparison.OrdinalIgnoreCase))?.TenantName ?? tenantId;
                return await AnswerAsync(context, new XeroConnectOutcome
                {
                    Result = XeroConnectResult.Reconnected,
                    TenantId = tenantId,
                    ReturnUrl = consent.ReturnUrl,
                    Connections = reconnected,
                    Message = $"{name} is connected again; its next sync runs as usual.",
                }).ConfigureAwait(false);
            }

            var connections = await authorization.ConnectAsync(consent.ConnectionKey, code, consent.CodeVerifier, cancellationToken).ConfigureAwait(false);
            return await AnswerAsync(context, new XeroConnectOutcome
            {
                Result = XeroConnectResult.Connected,
                ReturnUrl = consent.ReturnUrl,
                Connections = connections,
                Message = connections.Count == 1
                    ? $"{connections[0].TenantName ?? connections[0].TenantId} is connected."
                    : $"{connections.Count} organisations are connected.",
            }).ConfigureAwait(false);
        }
        catch (XeroReconnectMismatchException ex)
        {
            return await AnswerAsync(context, new XeroConnectOutcome
            {
                Result = XeroConnectResult.OtherOrganisation,
                TenantId = consent.TenantId,
                ReturnUrl = consent.ReturnUrl,
                Connections = [],
                Message = ex.Message,
            }).ConfigureAwait(false);
        }
        catch (UnknownTenantException ex)
        {
            return await AnswerAsync(context, new XeroConnectOutcome { Result = XeroConnectResult.UnknownTenant, TenantId = ex.TenantId, ReturnUrl = consent.ReturnUrl, Message = ex.Message }).ConfigureAwait(false);
        }
        catch (XeroApiException ex)
        {
            return await AnswerAsync(context, new XeroConnectOutcome
            {
                Result = XeroConnectResult.Failed,
                TenantId = consent.TenantId,
                ReturnUrl = consent.ReturnUrl,
                Error = ex.Failure.ErrorType,
                Message = $"Xero refused to complete the connection ({ex.Failure.ErrorType}): start connecting again.",
            }).ConfigureAwait(false);
        }
    }

    private async Task<XeroConnectOutcome?> ConnectionLimitAsync(CancellationToken cancellationToken)
    {
        var limit = options.ConnectionLimit ?? (xeroOptions.Value.Tier is { } tier ? XeroTiers.ConnectionLimit(tier) : null);
        if (limit is not { } cap)
        {
            return null;
        }

        var connected = (await tenants.ListAsync(cancellationToken).ConfigureAwait(false)).Count(t => t.Connection == ConnectionState.Connected);
        return connected < cap
            ? null
            : new XeroConnectOutcome
            {
                Result = XeroConnectResult.ConnectionLimitReached,
                Message = $"The app's Xero plan allows {cap} connected organisations and all of them are in use, so Xero would not connect another one. " +
                    "Disconnect an organisation that is no longer used, or move the app to a higher Xero tier, then connect again.",
            };
    }

    private async ValueTask<bool> IsAllowedAsync(ClaimsPrincipal user, string? tenantId, CancellationToken cancellationToken) =>
        await authorizer.IsAllowedAsync(new SyncAuthorizationRequest { Permission = SyncPermission.Connect, User = user, TenantId = tenantId }, cancellationToken).ConfigureAwait(false);

    private static XeroConnectOutcome Refused(string? tenantId, string? returnUrl) => new()
    {
        Result = XeroConnectResult.Refused,
        TenantId = tenantId,
        ReturnUrl = returnUrl,
        Message = "You are not allowed to connect organisations to Xero. Ask an administrator.",
    };

    private async Task<IResult> AnswerAsync(HttpContext context, XeroConnectOutcome outcome)
    {
        Log.Outcome(logger, outcome.Result, outcome.TenantId, outcome.Error);
        if (options.OnOutcome is { } callback && await callback(context, outcome).ConfigureAwait(false) is { } hostResult)
        {
            return hostResult;
        }

        return ConnectPages.For(outcome);
    }

    private static string DefaultConnectionKey(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && user.FindFirstValue(ClaimTypes.NameIdentifier) is { Length: > 0 } id
            ? "user:" + id
            : "connection:" + Guid.NewGuid().ToString("N");

    /// <summary>Only a local path is followed back: an absolute URL would make the endpoint an open redirect.</summary>
    private static string? LocalUrl(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) ? url : null;

    private static partial class Log
    {
        [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Xero connect ended {Result} (tenant {TenantId}, error {Error})")]
        public static partial void Outcome(ILogger logger, XeroConnectResult result, string? tenantId, string? error);
    }
}
