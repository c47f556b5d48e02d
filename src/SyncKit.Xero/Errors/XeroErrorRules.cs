using SyncKit.Errors;
using SyncKit.Records;
using SyncKit.Xero.Errors;

namespace SyncKit.Xero;

/// <summary>Xero's built-in error rules: every Xero and Practice Manager failure SyncKit knows, with what it means and what to do.</summary>
/// <remarks>
/// The rules are ordered (the first match wins) and pure data: each carries real failures in
/// <see cref="ErrorRule.Examples"/> that it must match. Message patterns are deliberately loose (Xero's wording
/// varies between endpoints and over time, and Practice Manager publishes none), so a correction is one line.
/// There is no catch-all: the engine classifies anything unmatched as <see cref="ErrorCategories.Unclassified"/>
/// and keeps Xero's own message.
/// <para>
/// These rules cover what Xero and Practice Manager answer. Failures SyncKit raises itself — missing mappings
/// (an unmapped organisation), dependencies not yet synced, a changed payment, transport failures — carry the
/// engine's codes and are classified by the engine's rules. Connector rules are consulted before the engine's, so
/// the first rule here sends every write that may have landed to reconciliation before any status rule (a 500)
/// could retry it blindly.
/// </para>
/// </remarks>
public static class XeroErrorRules
{
    private const string ValidationException = "ValidationException";
    private const string PracticeManagerError = "PracticeManagerError";

    private static readonly RecordKind[] s_practiceKinds = [RecordKind.Client, RecordKind.Staff, RecordKind.Job, RecordKind.Cost];

    private static readonly string[] s_reconnect =
    [
        "Check that the Xero integration is active: go to Integrations and confirm the status shows \"Active\".",
        "If it does not, click the dropdown and select \"Re-sync now\" (reconnect), then sign in to Xero as a user with access to the organisation and approve the connection.",
        "Another user disconnecting Xero, or signing the product out of Xero, also causes this: whoever administers the Xero integration can reconnect it.",
        "Once the status shows \"Active\", retry the sync.",
    ];

    /// <summary>Every built-in Xero rule, in the order they are tried.</summary>
    public static IReadOnlyList<ErrorRule> All { get; } = Build();

