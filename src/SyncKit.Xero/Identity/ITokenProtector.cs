namespace SyncKit.Xero;

/// <summary>Protects token sets before they reach the token store, and reads them back.</summary>
/// <remarks>
/// The default protector encrypts with AES-GCM under <see cref="XeroOptions.TokenEncryptionKey"/>. A host that
/// uses ASP.NET Core Data Protection registers its own implementation (wrapping an <c>IDataProtector</c>)
/// before or after <c>AddXeroConnector</c>; the host's registration wins.
/// </remarks>
public interface ITokenProtector
{
    /// <summary>Protects a token set's serialised form.</summary>
    /// <param name="plaintext">The clear text.</param>
    /// <returns>Opaque, protected text safe to store.</returns>
    string Protect(string plaintext);

    /// <summary>Reads back what <see cref="Protect"/> produced.</summary>
    /// <param name="protectedText">The protected text.</param>
    /// <returns>The clear text.</returns>
    /// <exception cref="System.Security.Cryptography.CryptographicException">The text was not protected with this key or was altered.</exception>
    string Unprotect(string protectedText);
}
