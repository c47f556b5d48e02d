using System.Text.Json;
using System.Text.Json.Serialization;

namespace SyncKit.Xero.Api;

// Xero Accounting API wire models (PascalCase, as the API writes them). Enumerations are open sets and stay
// strings (see XeroConstants). Only the fields the connector reads or writes are modelled; unknown fields are
// ignored on read and nulls are not written.

/// <summary>The envelope of every Accounting API answer and request body.</summary>
internal sealed class XeroEnvelope
{
    public string? Id { get; set; }

    public string? Status { get; set; }

    public string? ProviderName { get; set; }

    [JsonConverter(typeof(XeroDateTimeConverter))]
    public DateTimeOffset? DateTimeUTC { get; set; }

    public List<XeroInvoice>? Invoices { get; set; }

    public List<XeroContact>? Contacts { get; set; }

    public List<XeroCreditNote>? CreditNotes { get; set; }

    public List<XeroItem>? Items { get; set; }

    public List<XeroPayment>? Payments { get; set; }

    public List<XeroPurchaseOrder>? PurchaseOrders { get; set; }

    public List<XeroAccount>? Accounts { get; set; }

    public List<XeroTaxRate>? TaxRates { get; set; }

    public List<XeroTrackingCategory>? TrackingCategories { get; set; }

    public List<XeroCurrency>? Currencies { get; set; }

    public List<XeroOrganisation>? Organisations { get; set; }

    public List<XeroAllocation>? Allocations { get; set; }

    [JsonPropertyName("pagination")]
    public XeroPagination? Pagination { get; set; }
}

/// <summary>A credit note applied to an invoice (<c>PUT /CreditNotes/{id}/Allocations</c>).</summary>
internal sealed class XeroAllocation
{
    public string? AllocationID { get; set; }

    public XeroInvoice? Invoice { get; set; }

    public decimal? Amount { get; set; }

    [JsonConverter(typeof(XeroDateOnlyConverter))]
    public DateOnly? Date { get; set; }
}

internal sealed class XeroPagination
{
    [JsonPropertyName("page")]
    public int Page { get; set; }

    [JsonPropertyName("pageSize")]
    public int PageSize { get; set; }

    [JsonPropertyName("pageCount")]
    public int PageCount { get; set; }

    [JsonPropertyName("itemCount")]
    public int ItemCount { get; set; }
}

/// <summary>The per-element status Xero echoes with <c>summarizeErrors=false</c>.</summary>
internal abstract class XeroElementBase
{
    public string? StatusAttributeString { get; set; }

    public bool? HasErrors { get; set; }

    public bool? HasValidationErrors { get; set; }

    public List<XeroMessage>? ValidationErrors { get; set; }

    public List<XeroMessage>? Warnings { get; set; }

    [JsonIgnore]
    public bool IsError =>
        HasErrors == true
        || HasValidationErrors == true
        || string.Equals(StatusAttributeString, "ERROR", StringComparison.OrdinalIgnoreCase)
        || ValidationErrors is { Count: > 0 };
}

internal sealed class XeroMessage
{
    public string? Message { get; set; }
}

internal sealed class XeroInvoice : XeroElementBase
{
    public string? Type { get; set; }

    public string? InvoiceID { get; set; }

    public string? InvoiceNumber { get; set; }

    public string? Reference { get; set; }

    public XeroContact? Contact { get; set; }

    [JsonConverter(typeof(XeroDateOnlyConverter))]
    public DateOnly? Date { get; set; }

    [JsonConverter(typeof(XeroDateOnlyConverter))]
    public DateOnly? DueDate { get; set; }

    public string? LineAmountTypes { get; set; }

    public string? CurrencyCode { get; set; }

    public string? Status { get; set; }

    public List<XeroLineItem>? LineItems { get; set; }

    public decimal? SubTotal { get; set; }

    public decimal? TotalTax { get; set; }

    public decimal? Total { get; set; }

    public decimal? AmountDue { get; set; }

    public decimal? AmountPaid { get; set; }

    public List<XeroPayment>? Payments { get; set; }

    [JsonConverter(typeof(XeroDateTimeConverter))]
    public DateTimeOffset? UpdatedDateUTC { get; set; }
}

internal sealed class XeroCreditNote : XeroElementBase
{
    public string? Type { get; set; }

    public string? CreditNoteID { get; set; }

    public string? CreditNoteNumber { get; set; }

    public string? Reference { get; set; }

    public XeroContact? Contact { get; set; }

    [JsonConverter(typeof(XeroDateOnlyConverter))]
    public DateOnly? Date { get; set; }

    [JsonConverter(typeof(XeroDateOnlyConverter))]
    public DateOnly? DueDate { get; set; }

    public string? LineAmountTypes { get; set; }

    public string? CurrencyCode { get; set; }

    public string? Status { get; set; }

