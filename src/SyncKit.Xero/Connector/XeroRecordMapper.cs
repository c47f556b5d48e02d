using System.Globalization;
using System.Text;
using SyncKit.Connectors;
using SyncKit.Errors;
using SyncKit.Records;
using SyncKit.Xero.Api;

namespace SyncKit.Xero.Connector;

/// <summary>Canonical records (already carrying Xero's codes) → Xero's wire shapes.</summary>
internal static class XeroRecordMapper
{
    public static XeroContact Contact(ContactRecord record, string? contactId)
    {
        var person = record.BillingContact;
        var contact = new XeroContact
        {
            ContactID = contactId,
            Name = record.Name,
            AccountNumber = record.AccountNumber,
            EmailAddress = record.Email ?? person?.Email,
            FirstName = person?.FirstName,
            LastName = person?.LastName,
            TaxNumber = record.TaxNumber,
            DefaultCurrency = record.DefaultCurrency,
        };

        if (!string.IsNullOrWhiteSpace(record.Phone))
        {
            contact.Phones = [new XeroPhone { PhoneType = "DEFAULT", PhoneNumber = record.Phone }];
        }

        if (record.Address is { } a)
        {
            contact.Addresses =
            [
                new XeroAddress
                {
                    AddressType = "POBOX",
                    AddressLine1 = a.Line1,
                    AddressLine2 = a.Line2,
                    City = a.City,
                    Region = a.Region,
                    PostalCode = a.PostalCode,
                    Country = a.Country,
                },
            ];
        }

        if (PaymentTerm(record.PaymentTermsKey) is { } term)
        {
            contact.PaymentTerms = new XeroPaymentTerms
            {
                Sales = record.IsCustomer || !record.IsSupplier ? term : null,
                Bills = record.IsSupplier ? new XeroPaymentTerm { Day = term.Day, Type = term.Type } : null,
            };
        }

        return contact;
    }

