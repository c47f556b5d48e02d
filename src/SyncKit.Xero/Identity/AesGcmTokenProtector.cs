using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace SyncKit.Xero.Identity;

/// <summary>
/// AES-256-GCM with a 32-byte key: payload = base64(version byte, 12-byte nonce, 16-byte tag, ciphertext). Writes with the
/// current key; reads with the current key, then with any previous key (a key being rotated out).
/// </summary>
internal sealed class AesGcmTokenProtector : ITokenProtector
{
    private const byte FormatVersion = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly Lazy<byte[]> _key;
    private readonly Lazy<byte[][]> _previousKeys;

    public AesGcmTokenProtector(IOptions<XeroOptions> options)
        : this(() => options.Value.TokenEncryptionKey, () => options.Value.PreviousTokenEncryptionKeys)
    {
    }

    /// <summary>Reads the keys lazily: options validation reports a missing key at start, with a clearer message.</summary>
    internal AesGcmTokenProtector(Func<string?> keySource, Func<IEnumerable<string>>? previousKeysSource = null)
    {
        _key = new Lazy<byte[]>(() => ParseKey(keySource()));
        _previousKeys = new Lazy<byte[][]>(() => (previousKeysSource?.Invoke() ?? []).Select(k => ParseKey(k)).ToArray());
    }

    internal AesGcmTokenProtector(byte[] key)
    {
        if (key.Length != 32)
        {
            throw new ArgumentException("The token encryption key must be 32 bytes.", nameof(key));
        }

        _key = new Lazy<byte[]>(key);
        _previousKeys = new Lazy<byte[][]>([]);
    }

    public string Protect(string plaintext)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        var clear = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[1 + NonceSize + TagSize + clear.Length];
        output[0] = FormatVersion;
        var nonce = output.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key.Value, TagSize);
        aes.Encrypt(nonce, clear, output.AsSpan(1 + NonceSize + TagSize), output.AsSpan(1 + NonceSize, TagSize));
        return Convert.ToBase64String(output);
    }

    public string Unprotect(string protectedText)
    {
        ArgumentNullException.ThrowIfNull(protectedText);
        byte[] input;
        try
        {
            input = Convert.FromBase64String(protectedText);
        }
        catch (FormatException ex)
        {
            throw new CryptographicException("The stored token is not in the expected format.", ex);
        }

        if (input.Length < 1 + NonceSize + TagSize || input[0] != FormatVersion)
        {
            throw new CryptographicException("The stored token is not in the expected format.");
        }

        var clear = new byte[input.Length - 1 - NonceSize - TagSize];
        try
        {
            Decrypt(_key.Value, input, clear);
        }
        catch (AuthenticationTagMismatchException) when (_previousKeys.Value.Length > 0)
        {
            // Written under a key being rotated out: read it with that key (the next save writes it under the new one).
            if (!_previousKeys.Value.Any(k => TryDecrypt(k, input, clear)))
            {
                throw new AuthenticationTagMismatchException("The stored token cannot be read with XeroOptions.TokenEncryptionKey or any of PreviousTokenEncryptionKeys.");
            }
        }

        return Encoding.UTF8.GetString(clear);

        static bool TryDecrypt(byte[] key, byte[] input, byte[] clear)
        {
            try
            {
                Decrypt(key, input, clear);
                return true;
            }
            catch (AuthenticationTagMismatchException)
            {
                return false;
            }
        }
    }

    private static void Decrypt(byte[] key, byte[] input, byte[] clear)
    {
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(input.AsSpan(1, NonceSize), input.AsSpan(1 + NonceSize + TagSize), input.AsSpan(1 + NonceSize, TagSize), clear);
    }

    internal static byte[] ParseKey(string? base64)
    {
        if (string.IsNullOrWhiteSpace(base64))
        {
            throw new InvalidOperationException(
                "XeroOptions.TokenEncryptionKey is not set: set it to a base64 32-byte key (for example from Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))), or register your own ITokenProtector.");
        }

        try
        {
            var key = Convert.FromBase64String(base64);
            return key.Length == 32
                ? key
                : throw new InvalidOperationException("XeroOptions.TokenEncryptionKey must decode to exactly 32 bytes.");
        }
        catch (FormatException ex)
        {
            throw new InvalidOperationException("XeroOptions.TokenEncryptionKey must be base64.", ex);
        }
    }
}
