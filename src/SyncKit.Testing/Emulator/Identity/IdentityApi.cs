using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SyncKit.Testing.Emulator.Http;
using SyncKit.Testing.Emulator.State;

namespace SyncKit.Testing.Emulator.Identity;

/// <summary><c>/connect/token</c>, <c>/connect/revocation</c>, <c>/identity/connect/authorize</c> and <c>/connections</c>.</summary>
internal sealed class IdentityApi
{
    private readonly EmulatorHost _host;

    public IdentityApi(EmulatorHost host) => _host = host;

    public EmulatorResponse HandleIdentity(EmulatorRequest request)
    {
        var path = request.Path.TrimEnd('/').ToUpperInvariant();
        return (path, request.Method.ToUpperInvariant()) switch
        {
            ("/CONNECT/TOKEN", "POST") => Token(request),
            ("/CONNECT/REVOCATION", "POST") => Revocation(request),
            ("/IDENTITY/CONNECT/AUTHORIZE" or "/CONNECT/AUTHORIZE", "GET") => Authorize(request),
            _ => EmulatorResponse.Text(HttpStatusCode.NotFound, XeroMessages.NotFound.Template),
        };
    }

    public EmulatorResponse HandleConnections(EmulatorRequest request)
    {
        var header = request.Header("Authorization");
        var bearer = header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
        var grant = _host.Tokens.Authenticate(bearer, out var failure);
        if (grant is null)
        {
            return EmulatorResponse.Problem(HttpStatusCode.Unauthorized, "Unauthorized", failure!, _host.Ids.NewGuid());
        }

        var segments = request.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var method = request.Method.ToUpperInvariant();
        if (method == "GET" && segments.Length == 1)
        {
            var authEventFilter = request.QueryValue("authEventId");
            var list = new JsonArray();
            foreach (var connection in _host.Tokens.ActiveConnections(grant))
            {
                if (authEventFilter is not null && !string.Equals(authEventFilter, grant.AuthEventId.ToString(), StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var tenant = _host.FindTenant(connection.TenantId);
                if (tenant is null)
                {
                    continue;
                }

                list.Add(new JsonObject
                {
                    ["id"] = connection.Id.ToString(),
                    ["authEventId"] = grant.AuthEventId.ToString(),
                    ["tenantId"] = tenant.TenantId.ToString(),
                    ["tenantType"] = tenant.IsPractice ? "PRACTICEMANAGER" : "ORGANISATION",
                    ["tenantName"] = tenant.Name,
                    ["createdDateUtc"] = connection.Created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", System.Globalization.CultureInfo.InvariantCulture),
                    ["updatedDateUtc"] = connection.Created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", System.Globalization.CultureInfo.InvariantCulture),
                });
            }

            return EmulatorResponse.Json(HttpStatusCode.OK, list);
        }

        if (method == "DELETE" && segments.Length == 2 && Guid.TryParse(segments[1], out var connectionId))
        {
            return _host.Tokens.Disconnect(grant, connectionId)
                ? EmulatorResponse.Empty(HttpStatusCode.NoContent)
                : EmulatorResponse.Text(HttpStatusCode.NotFound, XeroMessages.NotFound.Template);
        }

        return EmulatorResponse.Text(HttpStatusCode.NotFound, XeroMessages.NotFound.Template);
    }

    private EmulatorResponse Token(EmulatorRequest request)
    {
        var form = EmulatorRequest.ParseQuery(request.BodyText);
        var app = Client(request, form, out var clientError);
        if (app is null)
        {
            return OAuthError(clientError!, HttpStatusCode.BadRequest);
        }

        var grantType = form.GetValueOrDefault("grant_type");
        TokenStore.TokenResult result;
        switch (grantType)
        {
            case "authorization_code":
                result = _host.Tokens.ExchangeCode(app, form.GetValueOrDefault("code") ?? string.Empty, form.GetValueOrDefault("redirect_uri"), form.GetValueOrDefault("code_verifier"));
                break;
            case "refresh_token":
                result = _host.Tokens.Refresh(app, form.GetValueOrDefault("refresh_token") ?? string.Empty);
                break;
            case "client_credentials":
                var tenants = _host.Tenants.Select(t => t.TenantId).ToList();
                var requested = form.GetValueOrDefault("scope") ?? "accounting.transactions accounting.contacts accounting.settings";
                if (!ScopeRules.Allowed(app, ScopeRules.Parse(requested)))
                {
                    // A custom connection created after 29 April 2026 is refused broad scopes when it asks for a token.
                    return OAuthError("invalid_scope", HttpStatusCode.BadRequest, XeroMessages.ClientCredentialsScope.Template);
                }

                result = _host.Tokens.ClientCredentials(app, tenants, requested);
                break;
            default:
                return OAuthError("unsupported_grant_type", HttpStatusCode.BadRequest);
        }

        if (result.Error is not null)
        {
            return OAuthError(result.Error, HttpStatusCode.BadRequest);
        }

        var tokens = result.Tokens!;
        var body = new JsonObject();
        if (grantType != "client_credentials")
        {
            body["id_token"] = tokens.AccessToken.Split('.')[0] + "." + tokens.AccessToken.Split('.')[1] + "." + _host.Ids.NewToken(16);
        }

        body["access_token"] = tokens.AccessToken;
        body["expires_in"] = tokens.ExpiresIn;
        body["token_type"] = "Bearer";
        if (tokens.RefreshToken is not null)
        {
            body["refresh_token"] = tokens.RefreshToken;
        }

        body["scope"] = tokens.Scope;
        return EmulatorResponse.Json(HttpStatusCode.OK, body);
    }

    private EmulatorResponse Revocation(EmulatorRequest request)
    {
        var form = EmulatorRequest.ParseQuery(request.BodyText);
        if (Client(request, form, out var error) is null)
        {
            return OAuthError(error!, HttpStatusCode.BadRequest);
        }

        _host.Tokens.Revoke(form.GetValueOrDefault("token") ?? string.Empty);
        return EmulatorResponse.Empty(HttpStatusCode.OK);
    }

    private EmulatorResponse Authorize(EmulatorRequest request)
    {
        var clientId = request.QueryValue("client_id");
        var redirect = request.QueryValue("redirect_uri");
        var app = clientId is null ? null : _host.Tokens.FindApp(clientId);
        if (app is null || string.IsNullOrEmpty(redirect) || !Uri.TryCreate(redirect, UriKind.Absolute, out var redirectUri))
        {
            return EmulatorResponse.Text(HttpStatusCode.BadRequest, "invalid_request");
        }

        var scope = request.QueryValue("scope") ?? "openid offline_access";
        var state = request.QueryValue("state");
        if (!ScopeRules.Allowed(app, ScopeRules.Parse(scope)))
        {
            // An app created on or after 2 March 2026 asked for accounting.transactions: no consent, no code.
            return Redirect(redirectUri, new StringBuilder("error=invalid_scope&error_description=")
                .Append(Uri.EscapeDataString(XeroMessages.InvalidScopeForClient.Template)), state);
        }

        if (string.Equals(request.QueryValue("deny"), "true", StringComparison.OrdinalIgnoreCase))
        {
            // The user pressed Cancel on the consent page: Xero sends them back with access_denied and no code.
            return Redirect(redirectUri, new StringBuilder("error=access_denied&error_description=")
                .Append(Uri.EscapeDataString("The user denied the request.")), state);
        }

        var tenants = request.QueryValue("tenantId") is { Length: > 0 } requested
            ? requested.Split(',').Select(s => Guid.TryParse(s, out var g) ? g : Guid.Empty).Where(g => _host.FindTenant(g) is not null).ToList()
            : _host.Tenants.Select(t => t.TenantId).ToList();
        if (app.ConnectionLimit is { } cap && _host.Tokens.ConnectedTenantCount(app) + tenants.Count(t => !_host.Tokens.IsConnected(app, t)) > cap)
        {
            // The tier's connection cap: Xero sends the user to its connection-limit page and no code comes back.
            var limited = EmulatorResponse.Empty(HttpStatusCode.Found);
            limited.Headers["Location"] = XeroMessages.ConnectionLimitPage.Template;
            return limited;
        }

        var challenge = string.Equals(request.QueryValue("code_challenge_method"), "S256", StringComparison.Ordinal) ? request.QueryValue("code_challenge") : null;
        var code = _host.Tokens.CreateCode(app, redirect, tenants, scope, challenge);
        return Redirect(redirectUri, new StringBuilder("code=").Append(Uri.EscapeDataString(code)).Append("&scope=").Append(Uri.EscapeDataString(scope)), state);
    }

    private static EmulatorResponse Redirect(Uri redirectUri, StringBuilder query, string? state)
    {
        if (state is not null)
        {
            query.Append("&state=").Append(Uri.EscapeDataString(state));
        }

        var location = redirectUri.GetLeftPart(UriPartial.Path) + (string.IsNullOrEmpty(redirectUri.Query) ? "?" : redirectUri.Query + "&") + query;
        var response = EmulatorResponse.Empty(HttpStatusCode.Found);
        response.Headers["Location"] = location;
        return response;
    }

    private TokenStore.App? Client(EmulatorRequest request, IReadOnlyDictionary<string, string> form, out string? error)
    {
        error = null;
        string? clientId = null;
        string? secret = null;
        var header = request.Header("Authorization");
        if (header is not null && header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                clientId = Uri.UnescapeDataString(colon < 0 ? decoded : decoded[..colon]);
                secret = colon < 0 ? null : Uri.UnescapeDataString(decoded[(colon + 1)..]);
            }
            catch (FormatException)
            {
                error = "invalid_client";
                return null;
            }
        }
        else
        {
            clientId = form.GetValueOrDefault("client_id");
            secret = form.GetValueOrDefault("client_secret");
        }

        var app = clientId is null ? null : _host.Tokens.FindApp(clientId);
        var isPkce = secret is null && form.ContainsKey("code_verifier");
        if (app is null || (!isPkce && !string.Equals(app.ClientSecret, secret, StringComparison.Ordinal)))
        {
            error = "invalid_client";
            return null;
        }

        return app;
    }

    private static EmulatorResponse OAuthError(string error, HttpStatusCode status, string? description = null)
    {
        var body = new JsonObject { ["error"] = error };
        if (description is not null)
        {
            body["error_description"] = description;
        }

        return EmulatorResponse.Json(status, body);
    }
}
