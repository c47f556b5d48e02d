using SyncKit.Mapping;

namespace SyncKit.Errors;

/// <summary>The engine's built-in rules: what SyncKit's own pre-flight checks and transport failures mean for the user.</summary>
/// <remarks>Connectors add rules for their ledger's messages; hosts add or replace rules by id.</remarks>
public static class EngineErrorRules
{
    /// <summary>The rules, in order.</summary>
    public static IReadOnlyList<ErrorRule> All { get; } =
    [
        ByCode("engine.lock-date", FailureCodes.LockDate, ErrorCategories.LockDates, ErrorDisposition.UserAction, "Lock Dates",
            [
                "The document is dated on or before the lock date ({LockDate}) in the ledger.",
                "In Xero, go to Advanced settings > Financial settings and move the lock date back, or change the document's date in your system.",
                "Retry the sync for this record.",
                "Once everything has synced, set the lock date again.",
            ],
            "The document date cannot be before the period lock date, currently set at 2026-06-30"),
        ByCode("engine.wip-lock-date", FailureCodes.WipLockDate, ErrorCategories.LockDates, ErrorDisposition.UserAction, "Lock Dates",
            [
                "The cost falls within a locked WIP period in Xero Practice Manager ({LockDate}).",
                "Go into Xero Practice Manager and unlock the prior period.",
                "Go back to the Error tab and retry the sync for the cost.",
                "Once all charges have been synced, turn the lock periods back on in Xero Practice Manager.",
            ],
            "The cost date is in a locked WIP period (WIP lock date 31-Oct-2026)."),
        ByCode("engine.job-state", FailureCodes.JobState, ErrorCategories.JobState, ErrorDisposition.UserAction, "Job state is not \"In Progress\"",
            [
                "Note which client and job the error relates to ({JobNumber}, state {JobState}).",
                "Open Xero Practice Manager, find the job and change its state to In Progress.",
                "Return here and retry the sync.",
                "Once synced, you can change the job state back if needed.",
            ],
            "Job J000309 is Completed; costs can only be added to jobs that are In Progress."),
        ByCode("engine.job-deleted", FailureCodes.JobDeleted, ErrorCategories.JobDeleted, ErrorDisposition.UserAction, "Job has been deleted in XPM",
            [
                "Note the client name from the failed cost and search for the client in Xero Practice Manager.",
                "Check whether the job ({JobNumber}) has been deleted.",
                "If it has, ask your administrator (or raise a support ticket) to recreate the job, map the cost to the new job, then retry the sync.",
            ],
            "Job J000309 has been deleted."),
        ByCode("engine.unmapped-organisation", FailureCodes.MissingMapping(MappingKind.Client), ErrorCategories.UnmappedOrganisation, ErrorDisposition.Unmapped, "Organisation is unmapped",
            [
                "The organisation ({LocalKey}) has not been mapped to a client in Xero Practice Manager, so there is no job to push the cost to.",
                "Go to Client Mapping and map the organisation to the correct client.",
                "The record moves from Unmapped to Pending and syncs in the next run (or retry it now).",
            ],
            "No client is mapped for organisation 'ORG-7'."),
        ByCode("engine.unmapped-job", FailureCodes.MissingMapping(MappingKind.Job), ErrorCategories.UnmappedOrganisation, ErrorDisposition.Unmapped, "No job to push the cost to",
            [
                "The cost names no job that Xero Practice Manager knows ({LocalKey}).",
                "Map the job (or the organisation's default job) in Job Mapping.",
                "The record moves from Unmapped to Pending and syncs in the next run.",
            ],
            "No job is mapped for 'JOB-7'."),
        ByCode("engine.gl-mapping", FailureCodes.MissingMapping(MappingKind.Account), ErrorCategories.GlMapping, ErrorDisposition.Unmapped, "GL Mapping",
            [
                "The GL account {LocalKey} has no mapping to a Xero account (empty, or no Non-Product ID).",
                "Open GL Mapping and map it to the Xero account code it should post to.",
                "Every record waiting for this mapping returns to Pending and syncs in the next run.",
            ],
            "No Xero account is mapped for GL account '4000'."),
        ByCode("engine.tax-mapping", FailureCodes.MissingMapping(MappingKind.TaxRate), ErrorCategories.TaxMapping, ErrorDisposition.Unmapped, "Tax mapping",
            [
                "The tax code {LocalKey} has no mapping to a Xero tax rate.",
                "Open Tax Mapping and map it to the Xero tax rate it should use.",
            ],
            "No Xero tax rate is mapped for tax code 'GST'."),
        ByCode("engine.item-mapping", FailureCodes.MissingMapping(MappingKind.Item), ErrorCategories.ItemMapping, ErrorDisposition.Unmapped, "Item mapping",
            [
                "The product {LocalKey} has no mapping to a Xero item.",
                "Sync the product first or map it to an existing Xero item code.",
            ],
            "No Xero item is mapped for product 'WIDGET'."),
        ByCode("engine.tracking-mapping", FailureCodes.MissingMapping(MappingKind.Tracking), ErrorCategories.TrackingMapping, ErrorDisposition.Unmapped, "Tracking mapping",
            [
                "The tracking option {LocalKey} has no mapping to a Xero tracking category option.",
                "Map it in Tracking Mapping, or add the option in Xero and map it.",
            ],
            "No Xero tracking option is mapped for 'Region/North'."),
        ByCode("engine.terms-mapping", FailureCodes.MissingMapping(MappingKind.PaymentTerms), ErrorCategories.TermsMapping, ErrorDisposition.Unmapped, "Terms XRef",
            [
                "The payment terms {LocalKey} have no cross-reference to Xero terms (days for terms payments).",
                "Set the number of days for these terms in Terms Mapping.",
            ],
            "No Xero payment terms are mapped for 'NET30'."),
        ByCode("engine.contact-mapping", FailureCodes.MissingMapping(MappingKind.Contact), ErrorCategories.ContactMapping, ErrorDisposition.Unmapped, "Contact not synced",
            [
                "The customer or supplier {LocalKey} is not in Xero yet.",
                "Check the contact's own error on the Error tab and fix it, or map it to an existing Xero contact.",
                "The document syncs once its contact has.",
            ],
            "Contact 'C-9' is not synced or mapped."),
        ByCode("engine.dependency", FailureCodes.DependencyNotSynced, ErrorCategories.Dependency, ErrorDisposition.Unmapped, "Waiting for a related record",
            [
                "This record depends on {LocalKey}, which is not in the ledger yet.",
                "Fix the related record's own error (see the Error tab); this one syncs after it.",
            ],
            "Invoice 'INV-9' is not synced yet."),
        ByCode("engine.account-archived", FailureCodes.AccountArchived, ErrorCategories.AccountArchived, ErrorDisposition.UserAction, "Xero account archived or deleted",
            [
                "The Xero account {AccountCode} that the mapping points to is archived or deleted.",
                "Either restore the account in Xero (Chart of accounts > Archived), or change the mapping to an active account.",
                "Retry the sync.",
            ],
            "Account code '310' has been archived, or has been deleted. Each line item must reference a valid account."),
        ByCode("engine.account-without-code", FailureCodes.AccountWithoutCode, ErrorCategories.AccountWithoutCode, ErrorDisposition.UserAction, "Account has no code in Xero",
            [
                "Xero allows accounts without a code, but the mapping identifies accounts by their code.",
                "In Xero, open Chart of accounts, edit the account {AccountName} and assign it a unique code.",
                "Update the mapping to that code and retry the sync.",
            ],
            "The Xero account 'Trust Liability' has no code."),
        ByCode("engine.account-not-found", FailureCodes.AccountNotFound, ErrorCategories.AccountNotFound, ErrorDisposition.UserAction, "Xero account does not exist",
            [
                "The mapping points at account code {AccountCode}, which does not exist in Xero.",
                "Create the account in Xero (for example trust accounts are not there by default) or correct the mapping.",
                "Retry the sync.",
            ],
            "Account code '999' is not a valid code for this document."),
        ByCode("engine.payments-not-enabled", FailureCodes.PaymentsNotEnabled, ErrorCategories.PaymentsAccount, ErrorDisposition.UserAction, "Account does not accept payments",
            [
                "The payment goes to account {AccountCode}, which is not a bank account and does not have \"Enable payments to this account\" ticked.",
                "In Xero, edit the account and tick \"Enable payments to this account\", or map payments to a bank account.",
                "Retry the sync.",
            ],
            "Payments cannot be made to account '310'."),
        ByCode("engine.tax-type", FailureCodes.TaxTypeUnknown, ErrorCategories.TaxType, ErrorDisposition.UserAction, "Tax rate not found",
            [
                "The tax rate {TaxType} that the mapping points to does not exist or is archived in Xero.",
                "Correct the tax mapping, or restore the tax rate in Xero, then retry.",
            ],
            "The TaxType code 'GSTX' does not exist."),
        ByCode("engine.currency", FailureCodes.CurrencyNotEnabled, ErrorCategories.Currency, ErrorDisposition.UserAction, "Currency not enabled in Xero",
            [
                "The organisation is not subscribed to currency {Currency}.",
                "Add the currency in Xero (Settings > Currencies; needs a plan with multi-currency), then retry.",
            ],
            "Organisation is not subscribed to currency EUR"),
        ByCode("engine.zero-value", FailureCodes.ZeroValue, ErrorCategories.NotSent, ErrorDisposition.Skip, "Invoice total is $0 and it is not paid",
            [
                "Invoices with $0 (empty, or discounted 100%) are not sent unless they are marked as paid.",
                "Nothing to do; mark the invoice paid, or un-skip it, to send it anyway.",
            ],
            "The document total is 0.00 and it is not paid."),
        ByCode("engine.negative-total", FailureCodes.NegativeTotal, ErrorCategories.NotSent, ErrorDisposition.Skip, "Refund or negative invoice",
            [
                "Refund invoices and invoices with a negative balance (for example overpayments) are not sent.",
                "Create the refund by hand in both systems so they stay aligned.",
            ],
            "The document total is -25.00."),
        ByCode("engine.rounding-too-large", FailureCodes.RoundingTooLarge, ErrorCategories.InvalidData, ErrorDisposition.UserAction, "Total does not match Xero's calculation",
            [
                "Your total ({HostTotal}) differs from Xero's line-by-line calculation ({LedgerTotal}) by more than the rounding allowance.",
                "Check the document's lines, discounts and tax codes, correct them, and retry.",
            ],
            "The host total 110.00 differs from the ledger total 100.00 by 10.00."),
        ByCode("engine.payment-changed", FailureCodes.PaymentChanged, ErrorCategories.NotEditable, ErrorDisposition.UserAction, "Payment changed after it was synced",
            [
                "Payments cannot be edited in Xero once created, only deleted.",
                "Delete the payment in Xero, then retry the sync to create it again with the new details.",
            ],
            "Payment 'PAY-1' changed after it was synced."),
        ByCode("engine.closed-in-ledger", FailureCodes.ClosedInLedger, ErrorCategories.NotEditable, ErrorDisposition.Skip, "Paid, voided or deleted in Xero",
            [
                "Xero no longer lets this document be changed: it was paid, voided or deleted there, so SyncKit does not send it again.",
                "To change it, remove the payment or reverse the void in Xero, then un-skip the record here and sync it.",
            ],
            "Invoice 'INV-1' is PAID in Xero."),
        ByCode("engine.conflict-held", FailureCodes.ConflictHeld, ErrorCategories.NotSent, ErrorDisposition.UserAction, "Changed here and in Xero: choose a version",
            [
                "This record changed in your system and in Xero since the last sync, and this tenant's settings ask a user to choose. Its push is held so that neither side overwrites the other.",
                "On the reconciliation list, keep ours (the push goes in the next sync) or take Xero's version (applied by the next pull, then pushed from your system).",
            ],
            "'Client 1' changed here and in the ledger; its push waits until a user keeps one version."),
        ByCode("engine.not-pushed-for-tenant", FailureCodes.NotPushedForTenant, ErrorCategories.Configuration, ErrorDisposition.Skip, "Not pushed for this tenant",
            [
                "This tenant's settings do not push records of this kind (pull-only, off, or payments not pushed), so SyncKit did not send it.",
                "To send it, change the tenant's direction for the kind (or turn pushing payments on), then sync it again.",
            ],
            "Client records are pull-only in this tenant's settings."),
        ByCode("engine.skipped-by-user", FailureCodes.SkippedByUser, ErrorCategories.NotSent, ErrorDisposition.Skip, "Do not send",
            ["A user chose not to send this record. Un-skip it to send it."],
            "Skipped by a user."),
        ByCode("engine.source-missing", FailureCodes.SourceRecordMissing, ErrorCategories.InvalidData, ErrorDisposition.UserAction, "Record no longer exists",
            ["The record is no longer in your system. Mark it resolved or skip it."],
            "The source has no record 'INV-1'."),
        ByCode("engine.invalid-data", FailureCodes.InvalidData, ErrorCategories.InvalidData, ErrorDisposition.UserAction, "Record is incomplete or invalid",
            [
                "The record was checked before sending and is missing something Xero needs (see the message).",
                "Correct the record in your system; it is sent again automatically once it changes, or retry it.",
            ],
            "One or more line items must be specified"),
        ByCode("engine.needs-reconciliation", FailureCodes.NeedsReconciliation, ErrorCategories.NeedsReconciliation, ErrorDisposition.UserAction, "Xero may already have this record",
            [
                "A save of this record may have reached Xero, and Xero holds several records that fit it ({Candidates}). SyncKit does not guess which one is yours.",
                "Look at the candidates in Xero. If one is this record, link the record to it (mark it resolved with that Xero id).",
                "If none is, send it as new. Retrying looks Xero up again.",
            ],
            "Xero holds 2 records that fit it: Payment 100.00 on 2026-03-01 (ref EFT); Payment 100.00 on 2026-03-01 (ref EFT)."),
        ByCode("engine.source-read-failed", FailureCodes.SourceReadFailed, ErrorCategories.Source, ErrorDisposition.UserAction, "Could not read the record from your system",
            [
                "Reading this record from your system failed (see the message); other records were synced.",
                "Check the record in your system (a damaged or incomplete row), correct it, and retry.",
            ],
            "Reading 'INV-1' failed: Specified cast is not valid."),
        ByCode("engine.source-id", FailureCodes.SourceIdInvalid, ErrorCategories.Source, ErrorDisposition.UserAction, "Record has no id, or shares its id",
            [
                "Every record needs its own id in your system so that SyncKit can tell whether it was sent.",
                "Give the record an id (or a different one) in your system; it is sent at the next sync.",
            ],
            "2 Invoice records have no id in your system ('INV-1', 'INV-2')."),
        ByCode("engine.invalid-text", FailureCodes.InvalidText, ErrorCategories.InvalidData, ErrorDisposition.UserAction, "Text Xero cannot store",
            [
                "{Field} contains a character that is not valid text (often a damaged character pasted from another program).",
                "Retype that text in your system; the record is sent again automatically once it changes.",
            ],
            "Name contains an incomplete character (an unpaired surrogate) at position 4, which Xero cannot store as sent."),
        ByCode("engine.amount-out-of-range", FailureCodes.AmountOutOfRange, ErrorCategories.InvalidData, ErrorDisposition.UserAction, "Amount too large",
            [
                "An amount or quantity on this record is larger than Xero accepts (see the message).",
                "Correct the amount in your system; the record is sent again automatically once it changes.",
            ],
            "Line 1: the unit price 79228162514264337593543950335 is larger than Xero accepts (999,999,999,999.9999 at most)."),
        ByCode("engine.repeated-server-error", FailureCodes.RepeatedServerError, ErrorCategories.Unavailable, ErrorDisposition.UserAction, "Xero keeps failing on this record",
            [
                "Xero answered with a server error every time this record was sent, and did not save it; other records were not affected.",
                "Check the record for unusual values (very long text, very large amounts), correct it and retry.",
                "If it persists, contact support with the message.",
            ],
            "Xero failed on this record 8 times without saving it."),
        new ErrorRule
        {
            Id = "engine.write-may-have-landed",
            Category = ErrorCategories.Uncertain,
            Disposition = ErrorDisposition.Reconcile,
            Reason = "Connection lost while saving",
            Resolution =
            [
                "The connection dropped while the record was being saved, so it may or may not be in Xero.",
                "Nothing to do: the next sync looks it up in Xero before sending it again, so it is never duplicated.",
            ],
            WriteMayHaveLanded = true,
            Examples = [new SyncFailure { Source = FailureSource.Transport, WriteMayHaveLanded = true, Messages = ["The response ended prematurely."] }],
        },
        new ErrorRule
        {
            Id = "engine.transport",
            Category = ErrorCategories.Unavailable,
            Disposition = ErrorDisposition.RetryLater,
            Reason = "Could not reach Xero",
            Resolution = ["The connection to Xero failed before anything was saved. It is retried automatically."],
            Sources = [FailureSource.Transport],
            Examples = [new SyncFailure { Source = FailureSource.Transport, Messages = ["Connection refused"] }],
        },
        new ErrorRule
        {
            Id = "engine.preparation-failed",
            Category = ErrorCategories.InvalidData,
            Disposition = ErrorDisposition.UserAction,
            Reason = "Record could not be prepared",
            Resolution =
            [
                "This record's data is incomplete or damaged in a way SyncKit's checks did not name (see the message); other records were not affected.",
                "Check the record in your system, correct it, and retry; contact support with the message if it persists.",
            ],
            Codes = [FailureCodes.PreparationFailed],
            Examples = [new SyncFailure { Source = FailureSource.Internal, Code = FailureCodes.PreparationFailed, Messages = ["Value cannot be null."] }],
        },
    ];

    private static ErrorRule ByCode(string id, string code, string category, ErrorDisposition disposition, string reason, IReadOnlyList<string> resolution, string example) => new()
    {
        Id = id,
        Category = category,
        Disposition = disposition,
        Reason = reason,
        Resolution = resolution,
        Codes = [code],
        Examples = [new SyncFailure { Source = code.StartsWith(FailureCodes.MissingMappingPrefix, StringComparison.Ordinal) ? FailureSource.Mapping : FailureSource.Validation, Code = code, Messages = [example] }],
    };
}
