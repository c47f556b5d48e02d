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

    private sealed class Builder(IServiceCollection services) : ISyncKitBuilder
    {
        public IServiceCollection Services { get; } = services;
    }

    private static ServiceProvider Build(TokenStore store, string key, params string[] previous)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero)));
        services.AddSingleton(store);
        new Builder(services).AddXeroConnector(o =>
        {
            o.ClientId = "client-id";
            o.TokenEncryptionKey = key;
            foreach (var p in previous)
            {
                o.PreviousTokenEncryptionKeys.Add(p);
            }
        });
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    private static async Task SaveAsync(ServiceProvider provider, string connectionKey) =>
        await provider.GetRequiredService<XeroAuthorization>().SaveTokensAsync(
            connectionKey,
            new XeroTokenSet { AccessToken = "access-" + connectionKey, RefreshToken = "refresh-" + connectionKey, ExpiresAt = new DateTimeOffset(2026, 11, 2, 10, 0, 0, TimeSpan.Zero) });

    private static string Read(TokenStore store, string connectionKey, string key) =>
        new AesGcmTokenProtector(Convert.FromBase64String(key)).Unprotect(store.GetAsync(connectionKey).GetAwaiter().GetResult()!.ProtectedPayload);

    [Fact]
    public async Task ReEncrypt_RewritesEveryTokenUnderTheNewKey_SoTheOldKeyCanGo()
    {
        var store = new InMemoryTokenStore();
        await using (var before = Build(store, s_oldKey))
        {
            await SaveAsync(before, "connection-a");
            await SaveAsync(before, "connection-b");
        }

        await using var during = Build(store, s_newKey, s_oldKey);
        var result = await during.GetRequiredService<XeroTokenReEncryptor>().ReEncryptAsync(["connection-a", "connection-b", "never-connected"]);

        Assert.Equal(["connection-a", "connection-b"], result.ReEncrypted);
        Assert.Equal(["never-connected"], result.NotFound);
        Assert.Empty(result.Unreadable);
        Assert.Contains("refresh-connection-a", Read(store, "connection-a", s_newKey), StringComparison.Ordinal);
        Assert.Contains("refresh-connection-b", Read(store, "connection-b", s_newKey), StringComparison.Ordinal);
        Assert.ThrowsAny<CryptographicException>(() => Read(store, "connection-a", s_oldKey));
    }

    [Fact]
    public async Task DuringRotation_TokensUnderTheOldKey_AreStillRead()
    {
        var store = new InMemoryTokenStore();
        await using (var before = Build(store, s_oldKey))
        {
            await SaveAsync(before, "connection-a");
        }

        await using var during = Build(store, s_newKey, s_oldKey);
        var protector = during.GetRequiredService<ITokenProtector>();

        Assert.Contains("refresh-connection-a", protector.Unprotect((await store.GetAsync("connection-a"))!.ProtectedPayload), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATokenNoKeyReads_IsReportedUnreadable_AndLeftAsItWas()
    {
        var store = new InMemoryTokenStore();
        await using (var before = Build(store, s_oldKey))
        {
            await SaveAsync(before, "connection-a");
        }

        var payload = (await store.GetAsync("connection-a"))!.ProtectedPayload;
        await using var wrong = Build(store, s_newKey);
        var result = await wrong.GetRequiredService<XeroTokenReEncryptor>().ReEncryptAsync(["connection-a"]);

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
