using System.Text;
using System.Text.Json.Nodes;
using SyncKit.Testing.Emulator.State;

namespace SyncKit.Testing.Emulator.Identity;

/// <summary>Apps, grants (one per user consent or custom connection), connections and tokens.</summary>
internal sealed class TokenStore
{
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan RefreshTokenLifetime = TimeSpan.FromDays(60);
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(5);

    /// <summary>Xero's grace: a used refresh token may be sent again for 30 minutes (its answer may have been lost).</summary>
    public static readonly TimeSpan RefreshGrace = TimeSpan.FromMinutes(30);

    private readonly Lock _gate = new();
    private readonly IdGenerator _ids;
    private readonly TimeProvider _clock;
    private readonly Dictionary<string, App> _apps = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, Grant> _grants = [];
    private readonly Dictionary<string, AccessToken> _accessTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RefreshToken> _refreshTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AuthCode> _codes = new(StringComparer.Ordinal);

    public TokenStore(IdGenerator ids, TimeProvider clock)
    {
        _ids = ids;
        _clock = clock;
        // The default app predates the 2026 changes: broad scopes, Xero's long-standing limits, no connection cap.
        DefaultApp = CreateApp("SyncKit Emulator App", new DateOnly(2025, 1, 1), EmulatorTier.Legacy, customConnection: false, connectionLimit: null);
    }

    public App DefaultApp { get; }

    public App CreateApp(string name, DateOnly createdOn, EmulatorTier tier, bool customConnection, int? connectionLimit)
    {
        lock (_gate)
        {
            var app = new App(_ids.NewHex(32).ToUpperInvariant(), _ids.NewToken(36), name)
            {
                CreatedOn = createdOn,
                Tier = tier,
                CustomConnection = customConnection,
                ConnectionLimit = connectionLimit ?? tier switch
                {
                    EmulatorTier.Starter => 5,
                    EmulatorTier.Core => 50,
                    EmulatorTier.Plus => 1_000,
                    EmulatorTier.Advanced => 10_000,
                    _ => null,
                },
            };
            _apps[app.ClientId] = app;
            return app;
        }
    }

    public App? FindApp(string clientId)
    {
        lock (_gate)
        {
            return _apps.GetValueOrDefault(clientId);
        }
    }

    /// <summary>Creates a grant connecting the given tenants and issues its first token set.</summary>
    public TokenSet CreateGrant(App app, IReadOnlyList<Guid> tenantIds, string scope, bool withRefreshToken)
    {
        lock (_gate)
        {
            var now = _clock.GetUtcNow();
            var grant = new Grant(_ids.NewGuid(), app.ClientId, _ids.NewGuid(), scope, _ids.NewGuid());
            foreach (var tenantId in tenantIds)
            {
                grant.Connections.Add(new Connection(_ids.NewGuid(), tenantId, now));
            }

            _grants[grant.Id] = grant;
            return Issue(grant, withRefreshToken, now);
        }
    }

    public string CreateCode(App app, string redirectUri, IReadOnlyList<Guid> tenantIds, string scope, string? codeChallenge = null)
    {
        lock (_gate)
        {
            var code = _ids.NewToken(24);
            _codes[code] = new AuthCode(app.ClientId, redirectUri, tenantIds, scope, _clock.GetUtcNow() + CodeLifetime, codeChallenge);
            return code;
        }
    }

    public TokenResult ExchangeCode(App app, string code, string? redirectUri, string? codeVerifier = null)
    {
        AuthCode? auth;
        lock (_gate)
        {
            if (!_codes.Remove(code, out auth) || auth.ClientId != app.ClientId || auth.ExpiresAt <= _clock.GetUtcNow()
                || (redirectUri is not null && !string.Equals(redirectUri, auth.RedirectUri, StringComparison.Ordinal))
                || !PkceMatches(auth.CodeChallenge, codeVerifier))
            {
                return TokenResult.Fail("invalid_grant");
            }
        }

        return TokenResult.Ok(CreateGrant(app, auth.TenantIds, auth.Scope, auth.Scope.Contains("offline_access", StringComparison.Ordinal)));
    }

