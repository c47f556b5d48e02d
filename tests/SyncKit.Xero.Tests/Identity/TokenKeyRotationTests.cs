using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SyncKit.Storage;
using SyncKit.Xero.Identity;
using SyncKit.Xero.Tests.Infrastructure;

namespace SyncKit.Xero.Tests.Identity;

/// <summary>Retiring a token encryption key without asking anyone to connect Xero again.</summary>
public sealed class TokenKeyRotationTests
{
    private static readonly string s_oldKey = Convert.ToBase64String(Enumerable.Repeat((byte)1, 32).ToArray());
    private static readonly string s_newKey = Convert.ToBase64String(Enumerable.Repeat((byte)2, 32).ToArray());

    private static TokenStore Store() => new InMemoryTokenStore();

    private static async Task SaveAsync(TokenStore store, string connectionKey, string key) =>
        Assert.True(await store.TrySaveAsync(new StoredToken
        {
            ConnectionKey = connectionKey,
            ProtectedPayload = new AesGcmTokenProtector(Convert.FromBase64String(key)).Protect("{\"RefreshToken\":\"refresh-" + connectionKey + "\"}"),
        }));

    private static XeroTokenReEncryptor ReEncryptor(TokenStore store, string key, params string[] previous)
    {
        var options = new XeroOptions { ClientId = "client-id", TokenEncryptionKey = key };
        foreach (var p in previous)
        {
            options.PreviousTokenEncryptionKeys.Add(p);
        }

        var protector = new AesGcmTokenProtector(Options.Create(options));
        return new XeroTokenReEncryptor(store, protector, Options.Create(options), new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero)));
    }

    private static async Task<string> ReadAsync(TokenStore store, string connectionKey, string key) =>
        new AesGcmTokenProtector(Convert.FromBase64String(key)).Unprotect((await store.GetAsync(connectionKey))!.ProtectedPayload);

    [Fact]
    public async Task ReEncrypt_RewritesEveryTokenUnderTheNewKey_SoTheOldKeyCanGo()
    {
        var store = Store();
        await SaveAsync(store, "connection-a", s_oldKey);
        await SaveAsync(store, "connection-b", s_oldKey);

        var result = await ReEncryptor(store, s_newKey, s_oldKey).ReEncryptAsync(["connection-a", "connection-b", "never-connected"]);

        Assert.Equal(["connection-a", "connection-b"], result.ReEncrypted);
        Assert.Equal(["never-connected"], result.NotFound);
        Assert.Empty(result.Unreadable);
        Assert.Contains("refresh-connection-a", await ReadAsync(store, "connection-a", s_newKey), StringComparison.Ordinal);
        Assert.Contains("refresh-connection-b", await ReadAsync(store, "connection-b", s_newKey), StringComparison.Ordinal);
        await Assert.ThrowsAnyAsync<CryptographicException>(() => ReadAsync(store, "connection-a", s_oldKey));
    }

    [Fact]
    public async Task ReEncryptor_ResolvedFromTheHostsContainer_RewritesTheStoredTokens()
    {
        var services = new ServiceCollection();
        services.AddXeroSync(o =>
            {
                o.ClientId = "client-id";
                o.TokenEncryptionKey = s_newKey;
                o.PreviousTokenEncryptionKeys.Add(s_oldKey);
            })
            .UseInMemoryStorage();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        await SaveAsync(provider.GetRequiredService<TokenStore>(), "connection-a", s_oldKey);

        var result = await provider.GetRequiredService<XeroTokenReEncryptor>().ReEncryptAsync(["connection-a"]).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["connection-a"], result.ReEncrypted);
        Assert.Contains("refresh-connection-a", await ReadAsync(provider.GetRequiredService<TokenStore>(), "connection-a", s_newKey), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DuringRotation_TokensUnderTheOldKey_AreStillRead()
    {
        var store = Store();
        await SaveAsync(store, "connection-a", s_oldKey);
        var options = new XeroOptions { ClientId = "client-id", TokenEncryptionKey = s_newKey };
        options.PreviousTokenEncryptionKeys.Add(s_oldKey);
        var protector = new AesGcmTokenProtector(Options.Create(options));

        Assert.Contains("refresh-connection-a", protector.Unprotect((await store.GetAsync("connection-a"))!.ProtectedPayload), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATokenNoKeyReads_IsReportedUnreadable_AndLeftAsItWas()
    {
        var store = Store();
        await SaveAsync(store, "connection-a", s_oldKey);

        var payload = (await store.GetAsync("connection-a"))!.ProtectedPayload;
        var result = await ReEncryptor(store, s_newKey).ReEncryptAsync(["connection-a"]);

        Assert.Equal(["connection-a"], result.Unreadable);
        Assert.Equal(payload, (await store.GetAsync("connection-a"))!.ProtectedPayload);
    }

    [Fact]
    public void APreviousKeyThatIsNotAKey_FailsAtStart_NamingIt()
    {
        var options = new XeroOptions { ClientId = "client-id", TokenEncryptionKey = s_newKey };
        options.PreviousTokenEncryptionKeys.Add("not base64!");

        var result = new SyncKit.Xero.DependencyInjection.XeroOptionsValidator([]).Validate(null, options);

        Assert.Equal(["XeroOptions.PreviousTokenEncryptionKeys[0] must be base64."], result.Failures);
    }
}
