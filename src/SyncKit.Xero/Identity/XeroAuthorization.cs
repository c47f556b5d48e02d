using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using SyncKit.Storage;
using SyncKit.Xero.Api;
using SyncKit.Xero.Errors;
using SyncKit.Xero.Identity;

namespace SyncKit.Xero;

/// <summary>Connects organisations to SyncKit: consent URL, code exchange, custom connections, the connections list and disconnecting.</summary>
/// <remarks>
/// Resolve it from DI after <c>AddXeroConnector</c>. Tokens are saved protected (see <see cref="ITokenProtector"/>)
/// under a connection key of your choice — one per user connection; every organisation that user connected
/// shares it (see <see cref="XeroOptions.ConnectionKeyForTenant"/>).
/// </remarks>
public sealed partial class XeroAuthorization
{
    private readonly XeroTokenClient _tokenClient;
    private readonly XeroTokenManager _tokenManager;
    private readonly IHttpClientFactory _httpClientFactory;
    private readonly XeroOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly TenantStore? _tenants;
    private readonly XeroScopePlan _scopes;
    private readonly SyncKit.Offboarding.TenantOffboarding? _offboarding;
    private readonly RunLog? _runs;

    internal XeroAuthorization(XeroTokenClient tokenClient, XeroTokenManager tokenManager, IHttpClientFactory httpClientFactory, IOptions<XeroOptions> options, TimeProvider timeProvider)
        : this(tokenClient, tokenManager, httpClientFactory, options, timeProvider, tenants: null, scopes: null)
    {
    }

    internal XeroAuthorization(
        XeroTokenClient tokenClient,
        XeroTokenManager tokenManager,
        IHttpClientFactory httpClientFactory,
        IOptions<XeroOptions> options,
        TimeProvider timeProvider,
        TenantStore? tenants,
        XeroScopePlan? scopes,
        SyncKit.Offboarding.TenantOffboarding? offboarding = null,
        RunLog? runs = null)
    {
        _tenants = tenants;
        _offboarding = offboarding;
        _runs = runs;
        _scopes = scopes ?? new XeroScopePlan(options, []);
        _timeProvider = timeProvider;
        _tokenClient = tokenClient;
        _tokenManager = tokenManager;
        _httpClientFactory = httpClientFactory;
        _options = options.Value;
    }

