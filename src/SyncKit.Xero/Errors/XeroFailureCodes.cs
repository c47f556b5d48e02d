namespace SyncKit.Xero.Errors;

/// <summary>Codes the Xero connector puts on failures it raises itself (<see cref="SyncKit.Errors.SyncFailure.Code"/>), matched by <see cref="XeroErrorRules"/>.</summary>
internal static class XeroFailureCodes
{
    /// <summary>A new contact's name is held in Xero by a contact that another record is linked to.</summary>
    public const string ContactNameTaken = "Xero.ContactNameTaken";

    /// <summary>A token could not be decrypted with the configured <c>Xero:TokenEncryptionKey</c>.</summary>
    public const string TokenKeyMismatch = "TokenKeyMismatch";
}