    /// <summary><c>DAYSAFTERBILLDATE:30</c> → <c>{ Type, Day }</c>; null when the key is not in that shape.</summary>
    public static XeroPaymentTerm? PaymentTerm(string? key)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            return null;
        }

        var parts = key.Split(':', 2, StringSplitOptions.TrimEntries);
        return parts.Length == 2 && int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var day)
            ? new XeroPaymentTerm { Type = parts[0].ToUpperInvariant(), Day = day }
            : null;
    }

    public static XeroItem Item(ItemRecord record, string? itemId) => new()
    {
        ItemID = itemId,
        Code = record.Code,
        Name = record.Name,
        Description = record.Description,
        IsSold = record.IsSold,
        IsPurchased = record.IsPurchased,
        SalesDetails = record.IsSold || record.SalePrice is not null || record.SalesAccountKey is not null
            ? new XeroItemDetails { UnitPrice = record.SalePrice, AccountCode = record.SalesAccountKey, TaxType = record.SalesTaxKey }
            : null,
        PurchaseDetails = record.IsPurchased || record.PurchasePrice is not null || record.PurchaseAccountKey is not null
            ? new XeroItemDetails { UnitPrice = record.PurchasePrice, AccountCode = record.PurchaseAccountKey, TaxType = record.PurchaseTaxKey }
            : null,
    };

    public static XeroInvoice Invoice(DocumentRecord record, string type, string contactId, string? invoiceId) => new()
    {
        Type = type,
        InvoiceID = invoiceId,
        InvoiceNumber = record.Number,
        Reference = record.Reference,
        Contact = new XeroContact { ContactID = contactId },
        Date = record.Date,
        DueDate = record.DueDate,
        LineAmountTypes = LineAmountTypes(record.LineAmountType),
        CurrencyCode = record.CurrencyCode,
        Status = Status(record.Status),
        LineItems = Lines(record.Lines),
    };

    public static XeroCreditNote CreditNote(DocumentRecord record, string contactId, string? creditNoteId) => new()
    {
        Type = "ACCRECCREDIT",
        CreditNoteID = creditNoteId,
        CreditNoteNumber = record.Number,
        Reference = record.Reference,
        Contact = new XeroContact { ContactID = contactId },
        Date = record.Date,
        DueDate = record.DueDate,
        LineAmountTypes = LineAmountTypes(record.LineAmountType),
        CurrencyCode = record.CurrencyCode,
        Status = Status(record.Status),
        LineItems = Lines(record.Lines),
    };

    public static XeroPurchaseOrder PurchaseOrder(PurchaseOrderRecord record, string contactId, string? purchaseOrderId) => new()
    {
        PurchaseOrderID = purchaseOrderId,
        PurchaseOrderNumber = record.Number,
        Reference = record.Reference,
        Contact = new XeroContact { ContactID = contactId },
        Date = record.Date,
        DeliveryDate = record.DeliveryDate ?? record.DueDate,
        LineAmountTypes = LineAmountTypes(record.LineAmountType),
        CurrencyCode = record.CurrencyCode,
        Status = Status(record.Status),
        LineItems = Lines(record.Lines),
    };

    public static XeroPayment Payment(PaymentRecord record, string documentId) => new()
    {
        Invoice = record.DocumentKind == RecordKind.CreditNote ? null : new XeroInvoice { InvoiceID = documentId },
        CreditNote = record.DocumentKind == RecordKind.CreditNote ? new XeroCreditNote { CreditNoteID = documentId } : null,
        Account = new XeroAccount { Code = record.AccountKey },
        Date = record.Date,
        Amount = record.Amount,
        Reference = record.Reference,
    };

    public static List<XeroLineItem> Lines(IReadOnlyList<DocumentLine> lines) =>
        lines.Select(l => new XeroLineItem
        {
            Description = l.Description,
            Quantity = l.Quantity,
            UnitAmount = l.UnitPrice,
            AccountCode = l.AccountKey,
            TaxType = l.TaxKey,
            ItemCode = l.ItemKey,
            DiscountRate = l.DiscountRate,
            Tracking = l.Tracking.Count == 0 ? null : l.Tracking.Select(t => new XeroLineTracking { Name = t.CategoryKey, Option = t.OptionKey }).ToList(),
        }).ToList();

    /// <summary>Xero's value; an unknown value is refused (never coerced): <see cref="XeroLimits"/> fails such elements before mapping.</summary>
    public static string LineAmountTypes(LineAmountType type) => type switch
    {
        LineAmountType.Exclusive => "Exclusive",
        LineAmountType.Inclusive => "Inclusive",
        LineAmountType.NoTax => "NoTax",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "A line amount type Xero does not know."),
    };

    /// <summary>Xero's value; an unknown value is refused (never coerced): <see cref="XeroLimits"/> fails such elements before mapping.</summary>
    public static string Status(DocumentStatus status) => status switch
    {
        DocumentStatus.Draft => "DRAFT",
        DocumentStatus.Submitted => "SUBMITTED",
        DocumentStatus.Authorised => "AUTHORISED",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "A document status Xero does not know."),
    };

    /// <summary>A failure for a record whose linked record has no Xero id yet.</summary>
    public static SyncFailure MissingLink(PushElement element, RecordKind linkedKind, string linkedSourceId) => new()
    {
        Source = FailureSource.Mapping,

        // The engine's code for a record whose dependency is not synced yet (FailureCodes.DependencyNotSynced).
        Code = "DependencyNotSynced",
        Kind = element.Record.Kind,
        Messages = [$"The {Describe(linkedKind)} '{linkedSourceId}' of this {Describe(element.Record.Kind)} has not been synced to Xero yet."],
        Details = new Dictionary<string, string> { ["LinkedKind"] = linkedKind.ToString(), ["LinkedSourceId"] = linkedSourceId },
    };

    public static string Describe(RecordKind kind) => kind switch
    {
        RecordKind.CreditNote => "credit note",
        RecordKind.PurchaseOrder => "purchase order",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>A string literal for Xero's <c>where</c> filter: double quotes, with backslash and quote escaped.</summary>
    public static string WhereString(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    public static bool SameText(string? a, string? b) =>
        string.Equals(a?.Trim(), b?.Trim(), StringComparison.OrdinalIgnoreCase);

    public static bool HasText(string? value) => !string.IsNullOrWhiteSpace(value);

    /// <summary>Text as it arrives in Xero: through UTF-8, where an unpaired surrogate becomes U+FFFD.</summary>
    public static string Wire(string value) => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(value));

    /// <summary>A name as Xero stores it: trimmed, runs of whitespace as one space, as it round-trips through UTF-8.</summary>
    public static string StoredName(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var wire = Wire(value);
        var builder = new StringBuilder(wire.Length);
        var space = false;
        foreach (var c in wire.Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>Whether two names or keys are the same to Xero: as stored (<see cref="StoredName"/>), ignoring case.</summary>
    public static bool SameName(string? a, string? b) =>
        HasText(a) && HasText(b) && string.Equals(StoredName(a), StoredName(b), StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether two unique keys (numbers, codes) agree; an empty key agrees with nothing.</summary>
    public static bool SameKey(string? a, string? b) => SameName(a, b);

    /// <summary>Whether two identifying fields agree, where both empty counts as agreeing.</summary>
    public static bool SameKeyOrBothEmpty(string? a, string? b) =>
        HasText(a) || HasText(b) ? SameName(a, b) : true;

    /// <summary>A candidate's description for a user choosing between several: the non-empty parts, joined by commas.</summary>
    public static string Describe(params string?[] parts) =>
        string.Join(", ", parts.Where(HasText).Select(p => p!.Trim()));

    public static string? DescribeDate(DateOnly? date) =>
        date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string? DescribeMoney(decimal? amount, string? currency) =>
        amount is { } value ? (value.ToString("0.00", CultureInfo.InvariantCulture) + " " + currency).Trim() : null;

    public static bool IsEmptyId(string? id) =>
        string.IsNullOrEmpty(id) || (Guid.TryParse(id, out var guid) && guid == Guid.Empty);
}