    /// <summary>Creates a PKCE verifier and challenge (S256).</summary>
    /// <returns>The pair: send the challenge with <see cref="GetConsentUrl"/>, keep the verifier for <see cref="ExchangeCodeAsync"/>.</returns>
    public static XeroPkce CreatePkce()
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        return new XeroPkce { Verifier = verifier, Challenge = challenge };
    }

    /// <summary>The URL to send the user's browser to, to approve the connection.</summary>
    /// <param name="state">An unguessable value you check when Xero redirects back (against CSRF).</param>
    /// <param name="pkce">A PKCE pair for public clients, or null.</param>
    /// <returns>The consent URL.</returns>
    public Uri GetConsentUrl(string state, XeroPkce? pkce = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(state);
        if (_options.RedirectUri is null)
        {
            throw new InvalidOperationException("XeroOptions.RedirectUri is not set: set it to the redirect URI registered for the app in the Xero developer portal.");
        }

        var query = new List<KeyValuePair<string, string>>
        {
            new("response_type", "code"),
            new("client_id", _options.ClientId ?? string.Empty),
            new("redirect_uri", _options.RedirectUri.ToString()),
            new("scope", string.Join(' ', _scopes.Requested)),
            new("state", state),
        };
        if (pkce is not null)
        {
            query.Add(new("code_challenge", pkce.Challenge));
            query.Add(new("code_challenge_method", "S256"));
        }

        var text = string.Join('&', query.Select(q => Uri.EscapeDataString(q.Key) + "=" + Uri.EscapeDataString(q.Value)));
        return XeroUrls.Under(_options.LoginBaseUrl, "identity/connect/authorize?" + text);
    }

    /// <summary>The scopes SyncKit asks for at consent: <see cref="XeroOptions.Scopes"/> when set, else derived from the kinds the host syncs.</summary>
    /// <remarks>Register these (granular) scopes for the app in the Xero developer portal; see docs/xero-setup.md.</remarks>
    public IReadOnlyList<string> RequestedScopes => _scopes.Requested;

    /// <summary>The scopes a connection needs and lacks, for its status ("reconnect to grant ...").</summary>
    /// <param name="connectionKey">The connection.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>What it was granted and what it misses of <see cref="RequestedScopes"/>.</returns>
    public async Task<XeroScopeStatus> GetScopeStatusAsync(string connectionKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionKey);
        var granted = await _tokenManager.GetGrantedScopesAsync(connectionKey, cancellationToken).ConfigureAwait(false);
        return new XeroScopeStatus
        {
            Requested = _scopes.Requested,
            Granted = granted?.Order(StringComparer.Ordinal).ToArray(),
            Missing = granted is null
                ? []
                : _scopes.Requested.Where(s => !string.Equals(s, XeroScopes.OfflineAccess, StringComparison.Ordinal) && !XeroScopes.Covers(granted, s)).ToArray(),
        };
    }

    /// <summary>Exchanges the code Xero redirected back with for a token set (not saved).</summary>
    /// <param name="code">The code.</param>
    /// <param name="codeVerifier">The PKCE verifier, when the consent URL carried a challenge.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The tokens.</returns>
    /// <exception cref="XeroAuthorizationException">The token endpoint refused the code.</exception>
    public Task<XeroTokenSet> ExchangeCodeAsync(string code, string? codeVerifier = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(code);
        return _tokenClient.ExchangeCodeAsync(code, codeVerifier, cancellationToken);
    }

    /// <summary>
    /// Exchanges the code, saves the tokens under <paramref name="connectionKey"/>, registers every organisation the
    /// connection gives access to as a SyncKit tenant (its id is the Xero tenant id; its name, type and connection are
    /// kept), and lists them.
    /// </summary>
    /// <remarks>
    /// Registered tenants are found by the scheduler and the health check, and their calls use this connection with no
    /// host code. An organisation that was connected before under another key moves to this one: Xero supersedes a
    /// user's earlier token set when the same user consents again.
    /// </remarks>
    /// <param name="connectionKey">Where to keep the tokens (one key per user connection).</param>
    /// <param name="code">The code.</param>
    /// <param name="codeVerifier">The PKCE verifier, if any.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The connected organisations and practices.</returns>
    public async Task<IReadOnlyList<XeroConnection>> ConnectAsync(string connectionKey, string code, string? codeVerifier = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionKey);
        var tokens = await ExchangeCodeAsync(code, codeVerifier, cancellationToken).ConfigureAwait(false);
        await SaveTokensAsync(connectionKey, tokens, cancellationToken).ConfigureAwait(false);
        var connections = await GetConnectionsAsync(connectionKey, cancellationToken).ConfigureAwait(false);
        await RegisterAsync(connectionKey, connections, cancellationToken).ConfigureAwait(false);
        return connections;
    }

    /// <summary>Saves a token set (protected) under a connection key.</summary>
    /// <param name="connectionKey">The connection.</param>
    /// <param name="tokens">The tokens.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task.</returns>
    /// <remarks>
    /// Saving new tokens is reconnecting: every SyncKit tenant served by this connection that a refused token or a
    /// removed connection had marked Disconnected is marked Connected again, so its next run syncs.
    /// </remarks>
    public async Task SaveTokensAsync(string connectionKey, XeroTokenSet tokens, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionKey);
        ArgumentNullException.ThrowIfNull(tokens);
        await _tokenManager.SaveAsync(connectionKey, tokens, cancellationToken).ConfigureAwait(false);
        if (_tenants is null)
        {
            return;
        }

        foreach (var tenant in await _tenants.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (tenant.Connection == ConnectionState.Disconnected
                && string.Equals(Connections.XeroConnectionKeys.Of(_options, tenant), connectionKey, StringComparison.Ordinal))
            {
                await _tenants.SaveAsync(tenant with { Connection = ConnectionState.Connected, ConnectionMessage = null, UpdatedAt = _timeProvider.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Asks for a custom connection's token (client-credentials grant; no refresh token).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The tokens.</returns>
    public Task<XeroTokenSet> RequestClientCredentialsAsync(CancellationToken cancellationToken = default) =>
        _tokenClient.ClientCredentialsAsync(cancellationToken);

    /// <summary>Lists the organisations and practices a connection gives access to (<c>GET /connections</c>).</summary>
    /// <param name="connectionKey">The connection.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The connections.</returns>
    public async Task<IReadOnlyList<XeroConnection>> GetConnectionsAsync(string connectionKey, CancellationToken cancellationToken = default)
    {
        var body = await SendConnectionsAsync(connectionKey, HttpMethod.Get, "connections", cancellationToken).ConfigureAwait(false);
        return ParseConnections(body);
    }

    private static XeroConnection[] ParseConnections(string body)
    {
        var list = JsonSerializer.Deserialize(body, XeroJsonContext.Default.ListConnectionResponse) ?? [];
        return list
            .Where(c => c.Id is not null && c.TenantId is not null)
            .Select(c => new XeroConnection
            {
                Id = c.Id!,
                TenantId = c.TenantId!,
                TenantType = c.TenantType,
                TenantName = c.TenantName,
                AuthEventId = c.AuthEventId,
                CreatedDateUtc = c.CreatedDateUtc,
                UpdatedDateUtc = c.UpdatedDateUtc,
            })
            .ToArray();
    }

    /// <summary>Disconnects one organisation (<c>DELETE /connections/{id}</c>); the tokens stay for the others.</summary>
    /// <param name="connectionKey">The connection whose token is used.</param>
    /// <param name="connectionId">The connection id from <see cref="GetConnectionsAsync"/> (not the tenant id).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    public async Task DisconnectAsync(string connectionKey, string connectionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionId);
        await SendConnectionsAsync(connectionKey, HttpMethod.Delete, "connections/" + Uri.EscapeDataString(connectionId), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Revokes the connection's refresh token (every organisation it covers) and deletes the stored tokens.</summary>
    /// <param name="connectionKey">The connection.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>A task.</returns>
    public async Task RevokeAsync(string connectionKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionKey);
        if (await _tokenManager.GetRefreshTokenAsync(connectionKey, cancellationToken).ConfigureAwait(false) is { } refreshToken)
        {
            await _tokenClient.RevokeAsync(refreshToken, cancellationToken).ConfigureAwait(false);
        }

        await _tokenManager.ForgetAsync(connectionKey, cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> SendConnectionsAsync(string connectionKey, HttpMethod method, string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionKey);
        var accessToken = await _tokenManager.GetAccessTokenAsync(connectionKey, cancellationToken).ConfigureAwait(false);
        return await SendConnectionsAsync(connectionKey, accessToken, method, path, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Calls the connections API with <paramref name="accessToken"/>; a 401 is refreshed once when <paramref name="connectionKey"/> is stored.</summary>
    private async Task<string> SendConnectionsAsync(string? connectionKey, string accessToken, HttpMethod method, string path, CancellationToken cancellationToken)
    {
        var client = _httpClientFactory.CreateClient(XeroHttpClientNames.Identity);
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, XeroUrls.Under(_options.ApiBaseUrl, path));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return body;
            }

            var failure = XeroErrorParser.FromResponse(response.StatusCode, response.Headers, body, null, method != HttpMethod.Get, _timeProvider.GetUtcNow());
            if (connectionKey is not null && attempt == 0 && failure.StatusCode == 401 && failure.ErrorType is "TokenExpired" or "Unauthorized")
            {
                accessToken = await _tokenManager.RefreshAsync(connectionKey, accessToken, cancellationToken).ConfigureAwait(false);
                continue;
            }

            throw failure.Source == SyncKit.Errors.FailureSource.Authorization ? new XeroAuthorizationException(failure) : new XeroApiException(failure);
        }
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
