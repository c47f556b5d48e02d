using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using SyncKit.Xero.Api;
using SyncKit.Xero.Errors;

namespace SyncKit.Xero.Identity;

/// <summary>The OAuth2 token endpoint: code exchange, refresh, client credentials, revocation.</summary>
internal sealed class XeroTokenClient(IHttpClientFactory httpClientFactory, IOptions<XeroOptions> options, TimeProvider timeProvider, XeroScopePlan? scopes = null)
{
    private readonly XeroOptions _options = options.Value;
    private readonly XeroScopePlan _scopes = scopes ?? new XeroScopePlan(options, []);

    /// <summary>Token requests made (for tests and diagnostics).</summary>
    public int RequestCount => _requestCount;

    private int _requestCount;

    public Task<XeroTokenSet> ExchangeCodeAsync(string code, string? codeVerifier, CancellationToken cancellationToken = default)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "authorization_code"),
            new("code", code),
        };
        if (_options.RedirectUri is { } redirect)
        {
            form.Add(new("redirect_uri", redirect.ToString()));
        }

        if (codeVerifier is not null)
        {
            form.Add(new("code_verifier", codeVerifier));
        }

        return RequestAsync(form, null, cancellationToken);
    }

    public Task<XeroTokenSet> RefreshAsync(string refreshToken, CancellationToken cancellationToken = default) =>
        RequestAsync([new("grant_type", "refresh_token"), new("refresh_token", refreshToken)], refreshToken, cancellationToken);

    public Task<XeroTokenSet> ClientCredentialsAsync(CancellationToken cancellationToken = default)
    {
        var form = new List<KeyValuePair<string, string>> { new("grant_type", "client_credentials") };
        var scopes = _scopes.ForClientCredentials;
        if (scopes.Count > 0)
        {
            form.Add(new("scope", string.Join(' ', scopes)));
        }

        return RequestAsync(form, null, cancellationToken);
    }

    public async Task RevokeAsync(string refreshToken, CancellationToken cancellationToken = default)
    {
        using var request = CreateRequest("connect/revocation", [new("token", refreshToken)]);
        using var response = await Client().SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new XeroAuthorizationException(XeroErrorParser.FromTokenError(response.StatusCode, body));
        }
    }

    private async Task<XeroTokenSet> RequestAsync(List<KeyValuePair<string, string>> form, string? previousRefreshToken, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requestCount);
        using var request = CreateRequest("connect/token", form);
        using var response = await Client().SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new XeroAuthorizationException(XeroErrorParser.FromTokenError(response.StatusCode, body));
        }

        OAuthTokenResponse? token;
        try
        {
            token = JsonSerializer.Deserialize(body, XeroJsonContext.Default.OAuthTokenResponse);
        }
        catch (JsonException)
        {
            token = null;
        }

        if (token?.AccessToken is not { Length: > 0 } accessToken)
        {
            throw new XeroAuthorizationException(XeroErrorParser.FromTokenError(response.StatusCode, body));
        }

        return new XeroTokenSet
        {
            AccessToken = accessToken,
            RefreshToken = token.RefreshToken ?? previousRefreshToken,
            IdToken = token.IdToken,
            Scope = token.Scope,
            ExpiresAt = timeProvider.GetUtcNow().AddSeconds(token.ExpiresIn is > 0 ? token.ExpiresIn.Value : 1800),
        };
    }

    private HttpRequestMessage CreateRequest(string path, List<KeyValuePair<string, string>> form)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, XeroUrls.Under(_options.IdentityBaseUrl, path));
        if (!string.IsNullOrEmpty(_options.ClientSecret))
        {
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_options.ClientId}:{_options.ClientSecret}"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
        }
        else
        {
            form.Add(new("client_id", _options.ClientId ?? string.Empty));
        }

        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Content = new FormUrlEncodedContent(form);
        return request;
    }

    private HttpClient Client() => httpClientFactory.CreateClient(XeroHttpClientNames.Identity);
}