    public List<XeroLineItem>? LineItems { get; set; }

    public decimal? SubTotal { get; set; }

    public decimal? Total { get; set; }

    public List<XeroPayment>? Payments { get; set; }

    public decimal? RemainingCredit { get; set; }

    /// <summary>Where the credit went (read only: allocations are made with <c>PUT /CreditNotes/{id}/Allocations</c>).</summary>
    public List<XeroAllocation>? Allocations { get; set; }

    [JsonConverter(typeof(XeroDateTimeConverter))]
    public DateTimeOffset? UpdatedDateUTC { get; set; }
}

internal sealed class XeroPurchaseOrder : XeroElementBase
{
    public string? PurchaseOrderID { get; set; }

    public string? PurchaseOrderNumber { get; set; }

    public string? Reference { get; set; }

    public XeroContact? Contact { get; set; }

    [JsonConverter(typeof(XeroDateOnlyConverter))]
    public DateOnly? Date { get; set; }

    [JsonConverter(typeof(XeroDateOnlyConverter))]
    public DateOnly? DeliveryDate { get; set; }

    public string? LineAmountTypes { get; set; }

    public string? CurrencyCode { get; set; }

    public string? Status { get; set; }

    public List<XeroLineItem>? LineItems { get; set; }

    public decimal? SubTotal { get; set; }

    public decimal? Total { get; set; }
}

internal sealed class XeroLineItem
{
    public string? LineItemID { get; set; }

    public string? Description { get; set; }

    public decimal? Quantity { get; set; }

    public decimal? UnitAmount { get; set; }

    public string? ItemCode { get; set; }

    public string? AccountCode { get; set; }

    public string? TaxType { get; set; }

    public decimal? TaxAmount { get; set; }

    public decimal? LineAmount { get; set; }

    public decimal? DiscountRate { get; set; }

    public List<XeroLineTracking>? Tracking { get; set; }
}

internal sealed class XeroLineTracking
{
    public string? TrackingCategoryID { get; set; }

    public string? Name { get; set; }

    public string? Option { get; set; }
}

internal sealed class XeroContact : XeroElementBase
{
    public string? ContactID { get; set; }

    public string? ContactNumber { get; set; }

    public string? AccountNumber { get; set; }

    public string? ContactStatus { get; set; }

    public string? Name { get; set; }

    public string? FirstName { get; set; }

    public string? LastName { get; set; }

    public string? EmailAddress { get; set; }

    public string? TaxNumber { get; set; }

    public string? DefaultCurrency { get; set; }

    public List<XeroContactPerson>? ContactPersons { get; set; }

    public List<XeroAddress>? Addresses { get; set; }

    public List<XeroPhone>? Phones { get; set; }

    public XeroPaymentTerms? PaymentTerms { get; set; }

    public string? MergedToContactID { get; set; }

    /// <summary>Set by Xero (read only) once the contact has a bill: a supplier ("vendor").</summary>
    public bool? IsSupplier { get; set; }

    /// <summary>Set by Xero (read only) once the contact has a sales invoice.</summary>
    public bool? IsCustomer { get; set; }

    [JsonConverter(typeof(XeroDateTimeConverter))]
    public DateTimeOffset? UpdatedDateUTC { get; set; }
}

internal sealed class XeroContactPerson
{
    public string? FirstName { get; set; }

    public string? LastName { get; set; }

    public string? EmailAddress { get; set; }

    public bool? IncludeInEmails { get; set; }
}

internal sealed class XeroAddress
{
    public string? AddressType { get; set; }

    public string? AddressLine1 { get; set; }

    public string? AddressLine2 { get; set; }

    public string? City { get; set; }

    public string? Region { get; set; }

    public string? PostalCode { get; set; }

    public string? Country { get; set; }
}

internal sealed class XeroPhone
{
    public string? PhoneType { get; set; }

    public string? PhoneNumber { get; set; }
}

internal sealed class XeroPaymentTerms
{
    public XeroPaymentTerm? Bills { get; set; }

    public XeroPaymentTerm? Sales { get; set; }
}

internal sealed class XeroPaymentTerm
{
    public int? Day { get; set; }

    public string? Type { get; set; }
}

internal sealed class XeroItem : XeroElementBase
{
    public string? ItemID { get; set; }

    public string? Code { get; set; }

    public string? Name { get; set; }

    public string? Description { get; set; }

    public string? PurchaseDescription { get; set; }

    public bool? IsSold { get; set; }

    public bool? IsPurchased { get; set; }

    public XeroItemDetails? SalesDetails { get; set; }

    public XeroItemDetails? PurchaseDetails { get; set; }
}

internal sealed class XeroItemDetails
{
    public decimal? UnitPrice { get; set; }

    public string? AccountCode { get; set; }

    public string? TaxType { get; set; }
}

internal sealed class XeroPayment : XeroElementBase
{
    public string? PaymentID { get; set; }

