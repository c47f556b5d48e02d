using System.Security.Cryptography;
using SyncKit.Xero.Identity;

namespace SyncKit.Xero.Tests.Identity;

public sealed class AesGcmTokenProtectorTests
{
    private static readonly byte[] s_key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    [Fact]
    public void Unprotect_ReturnsWhatWasProtected()
    {
        var protector = new AesGcmTokenProtector(s_key);

        Assert.Equal("{\"RefreshToken\":\"r\"}", protector.Unprotect(protector.Protect("{\"RefreshToken\":\"r\"}")));
    }

    [Fact]
    public void Protect_UsesAFreshNonceEachTime()
    {
        var protector = new AesGcmTokenProtector(s_key);

        Assert.NotEqual(protector.Protect("same"), protector.Protect("same"));
    }

    [Fact]
    public void Unprotect_AlteredPayload_Throws()
    {
        var protector = new AesGcmTokenProtector(s_key);
        var bytes = Convert.FromBase64String(protector.Protect("secret"));
        bytes[^1] ^= 0xFF;

        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(Convert.ToBase64String(bytes)));
    }

    [Fact]
    public void Unprotect_WithAnotherKey_Throws()
    {
        var payload = new AesGcmTokenProtector(s_key).Protect("secret");

        Assert.ThrowsAny<CryptographicException>(() => new AesGcmTokenProtector(new byte[32]).Unprotect(payload));
    }
}
