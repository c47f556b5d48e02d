using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using SyncKit.Testing.Emulator.Http;
using SyncKit.Testing.Emulator.State;

namespace SyncKit.Testing.Emulator.Accounting;

/// <summary>The Accounting API (<c>/api.xro/2.0/</c>). Called under the tenant's lock.</summary>
internal sealed partial class AccountingApi
{
    private static readonly string[] s_resources =
    [
        "Contacts", "Items", "Invoices", "CreditNotes", "Payments", "PurchaseOrders", "Accounts", "TaxRates",
        "TrackingCategories", "Organisation", "Currencies",
    ];

    private readonly EmulatorHost _host;

    public AccountingApi(EmulatorHost host) => _host = host;

    public EmulatorResponse Handle(EmulatorRequest request, TenantState tenant)
    {
        var rest = request.Path[EmulatorHost.AccountingPrefix.Length..];
        var segments = rest.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0)
        {
            return NotFound();
        }

        var resource = s_resources.FirstOrDefault(r => string.Equals(r, segments[0], StringComparison.OrdinalIgnoreCase));
        if (resource is null)
        {
            return NotFound();
        }

        var ctx = new CallContext(request, tenant, _host.Clock.GetUtcNow(), segments);
        var method = request.Method.ToUpperInvariant();
        var id = segments.Length > 1 ? segments[1] : null;
        return (resource, method) switch
        {
            ("Organisation", "GET") => Envelope(ctx, "Organisations", [SeedData.Organisation(tenant)]),
            ("Currencies", "GET") => ReadCurrencies(ctx),
            ("Currencies", "PUT" or "POST") => WriteCurrencies(ctx),
            ("Accounts", "GET") => Read(ctx, "Accounts", tenant.Accounts, id, ListSpec.Accounts),
            ("Accounts", "PUT") when id is null => Batch(ctx, "Accounts", "HasValidationErrors", null, e => SaveAccount(ctx, e)),
            ("Accounts", "POST") => Batch(ctx, "Accounts", "HasValidationErrors", id, e => SaveAccount(ctx, e)),
            ("TaxRates", "GET") => Read(ctx, "TaxRates", tenant.TaxRates, id, ListSpec.TaxRates),
            ("TaxRates", "PUT" or "POST") => Batch(ctx, "TaxRates", "HasValidationErrors", null, e => SaveTaxRate(ctx, e)),
            ("TrackingCategories", "GET") => Read(ctx, "TrackingCategories", tenant.TrackingCategories, id, ListSpec.Plain),
            ("TrackingCategories", "PUT" or "POST") => WriteTracking(ctx, id, segments.Length > 2 ? segments[2] : null),
            ("Contacts", "GET") => Read(ctx, "Contacts", tenant.Contacts, id, ListSpec.Contacts),
            ("Contacts", "PUT") when id is null => Batch(ctx, "Contacts", "HasValidationErrors", null, e => SaveContact(ctx, e, isPut: true)),
            ("Contacts", "POST") => Batch(ctx, "Contacts", "HasValidationErrors", id, e => SaveContact(ctx, e, isPut: false)),
            ("Items", "GET") => Read(ctx, "Items", tenant.Items, id, ListSpec.Items),
            ("Items", "PUT") when id is null => Batch(ctx, "Items", "HasValidationErrors", null, e => SaveItem(ctx, e, isPut: true)),
            ("Items", "POST") => Batch(ctx, "Items", "HasValidationErrors", id, e => SaveItem(ctx, e, isPut: false)),
            ("Items", "DELETE") when id is not null => DeleteItem(ctx, id),
            ("Invoices", "GET") => Read(ctx, "Invoices", tenant.Invoices, id, ListSpec.Invoices),
            ("Invoices", "PUT") when id is null => Batch(ctx, "Invoices", "HasErrors", null, e => SaveDocument(ctx, DocumentKind.Invoice, e, isPut: true)),
            ("Invoices", "POST") => Batch(ctx, "Invoices", "HasErrors", id, e => SaveDocument(ctx, DocumentKind.Invoice, e, isPut: false)),
            ("CreditNotes", "GET") => Read(ctx, "CreditNotes", tenant.CreditNotes, id, ListSpec.CreditNotes),
            ("CreditNotes", "PUT") when id is not null && segments.Length == 3 && segments[2].Equals("Allocations", StringComparison.OrdinalIgnoreCase) => AllocateCreditNote(ctx, id),
            ("CreditNotes", "PUT") when id is null => Batch(ctx, "CreditNotes", "HasErrors", null, e => SaveDocument(ctx, DocumentKind.CreditNote, e, isPut: true)),
            ("CreditNotes", "POST") => Batch(ctx, "CreditNotes", "HasErrors", id, e => SaveDocument(ctx, DocumentKind.CreditNote, e, isPut: false)),
            ("PurchaseOrders", "GET") => Read(ctx, "PurchaseOrders", tenant.PurchaseOrders, id, ListSpec.PurchaseOrders),
            ("PurchaseOrders", "PUT") when id is null => Batch(ctx, "PurchaseOrders", "HasErrors", null, e => SaveDocument(ctx, DocumentKind.PurchaseOrder, e, isPut: true)),
            ("PurchaseOrders", "POST") => Batch(ctx, "PurchaseOrders", "HasErrors", id, e => SaveDocument(ctx, DocumentKind.PurchaseOrder, e, isPut: false)),
            ("Payments", "GET") => Read(ctx, "Payments", tenant.Payments, id, ListSpec.Payments),
            ("Payments", "PUT") when id is null => Batch(ctx, "Payments", "HasValidationErrors", null, e => SavePayment(ctx, e)),
            ("Payments", "POST") when id is null => Batch(ctx, "Payments", "HasValidationErrors", null, e => SavePayment(ctx, e)),
            ("Payments", "POST") => Batch(ctx, "Payments", "HasValidationErrors", id, e => UpdatePayment(ctx, e)),
            _ => MethodNotAllowed(method),
        };
    }

    private static EmulatorResponse NotFound() => EmulatorResponse.Text(HttpStatusCode.NotFound, XeroMessages.NotFound.Template);

    // ---------- envelope and batches ----------

    private EmulatorResponse Envelope(CallContext ctx, string collection, IEnumerable<JsonObject> items, JsonObject? pagination = null)
    {
        var envelope = new JsonObject
        {
            ["Id"] = _host.Ids.NewGuid().ToString(),
            ["Status"] = "OK",
            ["ProviderName"] = _host.Options.ProviderName,
            ["DateTimeUTC"] = XeroJson.MsDateNoOffset(ctx.Now),
        };
        if (pagination is not null)
        {
            envelope["pagination"] = pagination;
        }

        envelope[collection] = new JsonArray(items.Select(i => (JsonNode?)i).ToArray());
        return EmulatorResponse.Json(HttpStatusCode.OK, envelope);
    }

    /// <summary>
    /// Reads a write's body as Xero binds it: JSON only (415 otherwise), well-formed, no property twice, amounts and
    /// dates that convert. Anything else is a 400 PostDataInvalidException and nothing is processed.
    /// </summary>
    private static EmulatorResponse? ReadBody(CallContext ctx, out JsonObject body)
    {
        body = [];
        var request = ctx.Request;
        if (request.Body.Length > 0 && !JsonBody.IsJsonMediaType(request.Header("Content-Type")))
        {
            return EmulatorResponse.Text(HttpStatusCode.UnsupportedMediaType, XeroMessages.UnsupportedMediaType.Format(request.Header("Content-Type") ?? string.Empty));
        }

        var parsed = JsonBody.TryParseObject(request.Body, out var error);
        error ??= AccountingInput.CheckTypes(parsed);
        if (parsed is null || error is not null)
        {
            return EmulatorHost.PostDataInvalid(error!);
        }

        body = parsed;
        return null;
    }

    private EmulatorResponse Batch(CallContext ctx, string collection, string errorFlag, string? pathId, Func<JsonObject, ElementResult> process)
    {
        if (ReadBody(ctx, out var body) is { } refused)
        {
            return refused;
        }

        List<JsonObject> elements;
        if (XeroJson.GetArray(body, collection) is { } array)
        {
            var max = AccountingInput.MaxElements(collection);
            if (array.Count > max)
            {
                return EmulatorHost.ValidationMessage(XeroMessages.TooManyElements.Format(max, collection));
            }

            elements = [];
            for (var i = 0; i < array.Count; i++)
            {
                if (array[i] is not JsonObject element)
                {
                    return EmulatorHost.PostDataInvalid(XeroMessages.JsonNotAnObject.Format(collection + "[" + i.ToString(CultureInfo.InvariantCulture) + "]"));
                }

                elements.Add(element);
            }
        }
        else
        {
            elements = [body];
        }

        var set = ctx.Tenant.Set(collection);
        var results = new List<JsonObject>();
        var failed = new JsonArray();
        foreach (var element in elements)
        {
            if (pathId is not null && !XeroJson.Has(element, set.IdField))
            {
                // POST /Invoices/{InvoiceNumber} updates by number as /Invoices/{InvoiceID} does by id.
                if (!Guid.TryParse(pathId, out _) && collection == "Invoices")
                {
                    XeroJson.Set(element, "InvoiceNumber", pathId);
                }
                else
                {
                    XeroJson.Set(element, set.IdField, pathId);
                }
            }

            var result = Process(ctx, collection, results.Count, element, process);
            if (result.Errors.Count > 0)
            {
                var echo = result.Echo ?? (JsonObject)element.DeepClone();
                NormalizeEchoDates(echo);
                echo[errorFlag] = true;
                echo["StatusAttributeString"] = "ERROR";
                echo["ValidationErrors"] = new JsonArray(result.Errors.Select(m => (JsonNode?)new JsonObject { ["Message"] = m }).ToArray());
                results.Add(echo);
                failed.Add(echo.DeepClone());
            }
            else
            {
                var output = Output(ctx, collection, result.Saved!);
                output["StatusAttributeString"] = result.Warnings.Count > 0 ? "WARNING" : "OK";
                if (result.Warnings.Count > 0)
                {
                    output["Warnings"] = new JsonArray(result.Warnings.Select(m => (JsonNode?)new JsonObject { ["Message"] = m }).ToArray());
                }

                results.Add(output);
            }
        }

        if (failed.Count > 0 && ctx.SummarizeErrors)
        {
            return EmulatorResponse.Json(HttpStatusCode.BadRequest, new JsonObject
            {
                ["ErrorNumber"] = 10,
                ["Type"] = "ValidationException",
                ["Message"] = XeroMessages.ValidationException.Template,
                ["Elements"] = failed,
            });
        }

        return Envelope(ctx, collection, results);
    }

    /// <summary>
    /// One element: Xero's length limits first, then the resource's rules. An amount too large to compute with fails the
    /// element, undoing whatever it had changed; any other exception escapes and the host rolls the whole request back.
    /// </summary>
    private ElementResult Process(CallContext ctx, string collection, int index, JsonObject element, Func<JsonObject, ElementResult> process)
    {
        var tooLong = AccountingInput.LengthErrors(collection, element);
        if (tooLong.Count > 0)
        {
            return Fail(element, tooLong.ToArray());
        }

        var savepoint = ctx.Tenant.Capture();
        try
        {
            _host.ElementHook?.Invoke(collection, index);
            return process(element);
        }
        catch (OverflowException)
        {
            ctx.Tenant.Restore(savepoint);
            return Fail(element, XeroMessages.AmountOutOfRange.Template);
        }
    }

    private static readonly HashSet<string> s_echoDateFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "Date", "DueDate", "DeliveryDate", "ExpectedArrivalDate", "ExpectedPaymentDate", "PlannedPaymentDate", "FullyPaidOnDate", "UpdatedDateUTC",
    };

    /// <summary>Xero echoes a failed element through its own model, so its dates come back as <c>/Date(ms+0000)/</c>.</summary>
    private static void NormalizeEchoDates(JsonObject element)
    {
        foreach (var (key, value) in element.ToList())
        {
            switch (value)
            {
                case JsonObject child:
                    NormalizeEchoDates(child);
                    break;
                case JsonArray array:
                    foreach (var item in array.OfType<JsonObject>())
                    {
                        NormalizeEchoDates(item);
                    }

                    break;
                case JsonValue v when s_echoDateFields.Contains(key) && v.GetValueKind() == System.Text.Json.JsonValueKind.String:
                    var text = v.GetValue<string>();
                    if (!text.StartsWith("/Date(", StringComparison.Ordinal) && XeroJson.TryParseDateTime(text, out var parsed))
                    {
                        element[key] = XeroJson.MsDate(parsed);
                    }

                    break;
            }
        }
    }

    private static DateOnly? DateOf(JsonObject element) =>
        XeroJson.GetString(element, "Date") is { } text && XeroJson.TryParseDateTime(text, out var date) ? DateOnly.FromDateTime(date.UtcDateTime) : null;

    /// <summary>A stored element as the wire shows it: contact summary refreshed, unit amounts at the requested precision.</summary>
    private static JsonObject Output(CallContext ctx, string collection, JsonObject stored)
    {
        var output = (JsonObject)stored.DeepClone();
        if (collection is "Invoices" or "CreditNotes" or "PurchaseOrders")
        {
            if (XeroJson.GetObject(output, "Contact") is { } contactRef
                && XeroJson.GetGuid(contactRef, "ContactID") is { } contactId
                && ctx.Tenant.Contacts.Find(contactId) is { } contact)
            {
                output["Contact"] = ContactSummary(contact);
            }

            if (XeroJson.GetArray(output, "LineItems") is { } lines)
            {
                foreach (var line in lines.OfType<JsonObject>())
                {
                    if (XeroJson.GetDecimal(line, "UnitAmount") is { } unit)
                    {
                        line["UnitAmount"] = XeroJson.Round(unit, ctx.UnitDp);
                    }
                }
            }
        }

        return output;
    }

    // ---------- reads ----------

    private EmulatorResponse Read(CallContext ctx, string collection, EntitySet set, string? id, ListSpec spec)
    {
        if (id is not null)
        {
            var found = Guid.TryParse(id, out var guid)
                ? set.Find(guid)
                : spec.NumberField is { } numberField
                    ? set.WithField(numberField, id).FirstOrDefault(e => string.Equals(XeroJson.GetString(e, numberField), id, StringComparison.OrdinalIgnoreCase))
                    : set.FindByKey(id);
            return found is null ? NotFound() : Envelope(ctx, collection, [Output(ctx, collection, found)]);
        }

        var q = ctx.Request;
        IEnumerable<JsonObject> items = set.All;
        if (q.QueryValue("IDs") is { Length: > 0 } ids)
        {
            var wanted = Split(ids).Select(s => Guid.TryParse(s, out var g) ? g : Guid.Empty).ToHashSet();
            items = items.Where(e => XeroJson.GetGuid(e, set.IdField) is { } g && wanted.Contains(g));
        }

        if (spec.NumberField is { } number && q.QueryValue(spec.NumbersParameter!) is { Length: > 0 } numbers)
        {
            var wanted = Split(numbers).ToHashSet(StringComparer.OrdinalIgnoreCase);
            items = items.Where(e => XeroJson.GetString(e, number) is { } n && wanted.Contains(n));
        }

        if (q.QueryValue("ContactIDs") is { Length: > 0 } contactIds)
        {
            var wanted = Split(contactIds).Select(s => Guid.TryParse(s, out var g) ? g : Guid.Empty).ToHashSet();
            items = items.Where(e => XeroJson.GetGuid(XeroJson.GetObject(e, "Contact"), "ContactID") is { } g && wanted.Contains(g));
        }

        if ((q.QueryValue("Statuses") ?? q.QueryValue("Status")) is { Length: > 0 } statuses)
        {
            var wanted = Split(statuses).ToHashSet(StringComparer.OrdinalIgnoreCase);
            items = items.Where(e => XeroJson.GetString(e, "Status") is { } s && wanted.Contains(s));
        }

        // PurchaseOrders (and Xero's other document lists) filter by date with DateFrom / DateTo (inclusive, yyyy-MM-dd).
        if (q.QueryValue("DateFrom") is { Length: > 0 } dateFrom && DateOnly.TryParse(dateFrom, System.Globalization.CultureInfo.InvariantCulture, out var from))
        {
            items = items.Where(e => DateOf(e) is { } d && d >= from);
        }

        if (q.QueryValue("DateTo") is { Length: > 0 } dateTo && DateOnly.TryParse(dateTo, System.Globalization.CultureInfo.InvariantCulture, out var to))
        {
            items = items.Where(e => DateOf(e) is { } d && d <= to);
        }

        if (spec == ListSpec.TaxRates && q.QueryValue("TaxType") is { Length: > 0 } taxType)
        {
            items = items.Where(e => string.Equals(XeroJson.GetString(e, "TaxType"), taxType, StringComparison.OrdinalIgnoreCase));
        }

        if (spec.ArchivedStatusField is { } archivedField && !string.Equals(q.QueryValue("includeArchived"), "true", StringComparison.OrdinalIgnoreCase))
        {
            items = items.Where(e => !string.Equals(XeroJson.GetString(e, archivedField), "ARCHIVED", StringComparison.OrdinalIgnoreCase));
        }

        if (q.QueryValue("searchTerm") is { Length: > 0 } term && spec.SearchFields.Length > 0)
        {
            items = items.Where(e => spec.SearchFields.Any(f => XeroJson.GetString(e, f)?.Contains(term, StringComparison.OrdinalIgnoreCase) == true));
        }

        // Xero documents If-Modified-Since on Accounts, Contacts, Items and the document lists only: an answer of the
        // records created or changed since (an empty list when none), never a 304. TaxRates and TrackingCategories
        // ignore the header and answer in full.
        if (spec.ModifiedSince && q.Header("If-Modified-Since") is { Length: > 0 } since && XeroJson.TryParseDateTime(since, out var sinceUtc))
        {
            items = items.Where(e => XeroJson.TryParseDateTime(XeroJson.GetString(e, "UpdatedDateUTC"), out var updated) && updated > sinceUtc);
        }

        var outputs = items.Select(e => Output(ctx, collection, e)).ToList();
        if (q.QueryValue("where") is { Length: > 0 } where)
        {
            if (!WhereFilter.TryParse(where, out var filter))
            {
                return EmulatorHost.ValidationMessage(XeroMessages.WhereInvalid.Format(where));
            }

            outputs = outputs.Where(filter!.Matches).ToList();
        }

        outputs = Order(outputs, q.QueryValue("order"), spec, set.IdField);
        if (!spec.Paged || q.QueryValue("page") is not { Length: > 0 } pageText)
        {
            return Envelope(ctx, collection, outputs);
        }

        var page = int.TryParse(pageText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) ? Math.Max(1, p) : 1;
        var pageSize = int.TryParse(q.QueryValue("pageSize"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ps) ? Math.Clamp(ps, 1, 1000) : 100;
        var pageCount = (outputs.Count + pageSize - 1) / pageSize;
        var skip = (long)(page - 1) * pageSize;
        var pageItems = skip >= outputs.Count ? [] : outputs.Skip((int)skip).Take(pageSize).ToList();
        return Envelope(ctx, collection, pageItems, new JsonObject
        {
            ["page"] = page,
            ["pageSize"] = pageSize,
            ["pageCount"] = pageCount,
            ["itemCount"] = outputs.Count,
        });
    }

    private static List<JsonObject> Order(List<JsonObject> items, string? order, ListSpec spec, string idField)
    {
        if (order is { Length: > 0 })
        {
            var parts = order.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var field = parts[0];
            var descending = parts.Length > 1 && parts[1].Equals("DESC", StringComparison.OrdinalIgnoreCase);
            var keyed = items.Select(i => (Item: i, Key: SortKey(XeroJson.Get(i, field)))).ToList();
            var sorted = descending
                ? keyed.OrderByDescending(k => k.Key, SortKeyComparer.Instance)
                : keyed.OrderBy(k => k.Key, SortKeyComparer.Instance);
            return sorted.Select(k => k.Item).ToList();
        }

        if (!spec.Paged)
        {
            return items;
        }

        return items
            .OrderBy(i => XeroJson.TryParseDateTime(XeroJson.GetString(i, "UpdatedDateUTC"), out var u) ? u : DateTimeOffset.MinValue)
            .ThenBy(i => XeroJson.GetString(i, idField), StringComparer.Ordinal)
            .ToList();
    }

    private static object? SortKey(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return null;
        }

        if (XeroJson.ToDecimal(value) is { } d && value.GetValueKind() == System.Text.Json.JsonValueKind.Number)
        {
            return d;
        }

        var s = value.ToString();
        return XeroJson.TryParseDateTime(s, out var dt) && s.StartsWith("/Date(", StringComparison.Ordinal) ? dt : s;
    }

    private sealed class SortKeyComparer : IComparer<object?>
    {
        public static readonly SortKeyComparer Instance = new();

        public int Compare(object? x, object? y) => (x, y) switch
        {
            (null, null) => 0,
            (null, _) => -1,
            (_, null) => 1,
            (decimal a, decimal b) => a.CompareTo(b),
            (DateTimeOffset a, DateTimeOffset b) => a.CompareTo(b),
            _ => string.Compare(x.ToString(), y.ToString(), StringComparison.OrdinalIgnoreCase),
        };
    }

    private static IEnumerable<string> Split(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => s.Trim('"'));

    // ---------- helpers ----------

    internal static JsonObject ContactSummary(JsonObject contact) => new JsonObject
    {
        ["ContactID"] = XeroJson.GetString(contact, "ContactID"),
        ["ContactStatus"] = XeroJson.GetString(contact, "ContactStatus"),
        ["Name"] = XeroJson.GetString(contact, "Name"),
        ["FirstName"] = XeroJson.GetString(contact, "FirstName"),
        ["LastName"] = XeroJson.GetString(contact, "LastName"),
        ["EmailAddress"] = XeroJson.GetString(contact, "EmailAddress"),
        ["ContactNumber"] = XeroJson.GetString(contact, "ContactNumber"),
        ["Addresses"] = new JsonArray(),
        ["Phones"] = new JsonArray(),
        ["ContactGroups"] = new JsonArray(),
        ["ContactPersons"] = new JsonArray(),
        ["HasValidationErrors"] = false,
    }.RemoveNulls();

    private ElementResult Fail(JsonObject element, params string[] errors) => new(null, errors.ToList(), [], null);

    /// <summary>Lock-date refusals for a document dated <paramref name="date"/>; an edit of one already dated in a year-end-locked period has Xero's own wording.</summary>
    private static List<string> LockDateErrors(TenantState tenant, DateOnly date, bool existingDate = false)
    {
        var errors = new List<string>();
        if (tenant.PeriodLockDate is { } period && date <= period)
        {
            errors.Add(XeroMessages.PeriodLockDate.Format(XeroMessages.LockDate(period)));
        }

        if (tenant.EndOfYearLockDate is { } eoy && date <= eoy)
        {
            errors.Add(existingDate ? XeroMessages.EndOfYearLockDateEdit.Template : XeroMessages.EndOfYearLockDate.Format(XeroMessages.LockDate(eoy)));
        }

        return errors;
    }

    private string NextNumber(TenantState tenant, string prefix, Func<string, bool> inUse)
    {
        var next = tenant.NumberSequences.GetValueOrDefault(prefix);
        string candidate;
        do
        {
            next++;
            candidate = prefix + next.ToString("0000", CultureInfo.InvariantCulture);
        }
        while (inUse(candidate));

        tenant.NumberSequences[prefix] = next;
        return candidate;
    }

    private sealed record ElementResult(JsonObject? Saved, List<string> Errors, List<string> Warnings, JsonObject? Echo)
    {
        public static ElementResult Ok(JsonObject saved, List<string>? warnings = null) => new(saved, [], warnings ?? [], null);
    }

    private sealed class CallContext
    {
        public CallContext(EmulatorRequest request, TenantState tenant, DateTimeOffset now, string[] segments)
        {
            Request = request;
            Tenant = tenant;
            Now = now;
            Segments = segments;
            UnitDp = request.QueryValue("unitdp") == "4" ? 4 : 2;
            SummarizeErrors = !string.Equals(request.QueryValue("summarizeErrors"), "false", StringComparison.OrdinalIgnoreCase);
        }

        public EmulatorRequest Request { get; }

        public TenantState Tenant { get; }

        public DateTimeOffset Now { get; }

        public DateOnly Today => DateOnly.FromDateTime(Now.UtcDateTime);

        public string[] Segments { get; }

        public int UnitDp { get; }

        public bool SummarizeErrors { get; }
    }

    private sealed record ListSpec(bool Paged, string? NumberField, string? NumbersParameter, string? ArchivedStatusField, string[] SearchFields, bool ModifiedSince = true)
    {
        public static readonly ListSpec Plain = new(false, null, null, null, [], ModifiedSince: false);
        public static readonly ListSpec Accounts = new(false, null, null, null, []);
        public static readonly ListSpec TaxRates = new(false, null, null, null, [], ModifiedSince: false);
        public static readonly ListSpec Items = new(false, "Code", "Codes", null, ["Code", "Name", "Description"]);
        public static readonly ListSpec Contacts = new(true, "ContactNumber", "ContactNumbers", "ContactStatus", ["Name", "FirstName", "LastName", "EmailAddress", "ContactNumber", "CompanyNumber"]);
        public static readonly ListSpec Invoices = new(true, "InvoiceNumber", "InvoiceNumbers", null, ["InvoiceNumber", "Reference"]);
        public static readonly ListSpec CreditNotes = new(true, "CreditNoteNumber", "CreditNoteNumbers", null, ["CreditNoteNumber", "Reference"]);
        public static readonly ListSpec PurchaseOrders = new(true, "PurchaseOrderNumber", "PurchaseOrderNumbers", null, ["PurchaseOrderNumber", "Reference"]);
        public static readonly ListSpec Payments = new(true, null, null, null, ["Reference"]);
    }
}

internal static class JsonObjectExtensions
{
    public static JsonObject RemoveNulls(this JsonObject obj)
    {
        foreach (var key in obj.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            obj.Remove(key);
        }

        return obj;
    }
}
