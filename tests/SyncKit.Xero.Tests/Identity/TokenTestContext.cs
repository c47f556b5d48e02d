using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SyncKit.Storage;
using SyncKit.Xero.Api;
using SyncKit.Xero.Identity;
using SyncKit.Xero.Tests.Infrastructure;

namespace SyncKit.Xero.Tests.Identity;

/// <summary>A token manager over an in-memory store and a stub token endpoint.</summary>
internal sealed class TokenTestContext
{
    public const string Connection = "conn-1";

    public TokenTestContext(StubHttpHandler handler, Action<XeroOptions>? configure = null)
    {
        Handler = handler;
        Options = TestConnector.Options(configure);
        var wrapped = Microsoft.Extensions.Options.Options.Create(Options);
        Protector = new AesGcmTokenProtector(wrapped);
        TokenClient = new XeroTokenClient(new StubHttpClientFactory(handler), wrapped, Time);
        Manager = new XeroTokenManager(Store, Protector, TokenClient, wrapped, Time, NullLogger<XeroTokenManager>.Instance);
        Authorization = new XeroAuthorization(TokenClient, Manager, new StubHttpClientFactory(handler), wrapped, Time);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 3, 14, 9, 0, 0, TimeSpan.Zero));

    public InMemoryTokenStore Store { get; } = new();

    public XeroOptions Options { get; }

    public StubHttpHandler Handler { get; }

    public ITokenProtector Protector { get; }

    public XeroTokenClient TokenClient { get; }

    public XeroTokenManager Manager { get; }

    public XeroAuthorization Authorization { get; }

    public async Task StoreTokenAsync(TimeSpan expiresIn, string access = "access-1", string refresh = "refresh-1")
    {
        var payload = JsonSerializer.Serialize(
            new PersistedToken { AccessToken = access, RefreshToken = refresh, ExpiresAt = Time.GetUtcNow() + expiresIn },
            XeroJsonContext.Default.PersistedToken);
        var existing = await Store.GetAsync(Connection);
        Assert.True(await Store.TrySaveAsync(new StoredToken { ConnectionKey = Connection, ProtectedPayload = Protector.Protect(payload), Version = existing?.Version ?? 0 }));
    }

    public PersistedToken Read(StoredToken stored) =>
        JsonSerializer.Deserialize(Protector.Unprotect(stored.ProtectedPayload), XeroJsonContext.Default.PersistedToken)!;

    public int TokenRequests => Handler.Requests.Count(r => r.Path == "/connect/token");
}
