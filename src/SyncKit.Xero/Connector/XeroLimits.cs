using System.Globalization;
using SyncKit.Errors;
using SyncKit.Records;

namespace SyncKit.Xero.Connector;

/// <summary>
/// What Xero accepts, checked per element before anything is sent: field lengths (Xero's OpenAPI <c>maxLength</c>, and
/// its documented 255 for references and 4,000 for line descriptions), dates in Xero's range, and status and line
/// amount type values SyncKit knows how to send. An element that breaks one fails alone; its batch neighbours still go.
/// </summary>
internal static class XeroLimits
{
    /// <summary>The earliest date SyncKit sends to Xero.</summary>
    public static readonly DateOnly MinDate = new(1900, 1, 1);

    /// <summary>The latest date SyncKit sends to Xero.</summary>
    public static readonly DateOnly MaxDate = new(9999, 12, 31);

    /// <summary>The first limit the record breaks, as a validation failure naming the field and the limit; null when it fits.</summary>
    public static SyncFailure? Check(SyncRecord record) => record switch
    {
        ContactRecord c => CheckContact(c),
        ItemRecord i => First(
            Length(i, "item code", i.Code, 30),
            Length(i, "item name", i.Name, 50),
            Length(i, "item description", i.Description, 4000)),
        DocumentRecord d => CheckDocument(d),
        PaymentRecord p => First(Date(p, "payment date", p.Date), Length(p, "payment reference", p.Reference, 255)),
        _ => null,
    };

    private static SyncFailure? CheckContact(ContactRecord c) => First(
        Length(c, "contact name", c.Name, 255),
        Length(c, "contact account number", c.AccountNumber, 50),
        Length(c, "contact email address", c.Email ?? c.BillingContact?.Email, 255),
        Length(c, "contact tax number", c.TaxNumber, 50),
        Length(c, "contact phone number", c.Phone, 50),
        Length(c, "contact person's first name", c.BillingContact?.FirstName, 255),
        Length(c, "contact person's last name", c.BillingContact?.LastName, 255),
        Length(c, "address line 1", c.Address?.Line1, 500),
        Length(c, "address line 2", c.Address?.Line2, 500),
        Length(c, "address city", c.Address?.City, 255),
        Length(c, "address region", c.Address?.Region, 255),
        Length(c, "address postal code", c.Address?.PostalCode, 50),
        Length(c, "address country", c.Address?.Country, 50));

    private static SyncFailure? CheckDocument(DocumentRecord d)
    {
        var what = XeroRecordMapper.Describe(d.Kind);
        if (!Enum.IsDefined(d.Status))
        {
            return Invalid(d, "status", $"The {what} status '{d.Status}' is not one SyncKit can send to Xero (Draft, Submitted or Authorised), so the {what} was not sent. Correct the status in your system, then retry the sync.", "Draft, Submitted, Authorised");
        }

        if (!Enum.IsDefined(d.LineAmountType))
        {
            return Invalid(d, "line amount type", $"The {what} line amount type '{d.LineAmountType}' is not one SyncKit can send to Xero (Exclusive, Inclusive or NoTax), so the {what} was not sent. Correct it in your system, then retry the sync.", "Exclusive, Inclusive, NoTax");
        }

        var failure = First(
            Length(d, what + " number", d.Number, 255),
            Length(d, what + " reference", d.Reference, 255),
            Date(d, what + " date", d.Date),
            d.DueDate is { } due ? Date(d, what + " due date", due) : null,
            d is PurchaseOrderRecord { DeliveryDate: { } delivery } ? Date(d, "delivery date", delivery) : null);
        if (failure is not null)
        {
            return failure;
        }

        for (var i = 0; i < d.Lines.Count; i++)
        {
            if (Length(d, $"description of line {i + 1}", d.Lines[i].Description, 4000) is { } line)
            {
                return line;
            }
        }

        return null;
    }

    private static SyncFailure? First(params SyncFailure?[] failures) => failures.FirstOrDefault(f => f is not null);

    private static SyncFailure? Length(SyncRecord record, string field, string? value, int max) =>
        value is null || value.Length <= max
            ? null
            : Invalid(
                record,
                field,
                string.Create(CultureInfo.InvariantCulture, $"The {field} is {value.Length:N0} characters long; Xero accepts at most {max:N0}. Shorten it in your system, then retry the sync."),
                max.ToString(CultureInfo.InvariantCulture));

    private static SyncFailure? Date(SyncRecord record, string field, DateOnly value) =>
        value >= MinDate && value <= MaxDate
            ? null
            : Invalid(
                record,
                field,
                string.Create(CultureInfo.InvariantCulture, $"The {field} {value:yyyy-MM-dd} is outside the dates Xero accepts ({MinDate:yyyy-MM-dd} to {MaxDate:yyyy-MM-dd}). Correct it in your system, then retry the sync."),
                string.Create(CultureInfo.InvariantCulture, $"{MinDate:yyyy-MM-dd}..{MaxDate:yyyy-MM-dd}"));

    private static SyncFailure Invalid(SyncRecord record, string field, string message, string limit) => new()
    {
        Source = FailureSource.Validation,
        Code = FailureCodes.InvalidData,
        Kind = record.Kind,
        Messages = [message],
        Details = new Dictionary<string, string> { ["Field"] = field, ["Limit"] = limit },
    };
}