    public TokenResult Refresh(App app, string refreshToken)
    {
        lock (_gate)
        {
            var now = _clock.GetUtcNow();
            // A used token is refused, except within Xero's grace period after its use.
            if (!_refreshTokens.TryGetValue(refreshToken, out var token) || token.ExpiresAt <= now
                || (!token.Active && !(token.UsedAt is { } used && now < used + RefreshGrace)))
            {
                return TokenResult.Fail("invalid_grant");
            }

            var grant = _grants[token.GrantId];
            if (grant.ClientId != app.ClientId)
            {
                return TokenResult.Fail("invalid_grant");
            }

            if (grant.Revoked)
            {
                return TokenResult.Fail("invalid_grant");
            }

            if (token.Active)
            {
                token.Active = false;
                token.UsedAt = now;
            }

            return TokenResult.Ok(Issue(grant, withRefreshToken: true, now));
        }
    }

    public TokenResult ClientCredentials(App app, IReadOnlyList<Guid> tenantIds, string scope) =>
        TokenResult.Ok(CreateGrant(app, tenantIds, scope, withRefreshToken: false));

    /// <summary>Revokes the grant a refresh or access token belongs to: all its tokens die.</summary>
    public bool Revoke(string token)
    {
        lock (_gate)
        {
            Guid? grantId = _refreshTokens.TryGetValue(token, out var refresh) ? refresh.GrantId
                : _accessTokens.TryGetValue(token, out var access) ? access.GrantId : null;
            if (grantId is not { } id)
            {
                return false;
            }

            RevokeGrant(id);
            return true;
        }
    }

    public void RevokeGrant(Guid grantId)
    {
        lock (_gate)
        {
            if (_grants.TryGetValue(grantId, out var grant))
            {
                grant.Revoked = true;
            }

            foreach (var refresh in _refreshTokens.Values.Where(r => r.GrantId == grantId))
            {
                refresh.Active = false;
            }
        }
    }

