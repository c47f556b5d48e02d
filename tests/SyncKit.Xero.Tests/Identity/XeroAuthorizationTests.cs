using System.Net;
using System.Security.Cryptography;
using System.Text;
using SyncKit.Xero.Tests.Infrastructure;

namespace SyncKit.Xero.Tests.Identity;

public sealed class XeroAuthorizationTests
{
    private static TokenTestContext Context() => new(
        new StubHttpHandler(r => r.Path switch
        {
            "/connect/token" => Responses.Fixture("token.json"),
            "/connections" => Responses.Fixture("connections.json"),
            _ when r.Method == HttpMethod.Delete => new HttpResponseMessage(HttpStatusCode.NoContent),
            _ => new HttpResponseMessage(HttpStatusCode.OK),
        }),
        o => o.RedirectUri = new Uri("https://host.test/xero/callback"));

    [Fact]
    public void GetConsentUrl_CarriesClientRedirectScopesStateAndThePkceChallenge()
    {
        var context = Context();
        var pkce = XeroAuthorization.CreatePkce();

        var url = context.Authorization.GetConsentUrl("state-123", pkce);

        Assert.Equal("http://xero.test/identity/connect/authorize", url.GetLeftPart(UriPartial.Path));
        var query = new RecordedRequest(HttpMethod.Get, url, new Dictionary<string, string>(), null, null);
        Assert.Equal("code", query.Query("response_type"));
        Assert.Equal("client-id", query.Query("client_id"));
        Assert.Equal("https://host.test/xero/callback", query.Query("redirect_uri"));
        Assert.Equal("offline_access accounting.settings", query.Query("scope"));
        Assert.Equal("state-123", query.Query("state"));
        Assert.Equal(pkce.Challenge, query.Query("code_challenge"));
        Assert.Equal("S256", query.Query("code_challenge_method"));
    }

    [Fact]
    public void CreatePkce_ChallengeIsTheBase64UrlSha256OfTheVerifier()
    {
        var pkce = XeroAuthorization.CreatePkce();

        var expected = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(pkce.Verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Assert.Equal(expected, pkce.Challenge);
        Assert.True(pkce.Verifier.Length >= 43);
    }

    [Fact]
    public async Task ConnectAsync_ExchangesTheCodeSavesTheTokensAndListsTheConnections()
    {
        var context = Context();

        var connections = await context.Authorization.ConnectAsync(TokenTestContext.Connection, "the-code", "the-verifier");

        var exchange = context.Handler.Requests[0];
        Assert.Equal("/connect/token", exchange.Path);
        Assert.Equal("grant_type=authorization_code&code=the-code&redirect_uri=https%3A%2F%2Fhost.test%2Fxero%2Fcallback&code_verifier=the-verifier", exchange.Body);
        Assert.Equal("refresh-2", context.Read(context.Store.Saves.Single()).RefreshToken);
        var list = context.Handler.Requests[1];
        Assert.Equal("/connections", list.Path);
        Assert.Equal("Bearer access-2", list.Header("Authorization"));
        Assert.Null(list.Header("xero-tenant-id"));
        Assert.Equal(2, connections.Count);
        Assert.Equal("11111111-2222-3333-4444-555555555555", connections[0].TenantId);
        Assert.Equal("ORGANISATION", connections[0].TenantType);
        Assert.Equal("PRACTICEMANAGER", connections[1].TenantType);
    }

    [Fact]
    public async Task DisconnectAsync_DeletesTheConnectionById()
    {
        var context = Context();
        await context.StoreTokenAsync(TimeSpan.FromMinutes(20));

        await context.Authorization.DisconnectAsync(TokenTestContext.Connection, "e1eede29-f875-4a5d-8470-17f6a29a88b1");

        var request = Assert.Single(context.Handler.Requests);
        Assert.Equal(HttpMethod.Delete, request.Method);
        Assert.Equal("/connections/e1eede29-f875-4a5d-8470-17f6a29a88b1", request.Path);
    }

    [Fact]
    public async Task ExchangeCodeAsync_RefusedCode_ThrowsWithTheOAuthError()
    {
        var context = new TokenTestContext(new StubHttpHandler(_ => Responses.Fixture("token-invalid-grant.json", HttpStatusCode.BadRequest)));

        var ex = await Assert.ThrowsAsync<XeroAuthorizationException>(() => context.Authorization.ExchangeCodeAsync("stale-code"));

        Assert.Equal("invalid_grant", ex.Error);
    }

    [Fact]
    public void TokenSetToString_NeverShowsTheTokens()
    {
        var tokens = new XeroTokenSet { AccessToken = "secret-access", RefreshToken = "secret-refresh", ExpiresAt = DateTimeOffset.UnixEpoch };

        Assert.DoesNotContain("secret", tokens.ToString(), StringComparison.Ordinal);
    }
}
