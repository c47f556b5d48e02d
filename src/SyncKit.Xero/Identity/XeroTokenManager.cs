using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SyncKit.Errors;
using SyncKit.Storage;
using SyncKit.Xero.Api;

namespace SyncKit.Xero.Identity;

/// <summary>Hands out access tokens per connection.</summary>
internal interface IXeroAccessTokenSource
{
    /// <summary>A valid access token, refreshed first when it expires within the skew.</summary>
    ValueTask<string> GetAccessTokenAsync(string connectionKey, CancellationToken cancellationToken = default);

    /// <summary>A new access token after the API refused <paramref name="rejectedAccessToken"/> (401 TokenExpired).</summary>
    ValueTask<string> RefreshAsync(string connectionKey, string rejectedAccessToken, CancellationToken cancellationToken = default);
}

/// <summary>
/// Keeps each connection's tokens fresh: refreshes 5 minutes before expiry, one refresh at a time per connection
/// (concurrent callers wait for it), and saves the rotated refresh token (compare-and-swap) before the new access
/// token is used — so a crash never leaves the only valid refresh token in memory.
/// </summary>
internal sealed class XeroTokenManager(
    TokenStore tokenStore,
    ITokenProtector protector,
    XeroTokenClient tokenClient,
    IOptions<XeroOptions> options,
    TimeProvider timeProvider,
    ILogger<XeroTokenManager> logger) : IXeroAccessTokenSource
{
    private readonly XeroOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Cached> _cache = new(StringComparer.Ordinal);

    public async ValueTask<string> GetAccessTokenAsync(string connectionKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionKey);
        if (_cache.TryGetValue(connectionKey, out var cached) && IsFresh(cached.Token))
        {
            return cached.Token.AccessToken!;
        }

        var gate = _locks.GetOrAdd(connectionKey, static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_cache.TryGetValue(connectionKey, out cached) && IsFresh(cached.Token))
            {
                return cached.Token.AccessToken!;
            }

            if (_options.UseCustomConnection)
            {
                return await ClientCredentialsLockedAsync(connectionKey, cancellationToken).ConfigureAwait(false);
            }

            var (stored, token) = await ReadAsync(connectionKey, cancellationToken).ConfigureAwait(false);
            if (IsFresh(token))
            {
                _cache[connectionKey] = new Cached(token, stored.Version);
                return token.AccessToken!;
            }

            return await RefreshLockedAsync(connectionKey, stored, token, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    public async ValueTask<string> RefreshAsync(string connectionKey, string rejectedAccessToken, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionKey);
        var gate = _locks.GetOrAdd(connectionKey, static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another caller already replaced the rejected token.
            if (_cache.TryGetValue(connectionKey, out var cached) && cached.Token.AccessToken != rejectedAccessToken && IsFresh(cached.Token))
            {
                return cached.Token.AccessToken!;
            }

            if (_options.UseCustomConnection)
            {
                return await ClientCredentialsLockedAsync(connectionKey, cancellationToken).ConfigureAwait(false);
            }

            var (stored, token) = await ReadAsync(connectionKey, cancellationToken).ConfigureAwait(false);
            if (token.AccessToken != rejectedAccessToken && IsFresh(token))
            {
                _cache[connectionKey] = new Cached(token, stored.Version);
                return token.AccessToken!;
            }

            return await RefreshLockedAsync(connectionKey, stored, token, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Stores a token set for a connection (after consent) and forgets any cached one.</summary>
    public async Task SaveAsync(string connectionKey, XeroTokenSet tokens, CancellationToken cancellationToken = default)
    {
        var gate = _locks.GetOrAdd(connectionKey, static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var token = ToPersisted(tokens);
            for (var attempt = 0; attempt < 5; attempt++)
            {
                var existing = await tokenStore.GetAsync(connectionKey, cancellationToken).ConfigureAwait(false);
                var version = existing?.Version ?? 0;
                if (await tokenStore.TrySaveAsync(Stored(connectionKey, token, version), cancellationToken).ConfigureAwait(false))
                {
                    _cache[connectionKey] = new Cached(token, version + 1);
                    return;
                }
            }

            throw new InvalidOperationException($"The token of connection '{connectionKey}' kept changing while it was being saved.");
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Forgets a connection's cached token and deletes the stored one.</summary>
    public async Task ForgetAsync(string connectionKey, CancellationToken cancellationToken = default)
    {
        _cache.TryRemove(connectionKey, out _);
        await tokenStore.DeleteAsync(connectionKey, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The scopes a connection was granted (read from the token answer and kept with it), or null when not known.</summary>
    /// <remarks>Tokens saved without the answer's <c>scope</c> (by a host that stored them itself) have none known: nothing is refused in advance, and Xero's own insufficient_scope answers still are classified.</remarks>
    public async Task<IReadOnlySet<string>?> GetGrantedScopesAsync(string connectionKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionKey);
        if (_options.UseCustomConnection && !_cache.ContainsKey(connectionKey))
        {
            await GetAccessTokenAsync(connectionKey, cancellationToken).ConfigureAwait(false);
        }

        if (_cache.TryGetValue(connectionKey, out var cached))
        {
            return XeroScopes.Parse(cached.Token.Scope);
        }

        var stored = await tokenStore.GetAsync(connectionKey, cancellationToken).ConfigureAwait(false);
        return stored is null ? null : XeroScopes.Parse(Unprotect(connectionKey, stored).Scope);
    }

    /// <summary>Whether a token set is stored for a connection.</summary>
    public async Task<bool> HasTokenAsync(string connectionKey, CancellationToken cancellationToken = default) =>
        _cache.ContainsKey(connectionKey) || await tokenStore.GetAsync(connectionKey, cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>The stored refresh token of a connection, or null.</summary>
    public async Task<string?> GetRefreshTokenAsync(string connectionKey, CancellationToken cancellationToken = default)
    {
        var stored = await tokenStore.GetAsync(connectionKey, cancellationToken).ConfigureAwait(false);
        return stored is null ? null : Unprotect(connectionKey, stored).RefreshToken;
    }

    private async Task<string> RefreshLockedAsync(string connectionKey, StoredToken stored, PersistedToken token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token.RefreshToken))
        {
            throw NotConnected(connectionKey, "The stored Xero connection has no refresh token: connect Xero again.");
        }

        XeroTokenSet fresh;
        try
        {
            Log.RefreshingToken(logger, Hash(connectionKey));
            fresh = await tokenClient.RefreshAsync(token.RefreshToken, cancellationToken).ConfigureAwait(false);
        }
        catch (XeroAuthorizationException ex) when (string.Equals(ex.Error, "invalid_grant", StringComparison.Ordinal))
        {
            // invalid_grant almost always means an older refresh token was used: another process may have rotated it.
            var latest = await tokenStore.GetAsync(connectionKey, cancellationToken).ConfigureAwait(false);
            if (latest is not null && latest.Version != stored.Version)
            {
                var latestToken = Unprotect(connectionKey, latest);
                if (IsFresh(latestToken))
                {
                    _cache[connectionKey] = new Cached(latestToken, latest.Version);
                    return latestToken.AccessToken!;
                }
            }

            Log.RefreshRefused(logger, Hash(connectionKey), ex.Error);
            throw;
        }

        // A refresh keeps the consent's scopes: an answer that does not repeat them must not forget them.
        var persisted = ToPersisted(fresh with { Scope = fresh.Scope ?? token.Scope });

        // Persist the rotated refresh token before the new access token is used.
        if (await tokenStore.TrySaveAsync(Stored(connectionKey, persisted, stored.Version), cancellationToken).ConfigureAwait(false))
        {
            _cache[connectionKey] = new Cached(persisted, stored.Version + 1);
            return persisted.AccessToken!;
        }

        // Another writer saved first. Xero has rotated to *our* refresh token, so ours must win.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var latest = await tokenStore.GetAsync(connectionKey, cancellationToken).ConfigureAwait(false);
            var version = latest?.Version ?? 0;
            if (await tokenStore.TrySaveAsync(Stored(connectionKey, persisted, version), cancellationToken).ConfigureAwait(false))
            {
                _cache[connectionKey] = new Cached(persisted, version + 1);
                return persisted.AccessToken!;
            }
        }

        throw new InvalidOperationException($"The rotated token of connection '{Hash(connectionKey)}' could not be saved: the token store kept changing.");
    }

    private async Task<string> ClientCredentialsLockedAsync(string connectionKey, CancellationToken cancellationToken)
    {
        var fresh = await tokenClient.ClientCredentialsAsync(cancellationToken).ConfigureAwait(false);
        var token = ToPersisted(fresh);
        _cache[connectionKey] = new Cached(token, 0);
        return token.AccessToken!;
    }

    private async Task<(StoredToken Stored, PersistedToken Token)> ReadAsync(string connectionKey, CancellationToken cancellationToken)
    {
        var stored = await tokenStore.GetAsync(connectionKey, cancellationToken).ConfigureAwait(false)
            ?? throw NotConnected(connectionKey, $"No Xero connection is stored for '{connectionKey}': connect Xero first.");
        return (stored, Unprotect(connectionKey, stored));
    }

    private PersistedToken Unprotect(string connectionKey, StoredToken stored)
    {
        try
        {
            var json = protector.Unprotect(stored.ProtectedPayload);
            var token = JsonSerializer.Deserialize(json, XeroJsonContext.Default.PersistedToken);
            return token ?? throw NotConnected(connectionKey, "The stored Xero connection is empty: connect Xero again.");
        }
        catch (CryptographicException)
        {
            // The app's key, not the connection, is wrong: every tenant would fail alike. Stop the run (no Disconnected).
            throw new XeroAuthorizationException(new SyncFailure
            {
                Source = FailureSource.Authorization,
                ErrorType = Errors.XeroFailureCodes.TokenKeyMismatch,
                Messages = ["The stored Xero tokens cannot be decrypted with the setting Xero:TokenEncryptionKey: it is not the key they were saved with (changed, or different on another server)."],
                Details = new Dictionary<string, string> { ["ConnectionKey"] = connectionKey, ["Setting"] = "Xero:TokenEncryptionKey" },
            });
        }
        catch (JsonException)
        {
            throw NotConnected(connectionKey, "The stored Xero connection cannot be read: connect Xero again.");
        }
    }

    private StoredToken Stored(string connectionKey, PersistedToken token, long version) => new()
    {
        ConnectionKey = connectionKey,
        ProtectedPayload = protector.Protect(JsonSerializer.Serialize(token, XeroJsonContext.Default.PersistedToken)),
        UpdatedAt = timeProvider.GetUtcNow(),
        Version = version,
    };

    private static PersistedToken ToPersisted(XeroTokenSet tokens) => new()
    {
        AccessToken = tokens.AccessToken,
        RefreshToken = tokens.RefreshToken,
        IdToken = tokens.IdToken,
        ExpiresAt = tokens.ExpiresAt,
        Scope = tokens.Scope,
    };

    private bool IsFresh(PersistedToken token) =>
        !string.IsNullOrEmpty(token.AccessToken) && timeProvider.GetUtcNow() < token.ExpiresAt - _options.TokenRefreshSkew;

    private static XeroAuthorizationException NotConnected(string connectionKey, string message) => new(new SyncFailure
    {
        Source = FailureSource.Authorization,
        ErrorType = "NotConnected",
        Messages = [message],
        Details = new Dictionary<string, string> { ["ConnectionKey"] = connectionKey },
    });

    /// <summary>A short, stable, non-reversible label of a connection key for logs.</summary>
    internal static string Hash(string value) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(value)).AsSpan(0, 6));

    private sealed record Cached(PersistedToken Token, long Version);
}