    /// <summary>Validates a bearer token; null and a reason when it is not usable.</summary>
    public Grant? Authenticate(string? bearer, out string? failure)
    {
        lock (_gate)
        {
            failure = null;
            if (bearer is null || !_accessTokens.TryGetValue(bearer, out var token))
            {
                failure = XeroMessages.TokenInvalid.Template;
                return null;
            }

            if (token.ExpiresAt <= _clock.GetUtcNow())
            {
                failure = XeroMessages.TokenExpired.Format(token.ExpiresAt.UtcDateTime.ToString("MM/dd/yyyy HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
                return null;
            }

            var grant = _grants[token.GrantId];
            if (grant.Revoked)
            {
                failure = XeroMessages.TokenInvalid.Template;
                return null;
            }

            return grant;
        }
    }

    public IReadOnlyList<Connection> ActiveConnections(Grant grant)
    {
        lock (_gate)
        {
            return grant.Connections.Where(c => !c.Deleted).ToList();
        }
    }

    public bool Disconnect(Grant grant, Guid connectionId)
    {
        lock (_gate)
        {
            var connection = grant.Connections.FirstOrDefault(c => c.Id == connectionId && !c.Deleted);
            if (connection is null)
            {
                return false;
            }

            connection.Deleted = true;
            return true;
        }
    }

    public void DisconnectTenantEverywhere(Guid tenantId)
    {
        lock (_gate)
        {
            foreach (var connection in _grants.Values.SelectMany(g => g.Connections).Where(c => c.TenantId == tenantId))
            {
                connection.Deleted = true;
            }
        }
    }

    private TokenSet Issue(Grant grant, bool withRefreshToken, DateTimeOffset now)
    {
        var expires = now + AccessTokenLifetime;
        var access = Jwt(grant, now, expires);
        _accessTokens[access] = new AccessToken(grant.Id, expires);
        string? refresh = null;
        if (withRefreshToken)
        {
            refresh = _ids.NewHex(64);
            _refreshTokens[refresh] = new RefreshToken(grant.Id, now + RefreshTokenLifetime) { Active = true };
        }

        return new TokenSet(access, refresh, (int)AccessTokenLifetime.TotalSeconds, grant.Scope, grant);
    }

    // An unsigned JWT-shaped token so clients that read claims (exp, authentication_event_id) can.
    private string Jwt(Grant grant, DateTimeOffset now, DateTimeOffset expires)
    {
        static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var header = new JsonObject { ["alg"] = "none", ["typ"] = "JWT" }.ToJsonString();
        var payload = new JsonObject
        {
            ["iss"] = "https://identity.xero.com",
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = expires.ToUnixTimeSeconds(),
            ["client_id"] = grant.ClientId,
            ["xero_userid"] = grant.UserId.ToString(),
            ["authentication_event_id"] = grant.AuthEventId.ToString(),
            ["jti"] = _ids.NewHex(32),
            ["scope"] = new JsonArray(grant.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => (JsonNode?)s).ToArray()),
        }.ToJsonString();
        return B64(header) + "." + B64(payload) + "." + _ids.NewToken(32);
    }

    /// <summary>The organisations an app is connected to now (every live grant's connections): what its tier caps.</summary>
    public int ConnectedTenantCount(App app)
    {
        lock (_gate)
        {
            return _grants.Values
                .Where(g => g.ClientId == app.ClientId && !g.Revoked)
                .SelectMany(g => g.Connections)
                .Where(c => !c.Deleted)
                .Select(c => c.TenantId)
                .Distinct()
                .Count();
        }
    }

    /// <summary>Whether an app is already connected to a tenant (connecting it again does not count against the cap).</summary>
    public bool IsConnected(App app, Guid tenantId)
    {
        lock (_gate)
        {
            return _grants.Values.Any(g => g.ClientId == app.ClientId && !g.Revoked && g.Connections.Any(c => !c.Deleted && c.TenantId == tenantId));
        }
    }

    internal sealed record App(string ClientId, string ClientSecret, string Name)
    {
        public DateOnly CreatedOn { get; init; }

        public EmulatorTier Tier { get; init; }

        public bool CustomConnection { get; init; }

        public int? ConnectionLimit { get; init; }

        /// <summary>The tier's daily call limit per organisation (Starter 1,000), or null for Xero's default.</summary>
        public int? DayLimit => Tier == EmulatorTier.Starter ? 1_000 : null;
    }

    internal sealed class Grant(Guid id, string clientId, Guid authEventId, string scope, Guid userId)
    {
        public Guid Id { get; } = id;

        public string ClientId { get; } = clientId;

        public Guid AuthEventId { get; } = authEventId;

        public string Scope { get; } = scope;

        /// <summary>The scopes granted (the JWT's <c>scope</c> array).</summary>
        public IReadOnlySet<string> Scopes { get; } = ScopeRules.Parse(scope);

        public Guid UserId { get; } = userId;

        public List<Connection> Connections { get; } = [];

        public bool Revoked { get; set; }
    }

    internal sealed class Connection(Guid id, Guid tenantId, DateTimeOffset created)
    {
        public Guid Id { get; } = id;

        public Guid TenantId { get; } = tenantId;

        public DateTimeOffset Created { get; } = created;

        public bool Deleted { get; set; }
    }

    internal sealed record TokenSet(string AccessToken, string? RefreshToken, int ExpiresIn, string Scope, Grant Grant);

    internal sealed record TokenResult(TokenSet? Tokens, string? Error)
    {
        public static TokenResult Ok(TokenSet tokens) => new(tokens, null);

        public static TokenResult Fail(string error) => new(null, error);
    }

    private sealed record AccessToken(Guid GrantId, DateTimeOffset ExpiresAt);

    private sealed record RefreshToken(Guid GrantId, DateTimeOffset ExpiresAt)
    {
        public bool Active { get; set; }

        public DateTimeOffset? UsedAt { get; set; }
    }

    /// <summary>A code asked for with a PKCE challenge is exchanged only with the verifier whose S256 hash it is (RFC 7636).</summary>
    private static bool PkceMatches(string? challenge, string? verifier)
    {
        if (challenge is null)
        {
            return true;
        }

        if (verifier is null)
        {
            return false;
        }

        var hash = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(verifier)))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return string.Equals(hash, challenge, StringComparison.Ordinal);
    }

    private sealed record AuthCode(string ClientId, string RedirectUri, IReadOnlyList<Guid> TenantIds, string Scope, DateTimeOffset ExpiresAt, string? CodeChallenge = null);
}
