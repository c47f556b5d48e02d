using System.Globalization;

namespace SyncKit.Testing.Emulator;

/// <summary>One message the emulator returns, with a flag saying whether Xero's exact wording is confirmed.</summary>
internal sealed record XeroMessage(string Key, string Template, bool IsApproximation)
{
    public string Format(params object[] args) => string.Format(CultureInfo.InvariantCulture, Template, args);
}

/// <summary>
/// Every text the emulator puts in a response, in one table. Entries flagged <c>IsApproximation</c> have no
/// confirmed Xero wording (see docs/emulator.md); correcting one is a one-line change here.
/// </summary>
internal static class XeroMessages
{
    public static readonly XeroMessage ValidationException = new(nameof(ValidationException), "A validation exception occurred", false);
    public static readonly XeroMessage PeriodLockDate = new(nameof(PeriodLockDate), "The document date cannot be before the period lock date, currently set at {0}", false);
    public static readonly XeroMessage EndOfYearLockDate = new(nameof(EndOfYearLockDate), "The document date cannot be before the end of year lock date, currently set at {0}", false);
    public static readonly XeroMessage AccountCodeUnknown = new(nameof(AccountCodeUnknown), "Account code '{0}' is not a valid code for this document.", false);
    public static readonly XeroMessage AccountCodeArchived = new(nameof(AccountCodeArchived), "Account code '{0}' has been archived, or has been deleted. Each line item must reference a valid account.", false);
    public static readonly XeroMessage AccountCodeMissing = new(nameof(AccountCodeMissing), "Account code must be specified", false);
    public static readonly XeroMessage TaxTypeInvalid = new(nameof(TaxTypeInvalid), "The TaxType code '{0}' cannot be used with account code '{1}'.", false);
    public static readonly XeroMessage TaxTypeMandatory = new(nameof(TaxTypeMandatory), "TaxType field is mandatory", false);
    public static readonly XeroMessage QuantityNegative = new(nameof(QuantityNegative), "The quantity value '{0}' is invalid. Quantity must not be less than zero.", false);
    public static readonly XeroMessage InvoiceNotEditable = new(nameof(InvoiceNotEditable), "Invoice not of valid status for modification", false);
    public static readonly XeroMessage DocumentNotEditable = new(nameof(DocumentNotEditable), "Document not of valid status for modification", false);
    public static readonly XeroMessage HasPayments = new(nameof(HasPayments), "This document cannot be edited as it has a payment or credit note allocated to it.", false);
    public static readonly XeroMessage DuplicateContactName = new(nameof(DuplicateContactName), "The contact name {0} is already assigned to another contact. The contact name must be unique across all active contacts.", false);
    public static readonly XeroMessage DuplicateInvoiceNumber = new(nameof(DuplicateInvoiceNumber), "Invoice # must be unique.", false);
    public static readonly XeroMessage ContactArchived = new(nameof(ContactArchived), "The contact '{0}' is archived. Archived contacts cannot be used on a document.", true);
    public static readonly XeroMessage ContactNameMissing = new(nameof(ContactNameMissing), "The contact name must be specified.", true);
    public static readonly XeroMessage PaymentsOnlyAuthorised = new(nameof(PaymentsOnlyAuthorised), "Payments can only be made against Authorised documents", false);
    public static readonly XeroMessage CurrencyNotSubscribed = new(nameof(CurrencyNotSubscribed), "Organisation is not subscribed to currency {0}", false);
    public static readonly XeroMessage NoContact = new(nameof(NoContact), "The Contact must contain at least 1 of the following elements to identify the contact: Name, ContactID, ContactNumber", false);
    public static readonly XeroMessage NoLineItems = new(nameof(NoLineItems), "One or more line items must be specified", false);
    public static readonly XeroMessage DiscountInvalid = new(nameof(DiscountInvalid), "The discount rate '{0}' is invalid. Discount must not be greater than the line total.", false);
    public static readonly XeroMessage PaymentExceedsOutstanding = new(nameof(PaymentExceedsOutstanding), "Payment amount exceeds the amount outstanding on this document", false);
    public static readonly XeroMessage PaymentNotEditable = new(nameof(PaymentNotEditable), "Payment not of valid status for modification", false);
    public static readonly XeroMessage PaymentAccountInvalid = new(nameof(PaymentAccountInvalid), "Payments cannot be made to account code '{0}'. The account must be a bank account or have payments enabled.", true);
    public static readonly XeroMessage PaymentAccountMissing = new(nameof(PaymentAccountMissing), "Account code or ID must be specified", false);
    public static readonly XeroMessage PaymentDocumentMissing = new(nameof(PaymentDocumentMissing), "An invoice, credit note, prepayment or overpayment must be specified for a payment.", true);
    public static readonly XeroMessage PaymentAmountInvalid = new(nameof(PaymentAmountInvalid), "Payment amount must be greater than zero.", true);
    public static readonly XeroMessage LineTotalMismatch = new(nameof(LineTotalMismatch), "The line total {0} does not match the expected line total of {1}", false);
    public static readonly XeroMessage NegativeTotal = new(nameof(NegativeTotal), "The document total cannot be negative.", true);
    public static readonly XeroMessage DocumentNotFound = new(nameof(DocumentNotFound), "The document with the supplied id was not found for this endpoint.", false);
    public static readonly XeroMessage InvoiceTypeInvalid = new(nameof(InvoiceTypeInvalid), "Invoice type must be specified and be one of ACCREC, ACCPAY.", true);
    public static readonly XeroMessage DocumentTypeInvalid = new(nameof(DocumentTypeInvalid), "Type must be specified and be one of {0}.", true);
    public static readonly XeroMessage StatusInvalid = new(nameof(StatusInvalid), "The status '{0}' is not valid for this document.", true);
    public static readonly XeroMessage ItemCodeMissing = new(nameof(ItemCodeMissing), "Item code must be specified.", true);
    public static readonly XeroMessage ItemCodeDuplicate = new(nameof(ItemCodeDuplicate), "Item code '{0}' already exists.", true);
    public static readonly XeroMessage ItemCodeUnknown = new(nameof(ItemCodeUnknown), "Item code '{0}' is not valid.", true);
    public static readonly XeroMessage AccountCodeDuplicate = new(nameof(AccountCodeDuplicate), "Please enter a unique Code.", true);
    public static readonly XeroMessage AccountFieldsMissing = new(nameof(AccountFieldsMissing), "Account Name and Type must be specified.", true);
    public static readonly XeroMessage TaxRateNameMissing = new(nameof(TaxRateNameMissing), "Tax rate name must be specified.", true);
    public static readonly XeroMessage NotFound = new(nameof(NotFound), "The resource you're looking for cannot be found", false);
    public static readonly XeroMessage OrganisationOffline = new(nameof(OrganisationOffline), "The Organisation is offline", false);
    public static readonly XeroMessage UnhandledError = new(nameof(UnhandledError), "An unhandled error with the Xero API", false);
    public static readonly XeroMessage TokenExpired = new(nameof(TokenExpired), "TokenExpired: token expired at {0}", false);
    public static readonly XeroMessage TokenInvalid = new(nameof(TokenInvalid), "AuthenticationUnsuccessful", true);
    public static readonly XeroMessage Forbidden = new(nameof(Forbidden), "AuthenticationUnsuccessful", false);
    public static readonly XeroMessage IdempotencyKeyReused = new(nameof(IdempotencyKeyReused), "Idempotency Key: {0} is used with a different request.", false);
    public static readonly XeroMessage IdempotencyKeyTooLong = new(nameof(IdempotencyKeyTooLong), "Idempotency Key: {0} exceeds the maximum length of 128 characters.", true);
    public static readonly XeroMessage ApiUnavailable = new(nameof(ApiUnavailable), "The Xero API is temporarily unavailable", false);
    public static readonly XeroMessage RateLimitExceeded = new(nameof(RateLimitExceeded), "Rate limit exceeded", true);
    public static readonly XeroMessage MethodNotAllowed = new(nameof(MethodNotAllowed), "The requested resource does not support http method '{0}'.", true);
    public static readonly XeroMessage PostDataInvalid = new(nameof(PostDataInvalid), "JSON request body could not be read, {0}", true);
    public static readonly XeroMessage JsonBodyEmpty = new(nameof(JsonBodyEmpty), "the request body is empty.", true);
    public static readonly XeroMessage JsonSyntax = new(nameof(JsonSyntax), "the body is not valid JSON: {0}", true);
    public static readonly XeroMessage JsonNotAnObject = new(nameof(JsonNotAnObject), "expected a JSON object. Path '{0}'.", true);
    public static readonly XeroMessage JsonDuplicateProperty = new(nameof(JsonDuplicateProperty), "the property '{0}' appears more than once. Path '{1}'.", true);
    public static readonly XeroMessage JsonNumberOutOfRange = new(nameof(JsonNumberOutOfRange), "Value was either too large or too small for a Decimal. Path '{0}'.", true);
    public static readonly XeroMessage JsonNotANumber = new(nameof(JsonNotANumber), "Could not convert string to decimal: {0}. Path '{1}'.", true);
    public static readonly XeroMessage JsonNotADate = new(nameof(JsonNotADate), "Could not convert string to DateTime: {0}. Path '{1}'.", true);
    public static readonly XeroMessage JsonWrongType = new(nameof(JsonWrongType), "Unexpected {0} where a {1} is expected. Path '{2}'.", true);
    public static readonly XeroMessage StringTooLong = new(nameof(StringTooLong), "{0} must not be more than {1} characters long.", true);
    public static readonly XeroMessage AmountOutOfRange = new(nameof(AmountOutOfRange), "An amount on this element is too large.", true);
    public static readonly XeroMessage TooManyElements = new(nameof(TooManyElements), "No more than {0} {1} can be sent in a single request.", true);
    public static readonly XeroMessage UnsupportedMediaType = new(nameof(UnsupportedMediaType), "The request's Content-Type '{0}' is not supported: send application/json.", true);
    public static readonly XeroMessage RequestEntityTooLarge = new(nameof(RequestEntityTooLarge), "Request Entity Too Large", false);
    public static readonly XeroMessage WhereInvalid = new(nameof(WhereInvalid), "The where clause '{0}' could not be parsed.", true);
    public static readonly XeroMessage TrackingNameMissing = new(nameof(TrackingNameMissing), "Tracking category name must be specified.", true);
    public static readonly XeroMessage CurrencyCodeInvalid = new(nameof(CurrencyCodeInvalid), "Currency code must be three letters.", true);
    public static readonly XeroMessage NotAcceptable = new(nameof(NotAcceptable), "The emulator answers JSON only: send 'Accept: application/json'.", true);
    public static readonly XeroMessage EndOfYearLockDateEdit = new(nameof(EndOfYearLockDateEdit), "Document cannot be edited as it is currently dated before end of year lock date", false);
    public static readonly XeroMessage DuplicateOrderNumber = new(nameof(DuplicateOrderNumber), "Order number must be unique", false);
    public static readonly XeroMessage DuplicateContactNumber = new(nameof(DuplicateContactNumber), "The contact number {0} is already assigned to another contact. The contact number must be unique.", true);
    public static readonly XeroMessage CurrencyRateOne = new(nameof(CurrencyRateOne), "The currency rate of 1 was used for a document in {0}, which is not the base currency: check the rate.", true);
    public static readonly XeroMessage AllocationExceedsDue = new(nameof(AllocationExceedsDue), "The amount allocated cannot exceed the amount due on the invoice or the remaining credit.", true);
    public static readonly XeroMessage AllocationNotAuthorised = new(nameof(AllocationNotAuthorised), "Credit notes can only be allocated when both documents are Authorised", true);

