namespace SyncKit.Xero.Errors;

/// <summary>Codes the Xero connector puts on failures it raises itself (<see cref="SyncKit.Errors.SyncFailure.Code"/>), matched by <see cref="XeroErrorRules"/>.</summary>
internal static class XeroFailureCodes
{
    /// <summary>A new contact's name is held in Xero by a contact that another record is linked to.</summary>
    public const string ContactNameTaken = "Xero.ContactNameTaken";

    /// <summary>A token could not be decrypted with the configured <c>Xero:TokenEncryptionKey</c>.</summary>
    public const string TokenKeyMismatch = "TokenKeyMismatch";

    /// <summary>
    /// The connection was not granted the scope a call or a kind needs: Xero's 401/403 with <c>insufficient_scope</c> in
    /// <c>WWW-Authenticate</c>, or SyncKit's own check before any call. Reconnecting (consenting again) fixes it;
    /// refreshing the token does not.
    /// </summary>
    public const string InsufficientScope = "InsufficientScope";
}
