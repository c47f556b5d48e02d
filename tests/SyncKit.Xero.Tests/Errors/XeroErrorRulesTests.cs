using SyncKit.Errors;
using SyncKit.Records;

namespace SyncKit.Xero.Tests.Errors;

public sealed class XeroErrorRulesTests
{
    private static string? Classify(SyncFailure failure) => XeroErrorRules.All.FirstOrDefault(r => r.Matches(failure))?.Id;

    private static SyncFailure Validation(string message, RecordKind kind = RecordKind.Invoice) => new()
    {
        Source = FailureSource.Remote,
        StatusCode = 400,
        ErrorType = "ValidationException",
        Messages = [message],
        Kind = kind,
    };

    private static SyncFailure Pm(string message, RecordKind kind = RecordKind.Cost) => new()
    {
        Source = FailureSource.Remote,
        StatusCode = 200,
        ErrorType = "PracticeManagerError",
        Messages = [message],
        Kind = kind,
    };

    public static TheoryData<string> RuleIds() => [.. XeroErrorRules.All.Select(r => r.Id)];

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void EveryRule_IsTheFirstMatchForEachOfItsExamples(string id)
    {
        var rule = XeroErrorRules.All.Single(r => r.Id == id);

        Assert.NotEmpty(rule.Examples);
        foreach (var example in rule.Examples)
        {
            Assert.True(rule.Matches(example), $"{id} does not match its example '{example.MessageText}'.");
            Assert.Equal(id, Classify(example));
        }
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void EveryRule_HasAReasonAndResolutionStepsForAnAccountant(string id)
    {
        var rule = XeroErrorRules.All.Single(r => r.Id == id);

        Assert.False(string.IsNullOrWhiteSpace(rule.Reason));
        Assert.NotEmpty(rule.Resolution);
        Assert.All(rule.Resolution, step => Assert.False(string.IsNullOrWhiteSpace(step)));
        Assert.Matches("^(xero|xpm)\\.[a-z0-9-]+$", rule.Id);
    }

    [Fact]
    public void RuleIds_AreUnique()
    {
        Assert.Equal(XeroErrorRules.All.Count, XeroErrorRules.All.Select(r => r.Id).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void NoRuleIsACatchAll()
    {
        var unknown = new SyncFailure { Source = FailureSource.Remote, StatusCode = 400, ErrorType = "ValidationException", Messages = ["Something nobody has seen before"], Kind = RecordKind.Invoice };

        Assert.Null(Classify(unknown));
    }

    /// <summary>The table: each rule with a real failure it must match and a near miss it must not.</summary>
    public static TheoryData<string, SyncFailure, SyncFailure> Table() => new()
    {
        { "xero.write-may-have-landed", new SyncFailure { Source = FailureSource.Transport, WriteMayHaveLanded = true, Messages = ["timeout"] }, new SyncFailure { Source = FailureSource.Transport, Messages = ["timeout"] } },
        { "xero.idempotency-key-reused", Validation("Idempotency Key: abc is used with a different request."), Validation("Idempotency Key: abc is fine") },
        { "xero.token-expired", new SyncFailure { Source = FailureSource.Authorization, StatusCode = 401, ErrorType = "TokenExpired", Messages = ["TokenExpired: token expired at 08/12/2022 07:00:40"] }, new SyncFailure { Source = FailureSource.Authorization, StatusCode = 401, ErrorType = "AuthorizationUnsuccessful", Messages = ["AuthorizationUnsuccessful"] } },
        { "xero.invalid-grant", new SyncFailure { Source = FailureSource.Authorization, StatusCode = 400, ErrorType = "invalid_grant", Messages = ["invalid_grant"] }, new SyncFailure { Source = FailureSource.Authorization, StatusCode = 400, ErrorType = "invalid_client", Messages = ["invalid_client"] } },
        { "xero.not-connected", new SyncFailure { Source = FailureSource.Authorization, ErrorType = "NotConnected", Messages = ["No Xero connection is stored"] }, new SyncFailure { Source = FailureSource.Remote, ErrorType = "NotConnected", Messages = ["x"] } },
        { "xero.invalid-client", new SyncFailure { Source = FailureSource.Authorization, ErrorType = "invalid_client", Messages = ["invalid_client"] }, new SyncFailure { Source = FailureSource.Authorization, ErrorType = "invalid_grant", Messages = ["invalid_grant"] } },
        { "xero.token-key-mismatch", new SyncFailure { Source = FailureSource.Authorization, ErrorType = "TokenKeyMismatch", Messages = ["The stored Xero tokens cannot be decrypted."] }, new SyncFailure { Source = FailureSource.Authorization, ErrorType = "NotConnected", Messages = ["No Xero connection is stored."] } },
        { "xero.contact-name-linked-elsewhere", new SyncFailure { Source = FailureSource.Validation, Code = "Xero.ContactNameTaken", Kind = RecordKind.Contact, Messages = ["A contact named 'Acme' already exists in Xero and is linked to another record ('a')."] }, new SyncFailure { Source = FailureSource.Validation, Code = "InvalidData", Kind = RecordKind.Contact, Messages = ["The contact name is too long."] } },
        { "xero.unauthorized-client", new SyncFailure { Source = FailureSource.Authorization, ErrorType = "unauthorized_client", Messages = ["unauthorized_client"] }, new SyncFailure { Source = FailureSource.Authorization, ErrorType = "invalid_client", Messages = ["invalid_client"] } },
        { "xero.authorization-unsuccessful", new SyncFailure { Source = FailureSource.Authorization, StatusCode = 401, ErrorType = "AuthorizationUnsuccessful", Messages = ["AuthorizationUnsuccessful"] }, new SyncFailure { Source = FailureSource.Authorization, StatusCode = 403, ErrorType = "AuthorizationUnsuccessful", Messages = ["AuthorizationUnsuccessful"] } },
        { "xero.tenant-forbidden", new SyncFailure { Source = FailureSource.Authorization, StatusCode = 403, ErrorType = "AuthenticationUnsuccessful", Messages = ["AuthenticationUnsuccessful"] }, new SyncFailure { Source = FailureSource.Authorization, StatusCode = 401, ErrorType = "AuthenticationUnsuccessful", Messages = ["AuthenticationUnsuccessful"] } },
        { "xero.unauthorized", new SyncFailure { Source = FailureSource.Authorization, StatusCode = 401, ErrorType = "Unauthorized", Messages = ["Unauthorized"] }, new SyncFailure { Source = FailureSource.Authorization, StatusCode = 403, ErrorType = "Forbidden", Messages = ["Forbidden"] } },
        { "xero.rate-limit-day", new SyncFailure { Source = FailureSource.Remote, StatusCode = 429, RateLimitProblem = "Day", Messages = ["day"] }, new SyncFailure { Source = FailureSource.Remote, StatusCode = 429, RateLimitProblem = "minute", Messages = ["minute"] } },
        { "xero.rate-limit-minute", new SyncFailure { Source = FailureSource.Remote, StatusCode = 429, RateLimitProblem = "MINUTE", Messages = ["minute"] }, new SyncFailure { Source = FailureSource.Remote, StatusCode = 429, RateLimitProblem = "appminute", Messages = ["appminute"] } },
        { "xero.rate-limit-app-minute", new SyncFailure { Source = FailureSource.Remote, StatusCode = 429, RateLimitProblem = "appminute", Messages = ["appminute"] }, new SyncFailure { Source = FailureSource.Remote, StatusCode = 429, RateLimitProblem = "concurrent", Messages = ["concurrent"] } },
        { "xero.rate-limit-concurrent", new SyncFailure { Source = FailureSource.Remote, StatusCode = 429, RateLimitProblem = "concurrent", Messages = ["concurrent"] }, new SyncFailure { Source = FailureSource.Remote, StatusCode = 429, RateLimitProblem = "day", Messages = ["day"] } },
        { "xero.rate-limit", new SyncFailure { Source = FailureSource.Remote, StatusCode = 429, Messages = ["Too many requests"] }, new SyncFailure { Source = FailureSource.Remote, StatusCode = 503, Messages = ["Too many requests"] } },
        { "xero.organisation-offline", new SyncFailure { Source = FailureSource.Remote, StatusCode = 503, Messages = ["The Organisation is offline"] }, new SyncFailure { Source = FailureSource.Remote, StatusCode = 503, Messages = ["The Xero API is temporarily unavailable"] } },
        { "xero.maintenance", new SyncFailure { Source = FailureSource.Remote, StatusCode = 503, Messages = ["The Xero API is currently offline for maintenance"] }, new SyncFailure { Source = FailureSource.Remote, StatusCode = 503, Messages = ["The Organisation is offline"] } },
        { "xero.unavailable", new SyncFailure { Source = FailureSource.Remote, StatusCode = 504, Messages = ["Gateway Timeout"] }, new SyncFailure { Source = FailureSource.Remote, StatusCode = 500, Messages = ["An unhandled error with the Xero API"] } },
        { "xero.server-error", new SyncFailure { Source = FailureSource.Remote, StatusCode = 500, Messages = ["An unhandled error with the Xero API"] }, new SyncFailure { Source = FailureSource.Remote, StatusCode = 502, Messages = ["An unhandled error with the Xero API"] } },
        { "xpm.client-not-found", Pm("Client not found", RecordKind.Job), Validation("Client not found", RecordKind.Invoice) },
        { "xpm.wip-lock-date", Pm("The cost date is in a locked period"), Pm("Job J000309 has been deleted") },
        { "xpm.job-deleted", Pm("Job J000309 does not exist"), Pm("Cost code DISB not found") },
        { "xpm.job-state", Pm("Job J000309 is Completed and does not accept costs"), Pm("Cost date falls within a locked WIP period") },
        { "xero.lock-date", Validation("The document date cannot be before the end of year lock date, currently set at 31-Jul-2013"), Validation("The document date is invalid") },
        { "xero.account-archived", Validation("Account code '310' has been archived, or has been deleted. Each line item must reference a valid account."), Validation("Account code '200' is not a valid code for this document.") },
        { "xero.account-not-found", Validation("Account code '200' is not a valid code for this document."), Validation("Account code must be specified") },
        { "xero.account-code-missing", Validation("Account code or ID must be specified"), Validation("Account code '200' is not a valid code for this document.") },
        { "xero.tax-type-account", Validation("The TaxType code 'OUTPUT' cannot be used with account code '310'."), Validation("TaxType field is mandatory") },
        { "xero.tax-type-missing", Validation("TaxType field is mandatory"), Validation("The TaxType code 'OUTPUT' cannot be used with account code '310'.") },
        { "xero.negative-quantity", Validation("The quantity value '-1.0000' is invalid. Quantity must not be less than zero."), Validation("The discount rate '0.00' is invalid. Discount must not be greater than the line total.") },
        { "xero.has-payments", Validation("This document cannot be edited as it has a payment or credit note allocated to it."), Validation("Invoice not of valid status for modification") },
        { "xero.payment-not-editable", Validation("Payment not of valid status for modification", RecordKind.Payment), new SyncFailure { Source = FailureSource.Validation, Code = "PaymentChanged", Messages = ["Payment not of valid status for modification"] } },
        { "xero.not-editable", Validation("Document not of valid status for modification"), Validation("This document cannot be edited as it has a payment or credit note allocated to it.") },
        { "xero.document-not-found", Validation("The document with the supplied id was not found for this endpoint."), new SyncFailure { Source = FailureSource.Remote, StatusCode = 404, Messages = ["The resource you're looking for cannot be found"] } },
        { "xero.duplicate-contact", Validation("The contact name Acme Pty Ltd is already assigned to another contact. The contact name must be unique across all active contacts.", RecordKind.Contact), Validation("The Contact must contain at least 1 of the following elements to identify the contact: Name, ContactID, ContactNumber") },
        { "xero.duplicate-number", Validation("Invoice # must be unique."), Validation("Invoice not of valid status for modification") },
        { "xero.archived-contact", Validation("The contact 'Acme Pty Ltd' is archived and cannot be used"), Validation("The contact name Acme Pty Ltd is already assigned to another contact. The contact name must be unique across all active contacts.") },
        { "xero.payment-document-not-authorised", Validation("Payments can only be made against Authorised documents", RecordKind.Payment), Validation("Payment amount exceeds the amount outstanding on this document", RecordKind.Payment) },
        { "xero.over-payment", Validation("Payment amount exceeds the amount outstanding on this document", RecordKind.Payment), Validation("Payments can only be made against Authorised documents", RecordKind.Payment) },
        { "xero.payments-account", Validation("Payments are not enabled for account '800'", RecordKind.Payment), Validation("Account code '800' is not a valid code for this document.", RecordKind.Payment) },
        { "xero.currency", Validation("Organisation is not subscribed to currency EUR"), Validation("One or more line items must be specified") },
        { "xero.contact-missing", Validation("The Contact must contain at least 1 of the following elements to identify the contact: Name, ContactID, ContactNumber"), Validation("One or more line items must be specified") },
        { "xero.no-lines", Validation("One or more line items must be specified"), Validation("The Contact must contain at least 1 of the following elements to identify the contact: Name, ContactID, ContactNumber") },
        { "xero.discount", Validation("The discount rate '0.00' is invalid. Discount must not be greater than the line total."), Validation("The line total 123.00 does not match the expected line total of 134.99") },
        { "xero.line-total-mismatch", Validation("The line total 123.00 does not match the expected line total of 134.99"), Validation("The discount rate '0.00' is invalid. Discount must not be greater than the line total.") },
        { "xero.item-not-found", Validation("Item code 'CONSULT' is not valid."), Validation("Item code 'CONSULT' already exists.") },
        { "xero.duplicate-item-code", Validation("Please enter a unique Code.", RecordKind.Item), Validation("Item code 'CONSULT' is not valid.") },
        { "xero.payment-amount", Validation("Payment amount must be greater than zero.", RecordKind.Payment), Validation("Payment amount exceeds the amount outstanding on this document", RecordKind.Payment) },
        { "xero.negative-total", Validation("The document total cannot be negative."), Validation("The line total 123.00 does not match the expected line total of 134.99") },
        { "xero.missing-scope", new SyncFailure { Source = FailureSource.Authorization, StatusCode = 401, ErrorType = "InsufficientScope", Kind = RecordKind.Payment, Messages = ["Reconnect to grant accounting.payments."] }, new SyncFailure { Source = FailureSource.Authorization, StatusCode = 401, ErrorType = "AuthorizationUnsuccessful", Messages = ["AuthorizationUnsuccessful"] } },
        { "xero.not-found", new SyncFailure { Source = FailureSource.Remote, StatusCode = 404, ErrorType = "NotFound", Messages = ["The resource you're looking for cannot be found"] }, new SyncFailure { Source = FailureSource.Remote, StatusCode = 400, Messages = ["The resource you're looking for cannot be found"] } },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Rule_MatchesItsFailureAndNotItsNearMiss(string id, SyncFailure mustMatch, SyncFailure mustNotMatch)
    {
        var rule = XeroErrorRules.All.Single(r => r.Id == id);

        Assert.True(rule.Matches(mustMatch));
        Assert.Equal(id, Classify(mustMatch));
        Assert.False(rule.Matches(mustNotMatch));
    }

    [Fact]
    public void Table_ListsEveryRule()
    {
        var listed = Table().Select(row => (string)row[0]).ToHashSet();

        var unlisted = XeroErrorRules.All.Select(r => r.Id).Where(id => !listed.Contains(id)).ToList();

        Assert.True(unlisted.Count == 0, "Rules missing from the table: " + string.Join(", ", unlisted));
    }

    /// <summary>Every message in XERO.md's table of validation messages, and the rule that must classify it.</summary>
    [Theory]
    [InlineData("The document date cannot be before the period lock date, currently set at 30-Nov-2018", "xero.lock-date")]
    [InlineData("The document date cannot be before the end of year lock date, currently set at 31-Jul-2013", "xero.lock-date")]
    [InlineData("Account code '200' is not a valid code for this document.", "xero.account-not-found")]
    [InlineData("Account code '310' has been archived, or has been deleted. Each line item must reference a valid account.", "xero.account-archived")]
    [InlineData("Account code must be specified", "xero.account-code-missing")]
    [InlineData("Account code or ID must be specified", "xero.account-code-missing")]
    [InlineData("The TaxType code 'OUTPUT' cannot be used with account code '310'.", "xero.tax-type-account")]
    [InlineData("TaxType field is mandatory", "xero.tax-type-missing")]
    [InlineData("The quantity value '-1.0000' is invalid. Quantity must not be less than zero.", "xero.negative-quantity")]
    [InlineData("Invoice not of valid status for modification", "xero.not-editable")]
    [InlineData("Document not of valid status for modification", "xero.not-editable")]
    [InlineData("This document cannot be edited as it has a payment or credit note allocated to it.", "xero.has-payments")]
    [InlineData("The contact name Acme Pty Ltd is already assigned to another contact. The contact name must be unique across all active contacts.", "xero.duplicate-contact")]
    [InlineData("Invoice # must be unique.", "xero.duplicate-number")]
    [InlineData("Payments can only be made against Authorised documents", "xero.payment-document-not-authorised")]
    [InlineData("Organisation is not subscribed to currency EUR", "xero.currency")]
    [InlineData("The Contact must contain at least 1 of the following elements to identify the contact: Name, ContactID, ContactNumber", "xero.contact-missing")]
    [InlineData("One or more line items must be specified", "xero.no-lines")]
    [InlineData("The discount rate '0.00' is invalid. Discount must not be greater than the line total.", "xero.discount")]
    [InlineData("Payment amount exceeds the amount outstanding on this document", "xero.over-payment")]
    [InlineData("Payment not of valid status for modification", "xero.payment-not-editable")]
    [InlineData("The line total 123.00 does not match the expected line total of 134.99", "xero.line-total-mismatch")]
    [InlineData("The document with the supplied id was not found for this endpoint.", "xero.document-not-found")]
    [InlineData("The contact Acme Pty Ltd has been archived", "xero.archived-contact")]
    [InlineData("Account 'Sales' does not allow payments. Enable payments to this account in Xero.", "xero.payments-account")]
    [InlineData("Payments cannot be made to account code '800'. The account must be a bank account or have payments enabled.", "xero.payments-account")]
    [InlineData("The contact 'Acme Pty Ltd' is archived. Archived contacts cannot be used on a document.", "xero.archived-contact")]
    public void XeroValidationMessage_IsClassifiedByItsRule(string message, string expected)
    {
        Assert.Equal(expected, Classify(Validation(message)));
    }

    [Fact]
    public void BothLockDatesOnOneElement_AreOneLockDateFailure()
    {
        var failure = Validation("x") with
        {
            Messages =
            [
                "The document date cannot be before the period lock date, currently set at 30-Nov-2018",
                "The document date cannot be before the end of year lock date, currently set at 31-Jul-2013",
            ],
        };

        Assert.Equal("xero.lock-date", Classify(failure));
    }

    [Theory]
    [InlineData("Cost date falls within a locked WIP period", "xpm.wip-lock-date")]
    [InlineData("Costs cannot be added to job J000309 because its state is Completed", "xpm.job-state")]
    [InlineData("Job J000309 has been deleted", "xpm.job-deleted")]
    [InlineData("Job not found", "xpm.job-deleted")]
    [InlineData("Cost date 20241015 is on or before the WIP lock date 20241031.", "xpm.wip-lock-date")]
    [InlineData("Costs can only be added to jobs that are In Progress (job J000309 is Completed).", "xpm.job-state")]
    [InlineData("Job J000309 not found.", "xpm.job-deleted")]
    [InlineData("The job you are adding a cost to no longer exists", "xpm.job-deleted")]
    [InlineData("Job J000310 is On Hold", "xpm.job-state")]
    public void PracticeManagerError_IsMatchedByCategoryOfMessage(string message, string expected)
    {
        Assert.Equal(expected, Classify(Pm(message)));
    }

    [Fact]
    public void SeedCauses_EachHaveAResolutionInTheSeedsWords()
    {
        string Steps(string id) => string.Join(" ", XeroErrorRules.All.Single(r => r.Id == id).Resolution);

        Assert.Contains("unlock the prior period", Steps("xpm.wip-lock-date"), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("turn the lock periods back on", Steps("xpm.wip-lock-date"), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Change the job state to In Progress", Steps("xpm.job-state"), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("recreated", Steps("xpm.job-deleted"), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("add a unique code to the account in Xero", Steps("xero.account-code-missing"), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Enable payments to this account", Steps("xero.payments-account"), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Re-sync now", Steps("xero.invalid-grant"), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Sync paused until", Steps("xero.rate-limit-day"), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("Lock Dates", XeroErrorRules.All.Single(r => r.Id == "xpm.wip-lock-date").Reason);
    }

    [Theory]
    [InlineData("xero.invalid-grant", ErrorDisposition.Reconnect)]
    [InlineData("xero.tenant-forbidden", ErrorDisposition.Reconnect)]
    [InlineData("xero.token-expired", ErrorDisposition.RetryLater)]
    [InlineData("xero.rate-limit-day", ErrorDisposition.PauseTenant)]
    [InlineData("xero.rate-limit-minute", ErrorDisposition.RetryLater)]
    [InlineData("xero.organisation-offline", ErrorDisposition.RetryLater)]
    [InlineData("xero.server-error", ErrorDisposition.RetryLater)]
    [InlineData("xero.not-found", ErrorDisposition.UserAction)]
    [InlineData("xero.write-may-have-landed", ErrorDisposition.Reconcile)]
    public void Rule_HasTheDispositionTheEngineActsOn(string id, ErrorDisposition disposition)
    {
        Assert.Equal(disposition, XeroErrorRules.All.Single(r => r.Id == id).Disposition);
    }

    /// <summary>Failures SyncKit raises itself carry the engine's codes and are left to the engine's rules.</summary>
    [Theory]
    [InlineData(FailureSource.Mapping, "DependencyNotSynced", "The contact 'c-17' of this invoice has not been synced to Xero yet.")]
    [InlineData(FailureSource.Mapping, "MissingMapping.Client", "The organisation 'org-7' is not mapped to a Practice Manager client.")]
    [InlineData(FailureSource.Mapping, "MissingMapping.Job", "No Practice Manager job is mapped for the organisation 'org-7'.")]
    [InlineData(FailureSource.Validation, "PaymentChanged", "Payments cannot be edited in Xero, only deleted: the changed payment was not sent.")]
    [InlineData(FailureSource.Validation, "LockDate", "The document date 01-Jan-2018 is on or before the period lock date 30-Nov-2018.")]
    [InlineData(FailureSource.Transport, null, "Connection refused")]
    public void SyncKitsOwnFailures_AreLeftToTheEnginesRules(FailureSource source, string? code, string message)
    {
        Assert.Null(Classify(new SyncFailure { Source = source, Code = code, Messages = [message], Kind = RecordKind.Cost }));
    }

    [Fact]
    public void WriteThatMayHaveLanded_IsReconciledEvenWhenXeroAnswered500()
    {
        var failure = new SyncFailure { Source = FailureSource.Remote, StatusCode = 500, WriteMayHaveLanded = true, Messages = ["An unhandled error with the Xero API"] };

        Assert.Equal(ErrorDisposition.Reconcile, XeroErrorRules.All.First(r => r.Matches(failure)).Disposition);
    }
}