    // Identity and scopes (2026): the consent error is shown by Xero, the rest come back to the app.
    public static readonly XeroMessage InvalidScopeForClient = new(nameof(InvalidScopeForClient), "unauthorized_client: Invalid scope for client", false);
    public static readonly XeroMessage ClientCredentialsScope = new(nameof(ClientCredentialsScope), "Client credentials scope validation failed", false);
    public static readonly XeroMessage InsufficientScope = new(nameof(InsufficientScope), "AuthorizationUnsuccessful", false);
    public static readonly XeroMessage ConnectionLimitPage = new(nameof(ConnectionLimitPage), "https://authorize.xero.com/connectionLimit", false);

    // Practice Manager (no published wording for any of these).
    public static readonly XeroMessage XpmCostWipLocked = new(nameof(XpmCostWipLocked), "Cost date {0} is on or before the WIP lock date {1}.", true);
    public static readonly XeroMessage XpmJobNotInProgress = new(nameof(XpmJobNotInProgress), "Costs can only be added to jobs that are In Progress (job {0} is {1}).", true);
    public static readonly XeroMessage XpmJobDeleted = new(nameof(XpmJobDeleted), "Job {0} has been deleted.", true);
    public static readonly XeroMessage XpmJobNotFound = new(nameof(XpmJobNotFound), "Job {0} not found.", true);
    public static readonly XeroMessage XpmClientNotFound = new(nameof(XpmClientNotFound), "Client {0} not found.", true);
    public static readonly XeroMessage XpmBadRequest = new(nameof(XpmBadRequest), "Invalid request: {0}", true);

    /// <summary>All messages, for the documentation test and the docs table.</summary>
    public static IReadOnlyList<XeroMessage> All { get; } = typeof(XeroMessages)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.FieldType == typeof(XeroMessage))
        .Select(f => (XeroMessage)f.GetValue(null)!)
        .ToArray();

    /// <summary>Formats a lock date as Xero does in its messages: <c>30-Nov-2018</c>.</summary>
    public static string LockDate(DateOnly date) => date.ToString("dd-MMM-yyyy", CultureInfo.InvariantCulture);
}
