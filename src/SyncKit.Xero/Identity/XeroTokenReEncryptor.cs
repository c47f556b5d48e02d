using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using SyncKit.Storage;

namespace SyncKit.Xero.Identity;

/// <summary>Rewrites stored token sets under the current token protection, so an encryption key can be retired without a reconnect.</summary>
/// <remarks>
/// Each token set is read with the registered <see cref="ITokenProtector"/> (which, for the built-in protector, also
/// accepts <see cref="XeroOptions.PreviousTokenEncryptionKeys"/>) and written back protected with the current key. A
/// token refreshed by a running sync at the same moment is simply read again. Safe to run more than once.
/// </remarks>
public sealed class XeroTokenReEncryptor
{
    private readonly TokenStore _tokens;
    private readonly TenantStore? _tenants;
    private readonly ITokenProtector _protector;
    private readonly XeroOptions _options;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the re-encryptor (registered by <c>AddXeroConnector</c> / <c>AddXeroSync</c>).</summary>
    /// <param name="tokens">Where token sets are stored.</param>
    /// <param name="protector">The current token protection.</param>
    /// <param name="options">The connector's options (how tenants map to connection keys).</param>
    /// <param name="timeProvider">The clock stamped on rewritten tokens.</param>
    /// <param name="tenants">The tenants, whose connections <see cref="ReEncryptAllAsync"/> rewrites.</param>
    public XeroTokenReEncryptor(TokenStore tokens, ITokenProtector protector, IOptions<XeroOptions> options, TimeProvider timeProvider, TenantStore? tenants = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _tokens = tokens;
        _protector = protector;
        _options = options.Value;
        _timeProvider = timeProvider;
        _tenants = tenants;
    }

    /// <summary>Rewrites the token set of every tenant's connection (the connection keys come from the tenant store).</summary>
    /// <param name="cancellationToken">Stops between connections; those done stay done.</param>
    /// <returns>What was rewritten, what had no token, and what could not be read with any key.</returns>
    public async Task<TokenReEncryptionResult> ReEncryptAllAsync(CancellationToken cancellationToken = default)
    {
        var tenants = _tenants is null ? [] : await _tenants.ListAsync(cancellationToken).ConfigureAwait(false);
        var keys = tenants.Select(t => Connections.XeroConnectionKeys.Of(_options, t)).Distinct(StringComparer.Ordinal);
        return await ReEncryptAsync(keys, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Rewrites the token sets of the given connections.</summary>
    /// <param name="connectionKeys">The connections (for example every user connection the host made).</param>
    /// <param name="cancellationToken">Stops between connections; those done stay done.</param>
    /// <returns>What was rewritten, what had no token, and what could not be read with any key.</returns>
    public async Task<TokenReEncryptionResult> ReEncryptAsync(IEnumerable<string> connectionKeys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connectionKeys);
        var rewritten = new List<string>();
        var missing = new List<string>();
        var unreadable = new List<string>();
        foreach (var key in connectionKeys.Distinct(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (await ReEncryptOneAsync(key, cancellationToken).ConfigureAwait(false))
            {
                case Outcome.Rewritten: rewritten.Add(key); break;
                case Outcome.Missing: missing.Add(key); break;
                default: unreadable.Add(key); break;
            }
        }

        return new TokenReEncryptionResult { ReEncrypted = rewritten, NotFound = missing, Unreadable = unreadable };
    }

    private async Task<Outcome> ReEncryptOneAsync(string connectionKey, CancellationToken cancellationToken)
    {
        // A sync refreshing this token at the same moment saves first: read again and rewrite what it saved.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var stored = await _tokens.GetAsync(connectionKey, cancellationToken).ConfigureAwait(false);
            if (stored is null)
            {
                return Outcome.Missing;
            }

            string clear;
            try
            {
                clear = _protector.Unprotect(stored.ProtectedPayload);
            }
            catch (CryptographicException)
            {
                return Outcome.Unreadable;
            }

            var rewritten = stored with { ProtectedPayload = _protector.Protect(clear), UpdatedAt = _timeProvider.GetUtcNow() };
            if (await _tokens.TrySaveAsync(rewritten, cancellationToken).ConfigureAwait(false))
            {
                return Outcome.Rewritten;
            }
        }

        return Outcome.Unreadable;
    }

    private enum Outcome
    {
        Rewritten,
        Missing,
        Unreadable,
    }
}

/// <summary>What <see cref="XeroTokenReEncryptor"/> did, by connection key.</summary>
public sealed record TokenReEncryptionResult
{
    /// <summary>Connections whose token set is now protected with the current key.</summary>
    public required IReadOnlyList<string> ReEncrypted { get; init; }

    /// <summary>Connections with no stored token set (never connected, or disconnected).</summary>
    public required IReadOnlyList<string> NotFound { get; init; }

    /// <summary>Connections whose token set no key could read (or that kept changing): they must be connected again.</summary>
    public required IReadOnlyList<string> Unreadable { get; init; }
}
