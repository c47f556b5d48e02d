namespace SyncKit.Errors;

/// <summary>The built-in error categories. Hosts may define their own; categories are open strings.</summary>
public static class ErrorCategories
{
    /// <summary>The document is dated in a locked period (period, end of year or WIP lock date).</summary>
    public const string LockDates = "LockDates";

    /// <summary>The Practice Manager job is not in a state that accepts costs.</summary>
    public const string JobState = "JobState";

    /// <summary>The Practice Manager job was deleted.</summary>
    public const string JobDeleted = "JobDeleted";

    /// <summary>The organisation (host customer) is not mapped to a Practice Manager client.</summary>
    public const string UnmappedOrganisation = "UnmappedOrganisation";

    /// <summary>A GL account mapping is missing or empty.</summary>
    public const string GlMapping = "GlMapping";

    /// <summary>A tax mapping is missing.</summary>
    public const string TaxMapping = "TaxMapping";

    /// <summary>An item mapping is missing.</summary>
    public const string ItemMapping = "ItemMapping";

    /// <summary>A tracking mapping is missing.</summary>
    public const string TrackingMapping = "TrackingMapping";

    /// <summary>A payment terms mapping is missing.</summary>
    public const string TermsMapping = "TermsMapping";

    /// <summary>The contact the record depends on is not synced or mapped.</summary>
    public const string ContactMapping = "ContactMapping";

    /// <summary>A record the record depends on (invoice for a payment, client for a job) is not synced yet.</summary>
    public const string Dependency = "Dependency";

    /// <summary>The account code does not exist in the ledger.</summary>
    public const string AccountNotFound = "AccountNotFound";

    /// <summary>The account is archived or deleted.</summary>
    public const string AccountArchived = "AccountArchived";

    /// <summary>The account has no code in the ledger.</summary>
    public const string AccountWithoutCode = "AccountWithoutCode";

    /// <summary>The account does not accept payments.</summary>
    public const string PaymentsAccount = "PaymentsAccount";

    /// <summary>The tax type is invalid or not allowed with the account.</summary>
    public const string TaxType = "TaxType";

    /// <summary>The contact is invalid, archived or a duplicate.</summary>
    public const string Contact = "Contact";

    /// <summary>The document number is already used.</summary>
    public const string DuplicateNumber = "DuplicateNumber";

    /// <summary>The document can no longer be edited (paid, voided, deleted, or has payments).</summary>
    public const string NotEditable = "NotEditable";

    /// <summary>The payment is invalid for its document (amount, status).</summary>
    public const string Payment = "Payment";

    /// <summary>The currency is not enabled in the ledger.</summary>
    public const string Currency = "Currency";

    /// <summary>The record's data is invalid (missing lines, negative quantity, totals).</summary>
    public const string InvalidData = "InvalidData";

    /// <summary>A $0 or negative document that the policy does not send.</summary>
    public const string NotSent = "NotSent";

    /// <summary>A rate limit was hit.</summary>
    public const string RateLimit = "RateLimit";

    /// <summary>The daily call limit was spent; the tenant is paused.</summary>
    public const string DailyLimit = "DailyLimit";

    /// <summary>The connection must be re-authorised (token refused, connection removed).</summary>
    public const string Connection = "Connection";

    /// <summary>The ledger is offline or failing; retried automatically.</summary>
    public const string Unavailable = "Unavailable";

    /// <summary>The write may have landed; reconciled automatically.</summary>
    public const string Uncertain = "Uncertain";

    /// <summary>Nothing matched; the ledger's own message is kept.</summary>
    public const string Unclassified = "Unclassified";

    /// <summary>Xero may hold this record already and several of its records fit: a user links one or sends it as new.</summary>
    public const string NeedsReconciliation = "NeedsReconciliation";

    /// <summary>The record could not be read from the host's system (the source failed, or gave no id).</summary>
    public const string Source = "Source";

    /// <summary>The app's configuration (client id, secret, token key) is wrong; nothing is wrong with the tenant.</summary>
    public const string Configuration = "Configuration";

    /// <summary>
    /// The connection was not granted a permission (an OAuth scope) a kind needs: its records wait, without any call,
    /// until a user reconnects and grants it; then they go by themselves.
    /// </summary>
    public const string MissingScope = "MissingScope";
}
