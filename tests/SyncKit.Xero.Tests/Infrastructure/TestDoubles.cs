using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SyncKit.Storage;
using SyncKit.Xero.Api;
using SyncKit.Xero.Connector;
using SyncKit.Xero.Identity;

namespace SyncKit.Xero.Tests.Infrastructure;

/// <summary>Hands out fixed access tokens and counts refreshes.</summary>
internal sealed class StaticTokenSource(params string[] tokens) : IXeroAccessTokenSource
{
    private int _index;

    public int Refreshes { get; private set; }

    public List<string> ConnectionKeys { get; } = [];

    public ValueTask<string> GetAccessTokenAsync(string connectionKey, CancellationToken cancellationToken = default)
    {
        ConnectionKeys.Add(connectionKey);
        return ValueTask.FromResult(tokens.Length == 0 ? "access-1" : tokens[Math.Min(_index, tokens.Length - 1)]);
    }

    public ValueTask<string> RefreshAsync(string connectionKey, string rejectedAccessToken, CancellationToken cancellationToken = default)
    {
        Refreshes++;
        _index++;
        return GetAccessTokenAsync(connectionKey, cancellationToken);
    }
}

/// <summary>An in-memory token store with compare-and-swap, recording every save.</summary>
internal sealed class InMemoryTokenStore : TokenStore
{
    private readonly ConcurrentDictionary<string, StoredToken> _tokens = new();
    private readonly Lock _lock = new();

    public List<StoredToken> Saves { get; } = [];

    public Action<StoredToken>? BeforeSave { get; set; }

    public override Task<StoredToken?> GetAsync(string connectionKey, CancellationToken cancellationToken = default) =>
        Task.FromResult(_tokens.TryGetValue(connectionKey, out var token) ? token : null);

    public override Task<bool> TrySaveAsync(StoredToken token, CancellationToken cancellationToken = default)
    {
        BeforeSave?.Invoke(token);
        lock (_lock)
        {
            var current = _tokens.TryGetValue(token.ConnectionKey, out var existing) ? existing.Version : 0;
            if (current != token.Version)
            {
                return Task.FromResult(false);
            }

            var saved = token with { Version = token.Version + 1 };
            _tokens[token.ConnectionKey] = saved;
            Saves.Add(saved);
            return Task.FromResult(true);
        }
    }

    public override Task<bool> DeleteAsync(string connectionKey, CancellationToken cancellationToken = default) =>
        Task.FromResult(_tokens.TryRemove(connectionKey, out _));
}

internal sealed class StubHttpClientFactory(HttpMessageHandler handler) : IHttpClientFactory
{
    public HttpClient CreateClient(string name) => new(handler, disposeHandler: false);
}

/// <summary>Builds the connector over a stub handler, without DI.</summary>
internal static class TestConnector
{
    public const string Tenant = "11111111-2222-3333-4444-555555555555";

    public static XeroOptions Options(Action<XeroOptions>? configure = null)
    {
        var options = new XeroOptions
        {
            ClientId = "client-id",
            ClientSecret = "client-secret",
            ApiBaseUrl = new Uri("http://xero.test/"),
            IdentityBaseUrl = new Uri("http://xero.test/"),
            LoginBaseUrl = new Uri("http://xero.test/"),
            TokenEncryptionKey = Convert.ToBase64String(new byte[32]),
        };
        configure?.Invoke(options);
        return options;
    }

    public static XeroApiClient Api(HttpMessageHandler handler, IXeroAccessTokenSource? tokens = null, XeroOptions? options = null, TimeProvider? time = null) =>
        new(new HttpClient(handler), tokens ?? new StaticTokenSource(), Microsoft.Extensions.Options.Options.Create(options ?? Options()), time ?? new FakeTimeProvider(), NullLogger<XeroApiClient>.Instance);

    public static XeroLedgerConnector Create(HttpMessageHandler handler, XeroOptions? options = null, IXeroAccessTokenSource? tokens = null, TimeProvider? time = null, LedgerStore? ledger = null)
    {
        options ??= Options();
        time ??= new FakeTimeProvider(new DateTimeOffset(2025, 3, 14, 9, 0, 0, TimeSpan.Zero));
        var api = Api(handler, tokens, options, time);
        var wrapped = Microsoft.Extensions.Options.Options.Create(options);
        return new XeroLedgerConnector(() => api, wrapped, time, NullLogger<XeroLedgerConnector>.Instance, ledger);
    }
}
