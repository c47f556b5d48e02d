using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SyncKit.Testing.Emulator.Http;
using SyncKit.Testing.Emulator.State;

namespace SyncKit.Testing.Emulator.Accounting;

/// <summary>
/// What Xero's model binding refuses before any rule runs (types of amounts and dates, per-request element counts)
/// and the field lengths its validation refuses per element. Limits are Xero's (OpenAPI <c>maxLength</c> where given).
/// </summary>
internal static class AccountingInput
{
    /// <summary>Most elements one request may carry (Xero documents 500 for Items; for documents it advises about 50 but accepts more).</summary>
    public const int MaxElementsPerRequest = 500;

    private static readonly HashSet<string> s_decimalFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "UnitAmount", "Quantity", "LineAmount", "TaxAmount", "DiscountRate", "DiscountAmount", "Amount", "BankAmount",
        "CurrencyRate", "SubTotal", "TotalTax", "Total", "TotalDiscount", "AmountDue", "AmountPaid", "AmountCredited",
        "RemainingCredit", "UnitPrice", "Rate", "EffectiveRate", "DisplayTaxRate", "QuantityOnHand", "TotalCostPool",
    };

    private static readonly HashSet<string> s_dateFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "Date", "DueDate", "ExpectedPaymentDate", "PlannedPaymentDate", "DeliveryDate", "ExpectedArrivalDate", "FullyPaidOnDate",
    };

    private static readonly (string Path, int Max)[] s_lineLimits =
    [
        ("LineItems[].Description", 4000), ("LineItems[].Tracking[].Name", 100), ("LineItems[].Tracking[].Option", 100),
    ];

    private static readonly Dictionary<string, (string Path, int Max)[]> s_lengthLimits = new(StringComparer.Ordinal)
    {
        ["Contacts"] =
        [
            ("Name", 255), ("FirstName", 255), ("LastName", 255), ("EmailAddress", 255), ("ContactNumber", 50), ("AccountNumber", 50),
            ("CompanyNumber", 50), ("TaxNumber", 50), ("Addresses[].City", 255), ("Addresses[].Region", 255), ("Addresses[].PostalCode", 50),
            ("Addresses[].Country", 50), ("Addresses[].AttentionTo", 255), ("Phones[].PhoneNumber", 50), ("Phones[].PhoneAreaCode", 10),
            ("Phones[].PhoneCountryCode", 20),
        ],
        ["Invoices"] = [("InvoiceNumber", 255), ("Reference", 255), ("Contact.Name", 255), .. s_lineLimits],
        ["CreditNotes"] = [("Reference", 255), ("Contact.Name", 255), .. s_lineLimits],
        ["PurchaseOrders"] = [("Contact.Name", 255), .. s_lineLimits],
        ["Items"] = [("Code", 30), ("Name", 50), ("Description", 4000), ("PurchaseDescription", 4000)],
        ["Accounts"] = [("Name", 150)],
        ["TrackingCategories"] = [("Name", 100)],
    };

    /// <summary>Most elements of <paramref name="collection"/> one request may carry (Accounts and TaxRates: one).</summary>
    public static int MaxElements(string collection) => collection is "Accounts" or "TaxRates" ? 1 : MaxElementsPerRequest;

    /// <summary>The first amount or date in the body that Xero could not bind, as the detail of a PostDataInvalidException; null when all bind.</summary>
    public static string? CheckTypes(JsonNode? node, string path = "")
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    var childPath = JsonBody.Child(path, name);
                    var error = s_decimalFields.Contains(name) ? CheckDecimal(value, childPath)
                        : s_dateFields.Contains(name) ? CheckDate(value, childPath)
                        : CheckTypes(value, childPath);
                    if (error is not null)
                    {
                        return error;
                    }
                }

                return null;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (CheckTypes(array[i], path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]") is { } error)
                    {
                        return error;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    /// <summary>Every string on the element longer than Xero allows, as validation messages.</summary>
    public static List<string> LengthErrors(string collection, JsonObject element)
    {
        var errors = new List<string>();
        foreach (var (path, max) in s_lengthLimits.GetValueOrDefault(collection) ?? [])
        {
            var field = path[(path.LastIndexOf('.') + 1)..];
            foreach (var value in Values(element, path.Split('.')))
            {
                if (value.Length > max)
                {
                    errors.Add(XeroMessages.StringTooLong.Format(field, max));
                    break;
                }
            }
        }

        return errors;
    }

    private static IEnumerable<string> Values(JsonNode? node, ReadOnlyMemory<string> segments)
    {
        if (segments.Length == 0)
        {
            if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
            {
                yield return value.GetValue<string>();
            }

            yield break;
        }

        var segment = segments.Span[0];
        var isArray = segment.EndsWith("[]", StringComparison.Ordinal);
        var child = XeroJson.Get(node as JsonObject, isArray ? segment[..^2] : segment);
        var children = isArray ? (child as JsonArray)?.ToList() ?? [] : [child];
        foreach (var item in children)
        {
            foreach (var text in Values(item, segments[1..]))
            {
                yield return text;
            }
        }
    }

    private static string? CheckDecimal(JsonNode? node, string path)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonValue value)
        {
            return XeroMessages.JsonWrongType.Format(node.GetValueKind().ToString().ToLowerInvariant(), "number", path);
        }

        switch (value.GetValueKind())
        {
            case JsonValueKind.Number:
                return value.TryGetValue<decimal>(out _) ? null : XeroMessages.JsonNumberOutOfRange.Format(path);
            case JsonValueKind.String:
                var text = value.GetValue<string>();
                if (text.Length == 0 || decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                {
                    return null;
                }

                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
                    ? XeroMessages.JsonNumberOutOfRange.Format(path)
                    : XeroMessages.JsonNotANumber.Format(text, path);
            default:
                return XeroMessages.JsonWrongType.Format(value.GetValueKind().ToString().ToLowerInvariant(), "number", path);
        }
    }

    private static string? CheckDate(JsonNode? node, string path)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            return XeroMessages.JsonWrongType.Format(node.GetValueKind().ToString().ToLowerInvariant(), "date", path);
        }

        var text = value.GetValue<string>();
        return text.Length == 0 || XeroJson.TryParseDate(text, out _) ? null : XeroMessages.JsonNotADate.Format(text, path);
    }
}