    public XeroInvoice? Invoice { get; set; }

    public XeroCreditNote? CreditNote { get; set; }

    public XeroAccount? Account { get; set; }

    [JsonConverter(typeof(XeroDateOnlyConverter))]
    public DateOnly? Date { get; set; }

    public decimal? Amount { get; set; }

    public string? Reference { get; set; }

    public string? Status { get; set; }

    public string? PaymentType { get; set; }

    [JsonConverter(typeof(XeroDateTimeConverter))]
    public DateTimeOffset? UpdatedDateUTC { get; set; }
}

internal sealed class XeroAccount
{
    public string? AccountID { get; set; }

    public string? Code { get; set; }

    public string? Name { get; set; }

    public string? Type { get; set; }

    public string? Status { get; set; }

    public bool? EnablePaymentsToAccount { get; set; }

    public string? SystemAccount { get; set; }
}

internal sealed class XeroTaxRate
{
    public string? Name { get; set; }

    public string? TaxType { get; set; }

    public string? Status { get; set; }

    public decimal? EffectiveRate { get; set; }

    public decimal? DisplayTaxRate { get; set; }
}

internal sealed class XeroTrackingCategory
{
    public string? TrackingCategoryID { get; set; }

    public string? Name { get; set; }

    public string? Status { get; set; }

    public List<XeroTrackingOption>? Options { get; set; }
}

internal sealed class XeroTrackingOption
{
    public string? TrackingOptionID { get; set; }

    public string? Name { get; set; }

    public string? Status { get; set; }
}

internal sealed class XeroCurrency
{
    public string? Code { get; set; }

    public string? Description { get; set; }
}

internal sealed class XeroOrganisation
{
    public string? OrganisationID { get; set; }

    public string? Name { get; set; }

    public string? BaseCurrency { get; set; }

    public string? CountryCode { get; set; }

    [JsonConverter(typeof(XeroDateOnlyConverter))]
    public DateOnly? PeriodLockDate { get; set; }

    [JsonConverter(typeof(XeroDateOnlyConverter))]
    public DateOnly? EndOfYearLockDate { get; set; }
}

/// <summary>The 400 body: <c>{"ErrorNumber":10,"Type":"ValidationException","Message":...,"Elements":[...]}</c>.</summary>
internal sealed class XeroApiError
{
    public int? ErrorNumber { get; set; }

    public string? Type { get; set; }

    public string? Message { get; set; }

    public List<JsonElement>? Elements { get; set; }
}

/// <summary>The 401/403 problem-details body.</summary>
internal sealed class XeroProblem
{
    public string? Type { get; set; }

    public string? Title { get; set; }

    public int? Status { get; set; }

    public string? Detail { get; set; }

    public string? Instance { get; set; }
}

/// <summary>An OAuth2 token endpoint answer (success or error).</summary>
internal sealed class OAuthTokenResponse
{
    [JsonPropertyName("access_token")]
    public string? AccessToken { get; set; }

    [JsonPropertyName("refresh_token")]
    public string? RefreshToken { get; set; }

    [JsonPropertyName("id_token")]
    public string? IdToken { get; set; }

    [JsonPropertyName("expires_in")]
    public int? ExpiresIn { get; set; }

    [JsonPropertyName("token_type")]
    public string? TokenType { get; set; }

    [JsonPropertyName("scope")]
    public string? Scope { get; set; }

    [JsonPropertyName("error")]
    public string? Error { get; set; }

    [JsonPropertyName("error_description")]
    public string? ErrorDescription { get; set; }
}

/// <summary>A token set as it is persisted (protected) in the token store.</summary>
internal sealed class PersistedToken
{
    public string? AccessToken { get; set; }

    public string? RefreshToken { get; set; }

    public string? IdToken { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public string? Scope { get; set; }
}

internal sealed class ConnectionResponse
{
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("authEventId")]
    public string? AuthEventId { get; set; }

    [JsonPropertyName("tenantId")]
    public string? TenantId { get; set; }

    [JsonPropertyName("tenantType")]
    public string? TenantType { get; set; }

    [JsonPropertyName("tenantName")]
    public string? TenantName { get; set; }

    [JsonPropertyName("createdDateUtc")]
    public DateTimeOffset? CreatedDateUtc { get; set; }

    [JsonPropertyName("updatedDateUtc")]
    public DateTimeOffset? UpdatedDateUtc { get; set; }
}

[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(XeroEnvelope))]
[JsonSerializable(typeof(XeroApiError))]
[JsonSerializable(typeof(XeroProblem))]
[JsonSerializable(typeof(OAuthTokenResponse))]
[JsonSerializable(typeof(PersistedToken))]
[JsonSerializable(typeof(List<ConnectionResponse>))]
internal sealed partial class XeroJsonContext : JsonSerializerContext;
