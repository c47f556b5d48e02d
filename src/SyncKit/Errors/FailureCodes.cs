namespace SyncKit.Errors;

/// <summary>The codes SyncKit's own checks put on failures (<see cref="SyncFailure.Code"/>), matched by the engine's rules.</summary>
public static class FailureCodes
{
    /// <summary>The document is dated on or before the period or end of year lock date.</summary>
    public const string LockDate = "LockDate";

    /// <summary>The cost is dated on or before the practice's WIP lock date.</summary>
    public const string WipLockDate = "WipLockDate";

    /// <summary>The job is not in a state that accepts costs.</summary>
    public const string JobState = "JobState";

    /// <summary>The job was deleted.</summary>
    public const string JobDeleted = "JobDeleted";

    /// <summary>Prefix of missing mapping codes: <c>MissingMapping.Account</c>, <c>MissingMapping.Client</c>, ...</summary>
    public const string MissingMappingPrefix = "MissingMapping.";

    /// <summary>A record this one depends on (its invoice, contact, client or job) is not synced yet.</summary>
    public const string DependencyNotSynced = "DependencyNotSynced";

    /// <summary>The mapped account code does not exist in the ledger.</summary>
    public const string AccountNotFound = "AccountNotFound";

    /// <summary>The mapped account is archived.</summary>
    public const string AccountArchived = "AccountArchived";

    /// <summary>The account the mapping points at has no code in the ledger.</summary>
    public const string AccountWithoutCode = "AccountWithoutCode";

    /// <summary>The payment's account is not a bank account and does not accept payments.</summary>
    public const string PaymentsNotEnabled = "PaymentsNotEnabled";

    /// <summary>The mapped tax type does not exist or is archived.</summary>
    public const string TaxTypeUnknown = "TaxTypeUnknown";

    /// <summary>The ledger is not subscribed to the document's currency.</summary>
    public const string CurrencyNotEnabled = "CurrencyNotEnabled";

    /// <summary>A zero-total document the policy does not send.</summary>
    public const string ZeroValue = "ZeroValue";

    /// <summary>A negative-total invoice the policy does not send.</summary>
    public const string NegativeTotal = "NegativeTotal";

    /// <summary>The host's total differs from the ledger's by more than the rounding allowance.</summary>
    public const string RoundingTooLarge = "RoundingTooLarge";

    /// <summary>The record's data is invalid (a FluentValidation rule failed).</summary>
    public const string InvalidData = "InvalidData";

    /// <summary>A payment changed after it was synced; ledgers do not allow payments to be edited.</summary>
    public const string PaymentChanged = "PaymentChanged";

    /// <summary>A user chose not to send the record.</summary>
    public const string SkippedByUser = "SkippedByUser";

    /// <summary>The host no longer has the record.</summary>
    public const string SourceRecordMissing = "SourceRecordMissing";

    /// <summary>An exception was thrown while preparing the record.</summary>
    public const string PreparationFailed = "PreparationFailed";

    /// <summary>Several records in the ledger fit an uncertain write and none can be chosen safely: a user links one or sends it as new.</summary>
    public const string NeedsReconciliation = "NeedsReconciliation";

    /// <summary>The host's source threw while reading the record.</summary>
    public const string SourceReadFailed = "SourceReadFailed";

    /// <summary>The source yielded a record without an id (or the same id twice in one read).</summary>
    public const string SourceIdInvalid = "SourceIdInvalid";

    /// <summary>Text the ledger cannot store as sent (an unpaired surrogate, a control character).</summary>
    public const string InvalidText = "InvalidText";

    /// <summary>An amount is outside what the ledger can hold, or a calculation with it overflows.</summary>
    public const string AmountOutOfRange = "AmountOutOfRange";

    /// <summary>The ledger kept failing on this record's batch with a server error, and on the record alone.</summary>
    public const string RepeatedServerError = "RepeatedServerError";

    /// <summary>The code for a missing mapping of a kind.</summary>
    /// <param name="kind">The mapping kind.</param>
    /// <returns>For example <c>MissingMapping.Account</c>.</returns>
    public static string MissingMapping(Mapping.MappingKind kind) => MissingMappingPrefix + kind;

    /// <summary>A pull found the document paid, voided or deleted in the ledger: it can no longer be changed there.</summary>
    public const string ClosedInLedger = "ClosedInLedger";

    /// <summary>A pull found the record changed in the ledger as well; its push waits for a user's choice.</summary>
    public const string ConflictHeld = "ConflictHeld";

    /// <summary>The tenant's settings do not push the record's kind (pull-only, off, or payments not pushed).</summary>
    public const string NotPushedForTenant = "NotPushedForTenant";
}