    private static ErrorRule[] Build() =>
    [
        // ---- Writes whose outcome is unknown -------------------------------------------------------------
        new()
        {
            Id = "xero.write-may-have-landed",
            Category = ErrorCategories.Uncertain,
            Disposition = ErrorDisposition.Reconcile,
            Reason = "Xero may have saved this record",
            Resolution = ["Nothing to do: SyncKit looks the record up in Xero before it sends it again, so it is never created twice."],
            Sources = [FailureSource.Transport, FailureSource.Remote],
            WriteMayHaveLanded = true,
            Examples =
            [
                new() { Source = FailureSource.Transport, Messages = ["The request was canceled due to the configured HttpClient.Timeout of 100 seconds elapsing."], WriteMayHaveLanded = true, Kind = RecordKind.Invoice },
                new() { Source = FailureSource.Remote, StatusCode = 500, Messages = ["An unhandled error with the Xero API"], WriteMayHaveLanded = true, Kind = RecordKind.Invoice },
            ],
        },
        new()
        {
            Id = "xero.idempotency-key-reused",
            Category = ErrorCategories.Uncertain,
            Disposition = ErrorDisposition.Reconcile,
            Reason = "A retried batch differed from the first attempt",
            Resolution = ["Nothing to do: SyncKit looks the records up in Xero and sends only those that are missing."],
            StatusCodes = [400],
            MessagePattern = @"Idempotency[- ]Key.*used with a different request",
            Examples = [new() { Source = FailureSource.Remote, StatusCode = 400, Messages = ["Idempotency Key: 7d1c0a5e is used with a different request."] }],
        },

        // ---- Permissions (granular scopes, 2026) -------------------------------------------------------------
        new()
        {
            Id = "xero.missing-scope",
            Category = ErrorCategories.MissingScope,
            Disposition = ErrorDisposition.UserAction,
            Reason = "The Xero connection was not given a permission these records need",
            Resolution =
            [
                "The message names the permission (for example accounting.payments). Records that need it wait; nothing else is held up.",
                "Whoever administers the Xero integration reconnects Xero from Integrations and, when Xero asks, approves every permission requested.",
                "If Xero does not ask for that permission, the app's settings leave it out: add it to the app's scopes (see the Xero setup guide) and reconnect.",
                "Once reconnected, the waiting records are sent by the next sync on their own.",
            ],
            ErrorType = XeroFailureCodes.InsufficientScope,
            Examples =
            [
                new() { Source = FailureSource.Authorization, ErrorType = XeroFailureCodes.InsufficientScope, Kind = RecordKind.Payment, Details = new Dictionary<string, string> { ["Scope"] = XeroScopes.Payments }, Messages = ["Reconnect to grant accounting.payments: the Xero connection was not given that permission, which Payment records need."] },
                new() { Source = FailureSource.Authorization, StatusCode = 401, ErrorType = XeroFailureCodes.InsufficientScope, Kind = RecordKind.Invoice, Messages = ["Reconnect to grant accounting.invoices: the Xero connection was not given that permission, which Invoice records need.", "AuthorizationUnsuccessful"] },
            ],
        },

        // ---- Connection and tokens ------------------------------------------------------------------------
        new()
        {
            Id = "xero.token-expired",
            Category = ErrorCategories.Connection,
            Disposition = ErrorDisposition.RetryLater,
            Reason = "Xero access token expired",
            Resolution = ["Nothing to do: SyncKit refreshes the token and tries again. If this keeps happening, reconnect Xero from Integrations."],
            StatusCodes = [401],
            ErrorType = "TokenExpired",
            Examples = [new() { Source = FailureSource.Authorization, StatusCode = 401, ErrorType = "TokenExpired", Messages = ["TokenExpired: token expired at 08/12/2022 07:00:40"] }],
        },
        new()
        {
            Id = "xero.invalid-grant",
            Category = ErrorCategories.Connection,
            Disposition = ErrorDisposition.Reconnect,
            Reason = "Xero connection expired (sync token issue)",
            Resolution = s_reconnect,
            Sources = [FailureSource.Authorization],
            ErrorType = "invalid_grant",
            Examples = [new() { Source = FailureSource.Authorization, StatusCode = 400, ErrorType = "invalid_grant", Messages = ["The Xero token endpoint answered invalid_grant."] }],
        },
        new()
        {
            Id = "xero.not-connected",
            Category = ErrorCategories.Connection,
            Disposition = ErrorDisposition.Reconnect,
            Reason = "Xero is not connected",
            Resolution = s_reconnect,
            Sources = [FailureSource.Authorization],
            ErrorType = "NotConnected",
            Examples = [new() { Source = FailureSource.Authorization, ErrorType = "NotConnected", Messages = ["No Xero connection is stored for 'tenant-1': connect Xero first."] }],
        },
        // ---- The app's own configuration (stops the run; tenants stay connected) -----------------------------
        new()
        {
            Id = "xero.invalid-client",
            Category = ErrorCategories.Connection,
            Disposition = ErrorDisposition.StopRun,
            Reason = "Xero refused the app's client id or secret (settings Xero:ClientId / Xero:ClientSecret)",
            Resolution =
            [
                "This is a setting of the app, not of any organisation's connection: no organisation needs to reconnect.",
                "Whoever administers the app compares the settings Xero:ClientId and Xero:ClientSecret with the app in the Xero developer portal (My Apps), corrects them and restarts the app.",
                "Then retry the sync: records were not charged an attempt.",
            ],
            Sources = [FailureSource.Authorization],
            ErrorType = "invalid_client",
            Examples = [new() { Source = FailureSource.Authorization, StatusCode = 400, ErrorType = "invalid_client", Messages = ["The Xero token endpoint answered invalid_client."] }],
        },
        new()
        {
            Id = "xero.token-key-mismatch",
            Category = ErrorCategories.Connection,
            Disposition = ErrorDisposition.StopRun,
            Reason = "The stored Xero tokens cannot be read with the configured key (setting Xero:TokenEncryptionKey)",
            Resolution =
            [
                "This is a setting of the app, not of any organisation's connection: the setting Xero:TokenEncryptionKey is not the key the tokens were saved with (it was changed, or differs between servers).",
                "Whoever administers the app restores the previous Xero:TokenEncryptionKey (every server must use the same one) and restarts the app; then retry the sync.",
                "Only if the old key is lost for good: each organisation must connect Xero again, which saves its tokens with the new key.",
            ],
            Sources = [FailureSource.Authorization],
            ErrorType = XeroFailureCodes.TokenKeyMismatch,
            Examples = [new() { Source = FailureSource.Authorization, ErrorType = XeroFailureCodes.TokenKeyMismatch, Messages = ["The stored Xero tokens cannot be decrypted with the setting Xero:TokenEncryptionKey."] }],
        },
        new()
        {
            Id = "xero.unauthorized-client",
            Category = ErrorCategories.Connection,
            Disposition = ErrorDisposition.Reconnect,
            Reason = "The app may not use this kind of Xero connection",
            Resolution =
            [
                "The Xero app is not allowed this grant (for example a custom connection that was not purchased or approved): check the app's type in the Xero developer portal.",
                "Then reconnect Xero from Integrations and retry the sync.",
            ],
            Sources = [FailureSource.Authorization],
            ErrorType = "unauthorized_client",
            Examples = [new() { Source = FailureSource.Authorization, StatusCode = 400, ErrorType = "unauthorized_client", Messages = ["unauthorized_client: Unauthorized client"] }],
        },
        new()
        {
            Id = "xero.authorization-unsuccessful",
            Category = ErrorCategories.Connection,
            Disposition = ErrorDisposition.Reconnect,
            Reason = "Xero refused the connection's access",
            Resolution = [.. s_reconnect.Take(2), "When Xero asks, approve every permission requested (the connection needs access to contacts, transactions and settings).", s_reconnect[3]],
            StatusCodes = [401],
            ErrorType = "AuthorizationUnsuccessful",
            Examples = [new() { Source = FailureSource.Authorization, StatusCode = 401, ErrorType = "AuthorizationUnsuccessful", Messages = ["AuthorizationUnsuccessful"] }],
        },
        new()
        {
            Id = "xero.tenant-forbidden",
            Category = ErrorCategories.Connection,
            Disposition = ErrorDisposition.Reconnect,
            Reason = "The Xero organisation is no longer connected",
            Resolution = s_reconnect,
            StatusCodes = [403],
            Examples = [new() { Source = FailureSource.Authorization, StatusCode = 403, ErrorType = "AuthenticationUnsuccessful", Messages = ["AuthenticationUnsuccessful"] }],
        },
        new()
        {
            Id = "xero.unauthorized",
            Category = ErrorCategories.Connection,
            Disposition = ErrorDisposition.Reconnect,
            Reason = "Xero refused the connection",
            Resolution = s_reconnect,
            StatusCodes = [401],
            Examples = [new() { Source = FailureSource.Authorization, StatusCode = 401, ErrorType = "Unauthorized", Messages = ["Unauthorized"] }],
        },

        // ---- Rate limits -------------------------------------------------------------------------------------
        new()
        {
            Id = "xero.rate-limit-day",
            Category = ErrorCategories.DailyLimit,
            Disposition = ErrorDisposition.PauseTenant,
            Reason = "Xero's daily call limit reached",
            Resolution =
            [
                "Nothing to do: Xero allows a set number of calls per organisation each day, and it has been reached.",
                "The sync shows \"Sync paused until\" with the date and time the limit refreshes, and resumes by itself then.",
            ],
            StatusCodes = [429],
            RateLimitProblem = "day",
            Examples = [new() { Source = FailureSource.Remote, StatusCode = 429, RateLimitProblem = "day", RetryAfter = TimeSpan.FromSeconds(66_975), Messages = ["Xero's day rate limit was reached. Retry after 66975 seconds."] }],
        },
        new()
        {
            Id = "xero.rate-limit-minute",
            Category = ErrorCategories.RateLimit,
            Disposition = ErrorDisposition.RetryLater,
            Reason = "Xero's per-minute call limit reached",
            Resolution = ["Nothing to do: SyncKit waits as long as Xero asks and tries again."],
            StatusCodes = [429],
            RateLimitProblem = "minute",
            Examples = [new() { Source = FailureSource.Remote, StatusCode = 429, RateLimitProblem = "minute", RetryAfter = TimeSpan.FromSeconds(30), Messages = ["Xero's minute rate limit was reached. Retry after 30 seconds."] }],
        },
        new()
        {
            Id = "xero.rate-limit-app-minute",
            Category = ErrorCategories.RateLimit,
            Disposition = ErrorDisposition.RetryLater,
            Reason = "Xero's per-minute limit for the app reached",
            Resolution = ["Nothing to do: the app as a whole made too many calls this minute; SyncKit waits and tries again."],
            StatusCodes = [429],
            RateLimitProblem = "appminute",
            Examples = [new() { Source = FailureSource.Remote, StatusCode = 429, RateLimitProblem = "appminute", RetryAfter = TimeSpan.FromSeconds(12), Messages = ["Xero's appminute rate limit was reached. Retry after 12 seconds."] }],
        },
        new()
        {
            Id = "xero.rate-limit-concurrent",
            Category = ErrorCategories.RateLimit,
            Disposition = ErrorDisposition.RetryLater,
            Reason = "Too many calls to Xero at once",
            Resolution = ["Nothing to do: SyncKit tries again in a moment."],
            StatusCodes = [429],
            RateLimitProblem = "concurrent",
            Examples = [new() { Source = FailureSource.Remote, StatusCode = 429, RateLimitProblem = "concurrent", Messages = ["Xero's concurrent rate limit was reached."] }],
        },
        new()
        {
            Id = "xero.rate-limit",
            Category = ErrorCategories.RateLimit,
            Disposition = ErrorDisposition.RetryLater,
            Reason = "Xero's call limit reached",
            Resolution = ["Nothing to do: SyncKit waits and tries again."],
            StatusCodes = [429],
            Examples = [new() { Source = FailureSource.Remote, StatusCode = 429, Messages = ["Xero's rate limit was reached."] }],
        },

        // ---- Availability ----------------------------------------------------------------------------------
        new()
        {
            Id = "xero.organisation-offline",
            Category = ErrorCategories.Unavailable,
            Disposition = ErrorDisposition.RetryLater,
            Reason = "The Xero organisation is offline",
            Resolution = ["Nothing to do: Xero takes an organisation offline for a few minutes to an hour (for example while it is being moved); SyncKit tries again in about five minutes."],
            StatusCodes = [503],
            MessagePattern = @"organi[sz]ation\s+is\s+offline",
            Examples = [new() { Source = FailureSource.Remote, StatusCode = 503, Messages = ["The Organisation is offline"] }],
        },
        new()
        {
            Id = "xero.maintenance",
            Category = ErrorCategories.Unavailable,
            Disposition = ErrorDisposition.RetryLater,
            Reason = "Xero is down for maintenance",
            Resolution = ["Nothing to do: SyncKit tries again when Xero is back."],
            StatusCodes = [503],
            MessagePattern = @"offline\s+for\s+maintenance|temporarily\s+unavailable|maintenance",
            Examples =
            [
                new() { Source = FailureSource.Remote, StatusCode = 503, Messages = ["The Xero API is currently offline for maintenance"] },
                new() { Source = FailureSource.Remote, StatusCode = 503, Messages = ["The Xero API is temporarily unavailable"] },
            ],
        },
        new()
        {
            Id = "xero.unavailable",
            Category = ErrorCategories.Unavailable,
            Disposition = ErrorDisposition.RetryLater,
            Reason = "Xero is unavailable",
            Resolution = ["Nothing to do: SyncKit tries again later."],
            StatusCodes = [502, 503, 504],
            Examples = [new() { Source = FailureSource.Remote, StatusCode = 502, Messages = ["Bad Gateway"] }],
        },
        new()
        {
            Id = "xero.server-error",
            Category = ErrorCategories.Unavailable,
            Disposition = ErrorDisposition.RetryLater,
            Reason = "Xero had an internal error",
            Resolution = ["Nothing to do: SyncKit tries again later. If the same record keeps failing, contact support with the record and the message below."],
            StatusCodes = [500],
            Examples = [new() { Source = FailureSource.Remote, StatusCode = 500, ErrorType = "UnknownErrorException", Messages = ["An unhandled error with the Xero API"] }],
        },

        // ---- Practice Manager (no published wording: match by category of message) -------------------------
        new()
        {
            Id = "xpm.client-not-found",
            Category = ErrorCategories.UnmappedOrganisation,
            Disposition = ErrorDisposition.UserAction,
            Reason = "Practice Manager client not found",
            Resolution =
            [
                "Search for the client in Xero Practice Manager: it may have been archived, deleted or merged.",
                "Go to Client Mapping and map the organisation to the client as it is now in Practice Manager, then retry the sync.",
            ],
            Kinds = s_practiceKinds,
            Sources = [FailureSource.Remote],
            MessagePattern = @"client.{0,60}(not\s+found|does\s+not\s+exist|cannot\s+be\s+found|unknown|invalid|deleted|archived)",
            Examples = [new() { Source = FailureSource.Remote, StatusCode = 200, ErrorType = PracticeManagerError, Kind = RecordKind.Job, Messages = ["Client not found"] }],
        },
        new()
        {
            Id = "xpm.wip-lock-date",
            Category = ErrorCategories.LockDates,
            Disposition = ErrorDisposition.UserAction,
            Reason = "Lock Dates",
            Resolution =
            [
                "The cost falls within a locked WIP period in Xero Practice Manager.",
                "Go into Xero Practice Manager and unlock the prior period.",
                "Go back to the Error tab, hover over the charge and retry the sync.",
                "Once all charges have been synced, turn the lock periods back on in Xero Practice Manager.",
            ],
            Kinds = s_practiceKinds,
            Sources = [FailureSource.Remote],
            MessagePattern = @"\block(ed)?\b|lock\s*date|\bWIP\b.{0,40}(period|closed)",
            Examples =
            [
                new() { Source = FailureSource.Remote, StatusCode = 200, ErrorType = PracticeManagerError, Kind = RecordKind.Cost, Messages = ["Cost date 15 Oct 2024 falls within a locked WIP period"] },
                new() { Source = FailureSource.Remote, StatusCode = 200, ErrorType = PracticeManagerError, Kind = RecordKind.Cost, Messages = ["The cost date is before the WIP lock date"] },
            ],
        },
        new()
        {
            Id = "xpm.job-deleted",
            Category = ErrorCategories.JobDeleted,
            Disposition = ErrorDisposition.UserAction,
            Reason = "Job has been deleted in XPM",
            Resolution =
            [
                "Note the client name from the failed cost and search for the client in Xero Practice Manager.",
                "Check whether the job has been deleted.",
                "If it has, ask for the job to be recreated (raise a ticket with support), then map the cost to the new job and retry the sync.",
            ],
            Kinds = [RecordKind.Job, RecordKind.Cost],
            Sources = [FailureSource.Remote],
            MessagePattern = @"job.{0,60}(deleted|not\s+found|does\s+not\s+exist|cannot\s+be\s+found|no\s+longer\s+exists)|(deleted|not\s+found|does\s+not\s+exist).{0,40}\bjob\b|no\s+such\s+job|unknown\s+job|invalid\s+job",
            Examples =
            [
                new() { Source = FailureSource.Remote, StatusCode = 200, ErrorType = PracticeManagerError, Kind = RecordKind.Cost, Messages = ["Job J000309 has been deleted"] },
                new() { Source = FailureSource.Remote, StatusCode = 404, ErrorType = PracticeManagerError, Kind = RecordKind.Cost, Messages = ["Job not found"] },
            ],
        },
        new()
        {
            Id = "xpm.job-state",
            Category = ErrorCategories.JobState,
            Disposition = ErrorDisposition.UserAction,
            Reason = "Job state is not \"In Progress\"",
            Resolution =
            [
                "Note which client and job the error relates to, then open Xero Practice Manager and find the job.",
                "Change the job state to In Progress.",
                "Return and retry the sync.",
                "Once synced, you can change the job state back if needed.",
            ],
            Kinds = [RecordKind.Cost],
            Sources = [FailureSource.Remote],
            MessagePattern = @"\bstate\b|in\s*progress|completed|closed|on\s+hold|does\s+not\s+accept|not\s+(open|active)",
            Examples =
            [
                new() { Source = FailureSource.Remote, StatusCode = 200, ErrorType = PracticeManagerError, Kind = RecordKind.Cost, Messages = ["Costs cannot be added to job J000309 because its state is Completed"] },
                new() { Source = FailureSource.Remote, StatusCode = 200, ErrorType = PracticeManagerError, Kind = RecordKind.Cost, Messages = ["Job is not In Progress"] },
            ],
        },


        // ---- Accounting validation (the messages Xero writes) ------------------------------------------
        new()
        {
            Id = "xero.lock-date",
            Category = ErrorCategories.LockDates,
            Disposition = ErrorDisposition.UserAction,
            Reason = "Lock Dates",
            Resolution =
            [
                "The record is dated on or before the organisation's lock date in Xero.",
                "In Xero, go to Accounting → Advanced → Financial settings and move the lock date back (an adviser can unlock the period; the end of year lock date needs an adviser).",
                "Return to the Error tab and retry the sync.",
                "Once everything has synced, set the lock date again.",
                "Alternatively, change the record's date in your system to a date after the lock date and sync again.",
            ],
            Sources = [FailureSource.Remote],
            MessagePattern = @"(period|end\s+of\s+year)\s+lock\s+date|lock\s*date",
            Examples =
            [
                Validation("The document date cannot be before the period lock date, currently set at 30-Nov-2018"),
                Validation("The document date cannot be before the end of year lock date, currently set at 31-Jul-2013", RecordKind.Bill),
                Validation("Payment date cannot be before the period lock date, currently set at 30-Nov-2018", RecordKind.Payment),
            ],
        },
        new()
        {
            Id = "xero.account-archived",
            Category = ErrorCategories.AccountArchived,
            Disposition = ErrorDisposition.UserAction,
            Reason = "Xero account archived or deleted",
            Resolution =
            [
                "The GL account mapped for a line has been archived or deleted in Xero.",
                "Either restore the account in Xero (Accounting → Chart of accounts → Archived), or change the GL mapping to an active Xero account.",
                "Then retry the sync.",
            ],
            Sources = [FailureSource.Remote],
            MessagePattern = @"Account\s+code\s+'[^']*'\s+has\s+been\s+archived|account.{0,40}(archived|has\s+been\s+deleted)",
            Examples = [Validation("Account code '310' has been archived, or has been deleted. Each line item must reference a valid account.")],
        },
        new()
        {
            Id = "xero.account-not-found",
            Category = ErrorCategories.AccountNotFound,
            Disposition = ErrorDisposition.UserAction,
            Reason = "Xero account does not exist",
            Resolution =
            [
                "The account code mapped for a line is not in Xero's chart of accounts, or cannot be used on this kind of document.",
                "Check the GL mapping: map the account to a code that exists in Xero (Accounting → Chart of accounts), or create the account in Xero with that code (trust and holding accounts must be created in Xero first).",
                "Then retry the sync.",
            ],
            Sources = [FailureSource.Remote],
            MessagePattern = @"Account\s+code\s+'[^']*'\s+is\s+not\s+a\s+valid\s+code|account.{0,40}(does\s+not\s+exist|not\s+found|is\s+not\s+valid)",
            Examples = [Validation("Account code '200' is not a valid code for this document.")],
        },
        new()
        {
            Id = "xero.account-code-missing",
            Category = ErrorCategories.AccountWithoutCode,
            Disposition = ErrorDisposition.UserAction,
            Reason = "No account code on a line (GL mapping empty)",
            Resolution =
            [
                "A line was sent without an account code (Xero's message above names the line): its GL mapping is empty, or the Xero account it maps to has no code.",
                "Check the GL mapping for the line's product or charge and map it to a Xero account.",
                "If the Xero account has no code, add a unique code to the account in Xero (Accounting → Chart of accounts): Xero allows accounts without codes, but the integration identifies accounts by code.",
                "Then retry the sync.",
            ],
            Sources = [FailureSource.Remote],
            MessagePattern = @"Account\s+code(\s+or\s+ID)?\s+must\s+be\s+specified",
            Examples = [Validation("Account code must be specified"), Validation("Account code or ID must be specified")],
        },
        new()
        {
            Id = "xero.tax-type-account",
            Category = ErrorCategories.TaxType,
            Disposition = ErrorDisposition.UserAction,
            Reason = "Tax rate not allowed with the account",
            Resolution =
            [
                "The tax rate mapped for a line cannot be used with its Xero account (for example a sales tax rate on an expense account).",
                "Change the tax mapping, or the account's default tax rate in Xero, so they agree; then retry the sync.",
            ],
            Sources = [FailureSource.Remote],
            MessagePattern = @"TaxType\s+code\s+'[^']*'\s+cannot\s+be\s+used\s+with\s+account",
            Examples = [Validation("The TaxType code 'OUTPUT' cannot be used with account code '310'.")],
        },
        new()
        {
            Id = "xero.tax-type-missing",
            Category = ErrorCategories.TaxType,
            Disposition = ErrorDisposition.UserAction,
            Reason = "Tax rate missing or invalid",
            Resolution =
            [
                "A line was sent without a valid tax rate.",
                "Check the tax mapping for the line's tax code and map it to an active Xero tax rate (Accounting → Advanced → Tax rates); then retry the sync.",
            ],
            Sources = [FailureSource.Remote],
            MessagePattern = @"TaxType\s+field\s+is\s+mandatory|TaxType\s+code\s+'[^']*'\s+is\s+not\s+a\s+valid|invalid\s+tax\s*type",
            Examples = [Validation("TaxType field is mandatory")],
        },
        new()
        {
            Id = "xero.negative-quantity",
            Category = ErrorCategories.InvalidData,
            Disposition = ErrorDisposition.UserAction,
            Reason = "Negative quantity",
            Resolution =
            [
                "Xero does not accept negative quantities on a line.",
                "Change the line to a positive quantity with a negative price, or issue a credit note instead; then retry the sync.",
            ],
            Sources = [FailureSource.Remote],
            MessagePattern = @"quantity.{0,60}(must\s+not\s+be\s+less\s+than\s+zero|is\s+invalid)",
            Examples = [Validation("The quantity value '-1.0000' is invalid. Quantity must not be less than zero.")],
        },
        new()
        {
            Id = "xero.has-payments",
            Category = ErrorCategories.NotEditable,
            Disposition = ErrorDisposition.UserAction,
            Reason = "Document has payments in Xero",
            Resolution =
            [
                "The document has a payment or credit note allocated to it in Xero, so it can no longer be changed.",
                "To change it, remove the payment or allocation in Xero, retry the sync, then apply the payment again; otherwise make the change in Xero by hand.",
            ],
            Sources = [FailureSource.Remote],
            MessagePattern = @"cannot\s+be\s+edited\s+as\s+it\s+has\s+a\s+payment|payment\s+or\s+credit\s+note\s+allocated",
            Examples = [Validation("This document cannot be edited as it has a payment or credit note allocated to it.")],
        },
        new()
        {
            Id = "xero.payment-not-editable",
            Category = ErrorCategories.Payment,
            Disposition = ErrorDisposition.UserAction,
            Reason = "Payment cannot be changed in Xero",
            Resolution =
            [
                "Xero does not allow a payment to be edited, only deleted.",
                "Delete the payment in Xero (open the document, select the payment, Options → Remove and Redo), then retry the sync so the changed payment is sent.",
            ],
            Sources = [FailureSource.Remote],
            MessagePattern = @"Payment\s+not\s+of\s+valid\s+status\s+for\s+modification",
            Examples = [Validation("Payment not of valid status for modification", RecordKind.Payment)],
        },
        new()
        {
            Id = "xero.not-editable",
            Category = ErrorCategories.NotEditable,
            Disposition = ErrorDisposition.UserAction,
            Reason = "Document cannot be changed in Xero",
            Resolution =
            [
                "The document is paid, voided or deleted in Xero and can no longer be changed.",
                "Make the change in Xero by hand (or void it there and create a new one), then mark the record as synced or skip it.",
            ],
            Sources = [FailureSource.Remote],
            MessagePattern = @"not\s+of\s+valid\s+status\s+for\s+modification",
            Examples = [Validation("Invoice not of valid status for modification"), Validation("Document not of valid status for modification", RecordKind.CreditNote)],
        },
        new()
        {
            Id = "xero.document-not-found",
            Category = ErrorCategories.NotEditable,
            Disposition = ErrorDisposition.UserAction,
            Reason = "Record was deleted in Xero",
            Resolution =
            [
                "The record this one updates or pays no longer exists in Xero (it was deleted or voided there).",
                "SyncKit will not create it again by itself, as that could duplicate it. If it was removed on purpose, skip this record.",
                "If it should be in Xero, enter it there again by hand, then skip this record (or, for a payment, retry it once the document it pays is back in Xero).",
            ],
            Sources = [FailureSource.Remote],
            MessagePattern = @"supplied\s+id\s+was\s+not\s+found|was\s+not\s+found\s+for\s+this\s+endpoint",
            Examples = [Validation("The document with the supplied id was not found for this endpoint.", RecordKind.Payment)],
        },
        new()
        {
            Id = "xero.duplicate-contact",
            Category = ErrorCategories.Contact,
            Disposition = ErrorDisposition.UserAction,
            Reason = "A Xero contact already has this name",
            Resolution =
            [
                "Xero requires contact names to be unique across active contacts, and another contact already has this name.",
                "Either link the customer to the existing Xero contact (contact mapping), or rename one of them so the names differ; then retry the sync.",
            ],
            Sources = [FailureSource.Remote],
            MessagePattern = @"contact\s+name\s+.*\s+is\s+already\s+assigned\s+to\s+another\s+contact|contact\s+name\s+must\s+be\s+unique",
            Examples = [Validation("The contact name Acme Pty Ltd is already assigned to another contact. The contact name must be unique across all active contacts.", RecordKind.Contact)],
        },
        new()
        {
            Id = "xero.duplicate-number",
            Category = ErrorCategories.DuplicateNumber,
            Disposition = ErrorDisposition.UserAction,
            Reason = "Document number already used in Xero",
            Resolution =
            [
                "Another document in Xero already has this number.",
                "Check Xero for the existing document: if it is this one, link it (mark the record as synced); otherwise change the number in your system or in Xero's invoice settings, then retry the sync.",
            ],
            Sources = [FailureSource.Remote],
            MessagePattern = @"#\s*must\s+be\s+unique|number\s+(must\s+be\s+unique|already\s+exists|is\s+already\s+(used|in\s+use))",
            Examples = [Validation("Invoice # must be unique.")],
        },
        new()
        {
            Id = "xero.archived-contact",
            Category = ErrorCategories.Contact,
            Disposition = ErrorDisposition.UserAction,
            Reason = "Xero contact is archived",
            Resolution =
            [
                "The customer or supplier is archived in Xero (or was merged into another contact).",
                "Restore the contact in Xero (Contacts → Archived → Restore), or link the customer to the contact it was merged into; then retry the sync.",
            ],
            Sources = [FailureSource.Remote],

            // No confirmed Xero wording: matches the emulator's approximation and plausible variants.
            MessagePattern = @"contact.{0,80}\b(is\s+)?archived|archived\s+contact|contact.{0,40}merged",
            Examples = [Validation("The contact Acme Pty Ltd is archived. Archived contacts cannot be used on new documents.")],
        },
        new()
        {
            Id = "xero.payment-document-not-authorised",
            Category = ErrorCategories.Payment,
            Disposition = ErrorDisposition.UserAction,
            Reason = "Document is already paid, or not approved, in Xero",
            Resolution =
            [
                "Xero takes a payment only on an approved (Authorised) document that still has an amount due. Xero gives the same message when the document is already fully paid (or voided) as when it is a draft.",
                "Open the document in Xero. If it is already paid, the payment was most likely recorded there by hand: if this payment is among its payments, skip this record so it is not sent again.",
                "If it is a draft or awaiting approval, approve it in Xero (or send it from your system as approved), then retry the payment.",
            ],
            Sources = [FailureSource.Remote],
            MessagePattern = @"Payments?\s+can\s+only\s+be\s+made\s+against\s+Authori[sz]ed",
            Examples = [Validation("Payments can only be made against Authorised documents", RecordKind.Payment)],
        },
        new()
        {
            Id = "xero.over-payment",
            Category = ErrorCategories.Payment,
            Disposition = ErrorDisposition.UserAction,
            Reason = "Payment is more than the amount due",
            Resolution =
            [
                "The payment is larger than what is still owed on the document in Xero (it may already be paid, partly paid or credited there).",
                "Check the document's payments in Xero and in your system, correct the amount, then retry the sync.",
            ],
            Sources = [FailureSource.Remote],
            MessagePattern = @"amount\s+exceeds\s+the\s+amount\s+outstanding|exceeds.{0,30}outstanding",
            Examples = [Validation("Payment amount exceeds the amount outstanding on this document", RecordKind.Payment)],
        },
        new()
        {
            Id = "xero.payments-account",
            Category = ErrorCategories.PaymentsAccount,
            Disposition = ErrorDisposition.UserAction,
            Reason = "Account does not accept payments",
            Resolution =
            [
                "The account the payment is made to is not a bank account and does not have payments enabled.",
                "In Xero, open the account (Accounting → Chart of accounts), tick \"Enable payments to this account\" and save; or map payments to a bank account.",
                "Then retry the sync.",
            ],
            Sources = [FailureSource.Remote],

            // No confirmed Xero wording: matches the emulator's approximation and plausible variants.
            MessagePattern = @"enable\s+payments|payments\s+enabled|payments?\s+(are\s+)?not\s+(enabled|allowed)|payments?\s+cannot\s+be\s+made\s+to\s+account|account.{0,60}(cannot|can\s*not|does\s+not)\s+(accept|allow|receive)\s+payments|not\s+a\s+bank\s+account",
            Examples =
            [
                Validation("Payments cannot be made to account code '800'. The account must be a bank account or have payments enabled.", RecordKind.Payment),
                Validation("Account code '800' is not a bank account and does not allow payments. Enable payments to this account in Xero.", RecordKind.Payment),
            ],
        },
        new()
        {
            Id = "xero.currency",
            Category = ErrorCategories.Currency,
            Disposition = ErrorDisposition.UserAction,
            Reason = "Currency not enabled in Xero",
            Resolution =
            [
                "The organisation in Xero does not use this currency.",
                "Add the currency in Xero (Accounting → Advanced → Currencies; a plan with multi-currency is needed), then retry the sync.",
            ],
            Sources = [FailureSource.Remote],
            MessagePattern = @"not\s+subscribed\s+to\s+currency|currency.{0,40}(not\s+enabled|is\s+not\s+valid|invalid)",
            Examples = [Validation("Organisation is not subscribed to currency EUR")],
        },
        new()
        {
            Id = "xero.contact-missing",
            Category = ErrorCategories.ContactMapping,
            Disposition = ErrorDisposition.UserAction,
            Reason = "No contact on the document",
            Resolution =
            [
                "The document was sent without a Xero contact.",
                "Check that the customer or supplier is synced (or mapped to a Xero contact), then retry the sync.",
            ],
            Sources = [FailureSource.Remote],
            MessagePattern = @"Contact\s+must\s+contain\s+at\s+least\s+1\s+of\s+the\s+following|contact\s+(is\s+)?(required|must\s+be\s+specified)",
            Examples = [Validation("The Contact must contain at least 1 of the following elements to identify the contact: Name, ContactID, ContactNumber")],
        },
        new()
        {
            Id = "xero.no-lines",
            Category = ErrorCategories.InvalidData,
            Disposition = ErrorDisposition.UserAction,
            Reason = "Document has no lines",
            Resolution = ["Add at least one line to the document in your system (or skip it), then retry the sync."],
            Sources = [FailureSource.Remote],
            MessagePattern = @"One\s+or\s+more\s+line\s+items\s+must\s+be\s+specified",
            Examples = [Validation("One or more line items must be specified")],
        },
        new()
        {
            Id = "xero.discount",
            Category = ErrorCategories.InvalidData,
            Disposition = ErrorDisposition.UserAction,
            Reason = "Invalid discount",
            Resolution = ["A line's discount is larger than the line itself, or not a valid percentage. Correct the discount in your system, then retry the sync."],
            Sources = [FailureSource.Remote],
            MessagePattern = @"discount\s+rate\s+'[^']*'\s+is\s+invalid|discount\s+must\s+not\s+be\s+greater",
            Examples = [Validation("The discount rate '0.00' is invalid. Discount must not be greater than the line total.")],
        },
        new()
        {
            Id = "xero.line-total-mismatch",
            Category = ErrorCategories.InvalidData,
            Disposition = ErrorDisposition.UserAction,
            Reason = "Line total differs from Xero's calculation",
            Resolution =
            [
                "Xero works out each line's total (and rounds tax per line) and got a different amount.",
                "Set a rounding account in the sync settings so small differences are adjusted automatically, or correct the line's quantity and price; then retry the sync.",
            ],
            Sources = [FailureSource.Remote],
            MessagePattern = @"line\s+total\s+[-\d.,]+\s+does\s+not\s+match\s+the\s+expected\s+line\s+total",
            Examples = [Validation("The line total 123.00 does not match the expected line total of 134.99")],
        },

        new()
        {
            Id = "xero.item-not-found",
            Category = ErrorCategories.ItemMapping,
            Disposition = ErrorDisposition.UserAction,
            Reason = "Item does not exist in Xero",
            Resolution =
            [
                "A line refers to an item code that is not in Xero's products and services.",
                "Check the item mapping, or sync the item to Xero first (or create it in Xero with that code); then retry the sync.",
            ],
            Sources = [FailureSource.Remote],
            MessagePattern = @"Item\s+code\s+'[^']*'\s+is\s+not\s+valid|Item\s+code\s+must\s+be\s+specified",
            Examples = [Validation("Item code 'CONSULT' is not valid.")],
        },
        new()
        {
            Id = "xero.duplicate-item-code",
            Category = ErrorCategories.DuplicateNumber,
            Disposition = ErrorDisposition.UserAction,
            Reason = "Item code already used in Xero",
            Resolution =
            [
                "Another item in Xero already has this code.",
                "Link the product to the existing Xero item (item mapping), or change the code in your system; then retry the sync.",
            ],
            Sources = [FailureSource.Remote],
            MessagePattern = @"Item\s+code\s+'[^']*'\s+already\s+exists|Please\s+enter\s+a\s+unique\s+Code",
            Examples = [Validation("Item code 'CONSULT' already exists.", RecordKind.Item), Validation("Please enter a unique Code.", RecordKind.Item)],
        },
        new()
        {
            Id = "xero.payment-amount",
            Category = ErrorCategories.Payment,
            Disposition = ErrorDisposition.UserAction,
            Reason = "Payment amount is zero or negative",
            Resolution = ["Xero only takes payments greater than zero: correct the payment in your system (a refund is a payment on a credit note), then retry the sync."],
            Sources = [FailureSource.Remote],
            MessagePattern = @"Payment\s+amount\s+must\s+be\s+greater\s+than\s+zero",
            Examples = [Validation("Payment amount must be greater than zero.", RecordKind.Payment)],
        },
        new()
        {
            Id = "xero.negative-total",
            Category = ErrorCategories.InvalidData,
            Disposition = ErrorDisposition.UserAction,
            Reason = "Document total is negative",
            Resolution = ["Xero does not accept a document with a negative total: send it as a credit note (the default policy for negative invoices) or correct it in your system; then retry the sync."],
            Sources = [FailureSource.Remote],
            MessagePattern = @"total\s+cannot\s+be\s+negative",
            Examples = [Validation("The document total cannot be negative.")],
        },

        new()
        {
            Id = "xero.contact-name-linked-elsewhere",
            Category = ErrorCategories.Contact,
            Disposition = ErrorDisposition.UserAction,
            Reason = "A contact with this name already exists in Xero and is linked to another record",
            Resolution =
            [
                "Xero needs every contact's name to be different, and the contact with this name belongs to the other record named in the message; SyncKit did not merge the two.",
                "If they are different customers or suppliers, give this one a different name in your system (for example add the branch or city), then retry the sync.",
                "If they are the same, merge or link the two records in your system, then retry the sync.",
            ],
            Codes = [XeroFailureCodes.ContactNameTaken],
            Examples = [new() { Source = FailureSource.Validation, Code = XeroFailureCodes.ContactNameTaken, Kind = RecordKind.Contact, Messages = ["A contact named 'Acme Pty Ltd' already exists in Xero and is linked to another record ('cust-1'), so this record ('cust-2') was not sent: Xero needs every contact's name to be different."] }],
        },

        // ---- Not found (after the validation rules: some "not found" cases are 400s) --------------------
        new()
        {
            Id = "xero.not-found",
            Category = ErrorCategories.NotEditable,
            Disposition = ErrorDisposition.UserAction,
            Reason = "Not found in Xero: a wrong API address, or a record deleted there",
            Resolution =
            [
                "Xero answered \"not found\". When every record fails this way, the API address is wrong: XeroOptions.ApiBaseUrl must be the host only (https://api.xero.com/), not an endpoint copied from Xero's documentation (…/api.xro/2.0/); SyncKit adds the path itself.",
                "When only this record fails, the Xero record it points to was deleted there. SyncKit will not create it again by itself, as that could duplicate it: if it was removed on purpose, skip this record; otherwise enter it in Xero again by hand and skip this record.",
            ],
            StatusCodes = [404],
            Examples = [new() { Source = FailureSource.Remote, StatusCode = 404, ErrorType = "NotFound", Messages = ["The resource you're looking for cannot be found"], Kind = RecordKind.Invoice }],
        },
    ];

    private static SyncFailure Validation(string message, RecordKind kind = RecordKind.Invoice) => new()
    {
        Source = FailureSource.Remote,
        StatusCode = 400,
        ErrorType = ValidationException,
        Messages = [message],
        Kind = kind,
    };
}
