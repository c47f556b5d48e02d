namespace SyncKit.Xero;

/// <summary>A Xero OAuth2 token set.</summary>
public sealed record XeroTokenSet
{
    /// <summary>The access token (30 minutes).</summary>
    public required string AccessToken { get; init; }

    /// <summary>The refresh token (rotates on every refresh; none for custom connections).</summary>
    public string? RefreshToken { get; init; }

    /// <summary>The OpenID id token, when the openid scope was asked for.</summary>
    public string? IdToken { get; init; }

    /// <summary>When the access token expires.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The scopes granted.</summary>
    public string? Scope { get; init; }

    /// <summary>A description without the tokens themselves (tokens are never logged).</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"XeroTokenSet {{ ExpiresAt = {ExpiresAt:O}, Scope = {Scope} }}";
}

/// <summary>An organisation or practice a connection gives access to (<c>GET /connections</c>).</summary>
public sealed record XeroConnection
{
    /// <summary>The connection's id (what <c>DELETE /connections/{id}</c> takes; not the tenant id).</summary>
    public required string Id { get; init; }

    /// <summary>The tenant id: the <c>xero-tenant-id</c> header of API calls.</summary>
    public required string TenantId { get; init; }

    /// <summary>ORGANISATION, PRACTICE or PRACTICEMANAGER (an open set).</summary>
    public string? TenantType { get; init; }

    /// <summary>The organisation's name.</summary>
    public string? TenantName { get; init; }

    /// <summary>The consent that made the connection.</summary>
    public string? AuthEventId { get; init; }

    /// <summary>When the connection was made.</summary>
    public DateTimeOffset? CreatedDateUtc { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset? UpdatedDateUtc { get; init; }
}

/// <summary>A PKCE verifier and its S256 challenge, for public clients.</summary>
public sealed record XeroPkce
{
    /// <summary>The secret verifier: keep it (for example in the session) until the code is exchanged.</summary>
    public required string Verifier { get; init; }

    /// <summary>The challenge sent on the consent URL.</summary>
    public required string Challenge { get; init; }
}

/// <summary>The scopes of a connection: asked for, granted, and missing.</summary>
public sealed record XeroScopeStatus
{
    /// <summary>What SyncKit asks for at consent.</summary>
    public required IReadOnlyList<string> Requested { get; init; }

    /// <summary>What the connection was granted (from the token answer), or null when not known.</summary>
    public IReadOnlyList<string>? Granted { get; init; }

    /// <summary>Requested scopes the connection lacks: reconnect and grant them. Empty when none are missing or the grant is not known.</summary>
    public required IReadOnlyList<string> Missing { get; init; }
}
