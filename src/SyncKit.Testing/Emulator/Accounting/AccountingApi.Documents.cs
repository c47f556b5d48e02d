using System.Globalization;
using System.Text.Json.Nodes;
using SyncKit.Testing.Emulator.State;

namespace SyncKit.Testing.Emulator.Accounting;

/// <summary>Invoices, credit notes and purchase orders: one set of rules for documents with lines.</summary>
internal sealed partial class AccountingApi
{
    private static readonly string[] s_copiedFields =
    [
        "Reference", "Url", "SentToContact", "BrandingThemeID", "CurrencyRate", "DeliveryAddress", "AttentionTo",
        "Telephone", "DeliveryInstructions",
    ];

    private static readonly string[] s_dateFields = ["Date", "DueDate", "ExpectedPaymentDate", "PlannedPaymentDate", "DeliveryDate", "ExpectedArrivalDate"];

    private ElementResult SaveDocument(CallContext ctx, DocumentKind kind, JsonObject element, bool isPut)
    {
        var tenant = ctx.Tenant;
        var set = tenant.Set(kind.Collection);
        JsonObject? existing = null;
        if (XeroJson.GetString(element, kind.IdField) is { Length: > 0 } idText)
        {
            existing = Guid.TryParse(idText, out var id) ? set.Find(id) : null;
            if (existing is null)
            {
                return Fail(element, XeroMessages.DocumentNotFound.Template);
            }
        }
        else if (!isPut && XeroJson.GetString(element, kind.NumberField) is { Length: > 0 } number)
        {
            existing = set.WithField(kind.NumberField, number).FirstOrDefault(d =>
                string.Equals(XeroJson.GetString(d, kind.NumberField), number, StringComparison.OrdinalIgnoreCase)
                && XeroJson.GetString(d, "Status") is not "DELETED" and not "VOIDED"
                && (XeroJson.GetString(element, "Type") is not { } t || string.Equals(XeroJson.GetString(d, "Type"), t, StringComparison.OrdinalIgnoreCase)));
        }

        var requestedStatus = XeroJson.GetString(element, "Status")?.ToUpperInvariant();
        var errors = new List<string>();
        if (existing is not null)
        {
            var current = XeroJson.GetString(existing, "Status") ?? "DRAFT";
            if (kind.FinalStatuses.Contains(current))
            {
                return Fail(element, kind.NotEditableMessage.Template);
            }

            if ((XeroJson.GetDecimal(existing, "AmountPaid") ?? 0m) > 0m || (XeroJson.GetDecimal(existing, "AmountCredited") ?? 0m) > 0m)
            {
                return Fail(element, XeroMessages.HasPayments.Template);
            }

            if (requestedStatus is not null && requestedStatus != current && !kind.AllowedTransition(current, requestedStatus))
            {
                return Fail(element, kind.NotEditableMessage.Template);
            }

            if (kind.LockDates && current is not "DRAFT" && XeroJson.TryParseDate(XeroJson.GetString(existing, "Date"), out var oldDate))
            {
                errors.AddRange(LockDateErrors(tenant, oldDate, existingDate: true));
            }

            if (requestedStatus is "DELETED" or "VOIDED")
            {
                if (errors.Count > 0)
                {
                    return Fail(element, errors.Distinct().ToArray());
                }

                var statusOnly = (JsonObject)existing.DeepClone();
                statusOnly["Status"] = requestedStatus;
                if (requestedStatus == "VOIDED")
                {
                    statusOnly["AmountDue"] = 0.00m;
                }

                Touch(statusOnly, ctx.Now);
                set.Replace(existing, statusOnly);
                return ElementResult.Ok(statusOnly);
            }
        }
        else if (requestedStatus is not null && !kind.CreateStatuses.Contains(requestedStatus))
        {
            return Fail(element, XeroMessages.StatusInvalid.Format(requestedStatus));
        }

        var merged = existing is null ? new JsonObject() : (JsonObject)existing.DeepClone();
        foreach (var (key, value) in element)
        {
            if (value is not null)
            {
                XeroJson.Set(merged, Canonical(key), value?.DeepClone());
            }
        }

        var doc = BuildDocument(ctx, kind, merged, existing, errors, out var newContactName);
        if (errors.Count > 0)
        {
            return Fail(element, errors.Distinct().ToArray());
        }

        // A rate of 1 sent for a foreign currency is almost always a default, not a rate: Xero saves it and warns.
        var warnings = new List<string>();
        if (XeroJson.GetString(doc, "CurrencyCode") is { } currency && !string.Equals(currency, tenant.BaseCurrency, StringComparison.Ordinal)
            && XeroJson.GetDecimal(element, "CurrencyRate") == 1m)
        {
            warnings.Add(XeroMessages.CurrencyRateOne.Format(currency));
        }

        if (newContactName is not null)
        {
            var contact = NewContact(ctx, newContactName);
            tenant.Contacts.Add(contact);
            doc["Contact"] = new JsonObject { ["ContactID"] = XeroJson.GetString(contact, "ContactID"), ["Name"] = newContactName };
        }

        MarkContactRole(ctx, doc);
        if (existing is null)
        {
            set.Add(doc);
        }
        else
        {
            set.Replace(existing, doc);
        }

        return ElementResult.Ok(doc, warnings);
    }

    private JsonObject BuildDocument(CallContext ctx, DocumentKind kind, JsonObject merged, JsonObject? existing, List<string> errors, out string? newContactName)
    {
        var tenant = ctx.Tenant;
        newContactName = null;
        var doc = new JsonObject();

        // Type
        string? type = null;
        if (kind.Types.Length > 0)
        {
            type = XeroJson.GetString(merged, "Type")?.ToUpperInvariant();
            if (type is null || !kind.Types.Contains(type))
            {
                errors.Add(kind == DocumentKind.Invoice
                    ? XeroMessages.InvoiceTypeInvalid.Template
                    : XeroMessages.DocumentTypeInvalid.Format(string.Join(", ", kind.Types)));
                type ??= kind.Types[0];
            }

            doc["Type"] = type;
        }

        doc[kind.IdField] = XeroJson.GetString(existing, kind.IdField) ?? _host.Ids.NewGuid().ToString();

        // Contact
        var contactNode = XeroJson.GetObject(merged, "Contact");
        var contactId = XeroJson.GetGuid(contactNode, "ContactID");
        var contactName = XeroJson.GetString(contactNode, "Name");
        var contactNumber = XeroJson.GetString(contactNode, "ContactNumber");
        JsonObject? contact = null;
        if (contactId is { } cid)
        {
            contact = tenant.Contacts.Find(cid);
            if (contact is null)
            {
                errors.Add(XeroMessages.NoContact.Template);
            }
        }
        else if (contactNumber is { Length: > 0 })
        {
            contact = tenant.Contacts.WithField("ContactNumber", contactNumber).FirstOrDefault(c => string.Equals(XeroJson.GetString(c, "ContactNumber"), contactNumber, StringComparison.OrdinalIgnoreCase));
            if (contact is null)
            {
                errors.Add(XeroMessages.NoContact.Template);
            }
        }
        else if (contactName is { Length: > 0 })
        {
            var named = tenant.Contacts.WithField("Name", contactName);
            contact = named.FirstOrDefault(c => string.Equals(XeroJson.GetString(c, "Name"), contactName, StringComparison.OrdinalIgnoreCase)
                    && XeroJson.GetString(c, "ContactStatus") != "ARCHIVED")
                ?? named.FirstOrDefault(c => string.Equals(XeroJson.GetString(c, "Name"), contactName, StringComparison.OrdinalIgnoreCase));
            if (contact is null)
            {
                newContactName = contactName;
            }
        }
        else
        {
            errors.Add(XeroMessages.NoContact.Template);
        }

        if (contact is not null)
        {
            if (XeroJson.GetString(contact, "ContactStatus") == "ARCHIVED")
            {
                errors.Add(XeroMessages.ContactArchived.Format(XeroJson.GetString(contact, "Name") ?? string.Empty));
            }

            doc["Contact"] = new JsonObject { ["ContactID"] = XeroJson.GetString(contact, "ContactID"), ["Name"] = XeroJson.GetString(contact, "Name") };
        }
        else if (newContactName is not null)
        {
            doc["Contact"] = new JsonObject { ["Name"] = newContactName };
        }

        // Number
        var status = XeroJson.GetString(merged, "Status")?.ToUpperInvariant() ?? "DRAFT";
        var number = XeroJson.GetString(merged, kind.NumberField);
        var docId = XeroJson.GetString(doc, kind.IdField);
        var set = tenant.Set(kind.Collection);
        if (string.IsNullOrEmpty(number) && kind.AutoNumberTypes(type))
        {
            number = NextNumber(tenant, kind.NumberPrefix, n => set.WithField(kind.NumberField, n).Any(d => string.Equals(XeroJson.GetString(d, kind.NumberField), n, StringComparison.OrdinalIgnoreCase)));
        }
        else if (!string.IsNullOrEmpty(number) && kind.UniqueNumberTypes(type)
            && set.WithField(kind.NumberField, number).Any(d => !string.Equals(XeroJson.GetString(d, kind.IdField), docId, StringComparison.OrdinalIgnoreCase)
                && string.Equals(XeroJson.GetString(d, "Type") ?? string.Empty, type ?? string.Empty, StringComparison.OrdinalIgnoreCase)
                && XeroJson.GetString(d, "Status") != "DELETED"
                && string.Equals(XeroJson.GetString(d, kind.NumberField), number, StringComparison.OrdinalIgnoreCase)))
        {
            errors.Add(kind.DuplicateNumberMessage.Template);
        }

        doc[kind.NumberField] = number ?? string.Empty;
        foreach (var field in s_copiedFields)
        {
            if (XeroJson.Get(merged, field) is { } value)
            {
                doc[field] = value.DeepClone();
            }
        }

        // Currency
        var currency = XeroJson.GetString(merged, "CurrencyCode")?.ToUpperInvariant() ?? tenant.BaseCurrency;
        if (!tenant.Currencies.Contains(currency))
        {
            errors.Add(XeroMessages.CurrencyNotSubscribed.Format(currency));
        }

        // Dates
        if (!XeroJson.TryParseDate(XeroJson.GetString(merged, "Date"), out var date))
        {
            date = ctx.Today;
        }

        foreach (var field in s_dateFields)
        {
            var parsed = field == "Date" ? date : (XeroJson.TryParseDate(XeroJson.GetString(merged, field), out var d) ? d : (DateOnly?)null);
            if (parsed is { } value)
            {
                doc[field + "String"] = XeroJson.DateString(value);
                doc[field] = XeroJson.MsDate(value);
            }
        }

        if (kind.LockDates && status is not "DRAFT" and not "DELETED")
        {
            errors.AddRange(LockDateErrors(tenant, date));
        }

        doc["Status"] = status;
        var lineAmountTypes = XeroJson.GetString(merged, "LineAmountTypes") ?? "Exclusive";
        lineAmountTypes = lineAmountTypes.ToUpperInvariant() switch
        {
            "INCLUSIVE" => "Inclusive",
            "NOTAX" => "NoTax",
            _ => "Exclusive",
        };
        doc["LineAmountTypes"] = lineAmountTypes;

        // Lines
        var lines = XeroJson.GetArray(merged, "LineItems")?.OfType<JsonObject>().ToList() ?? [];
        if (lines.Count == 0 && status != "DRAFT")
        {
            errors.Add(XeroMessages.NoLineItems.Template);
        }

        var existingLineIds = XeroJson.GetArray(existing, "LineItems")?.OfType<JsonObject>()
            .Select(l => XeroJson.GetString(l, "LineItemID")).Where(s => s is not null).ToHashSet(StringComparer.OrdinalIgnoreCase) ?? [];
        var outLines = new JsonArray();
        decimal subTotal = 0m, totalTax = 0m, totalDiscount = 0m;
        foreach (var line in lines)
        {
            var (outLine, net, tax, discount) = BuildLine(ctx, kind, type, status, lineAmountTypes, line, existingLineIds, errors);
            outLines.Add(outLine);
            subTotal += net;
            totalTax += tax;
            totalDiscount += discount;
        }

        var total = subTotal + totalTax;
        if (total < 0m)
        {
            errors.Add(XeroMessages.NegativeTotal.Template);
        }

        doc["LineItems"] = outLines;
        doc["SubTotal"] = XeroJson.Money(subTotal);
        doc["TotalTax"] = XeroJson.Money(totalTax);
        doc["Total"] = XeroJson.Money(total);
        if (totalDiscount != 0m)
        {
            doc["TotalDiscount"] = XeroJson.Money(totalDiscount);
        }

        doc["CurrencyCode"] = currency;
        if (!XeroJson.Has(doc, "CurrencyRate"))
        {
            doc["CurrencyRate"] = 1.000000m;
        }

        if (kind.HasPayments)
        {
            var paid = XeroJson.GetDecimal(existing, "AmountPaid") ?? 0m;
            var credited = XeroJson.GetDecimal(existing, "AmountCredited") ?? 0m;
            if (kind == DocumentKind.CreditNote)
            {
                doc["RemainingCredit"] = XeroJson.Money(total - paid - credited);
                doc["Allocations"] = XeroJson.Get(existing, "Allocations")?.DeepClone() ?? new JsonArray();
            }
            else
            {
                doc["AmountDue"] = XeroJson.Money(total - paid - credited);
                doc["AmountPaid"] = XeroJson.Money(paid);
                doc["AmountCredited"] = XeroJson.Money(credited);
                doc["CreditNotes"] = new JsonArray();
                doc["Prepayments"] = new JsonArray();
                doc["Overpayments"] = new JsonArray();
                doc["IsDiscounted"] = totalDiscount != 0m;
            }

            doc["Payments"] = XeroJson.Get(existing, "Payments")?.DeepClone() ?? new JsonArray();
            if (kind == DocumentKind.Invoice)
            {
                doc["AmountPaid"] = XeroJson.Money(paid);
            }
        }

        if (!XeroJson.Has(doc, "SentToContact"))
        {
            doc["SentToContact"] = false;
        }

        doc["HasAttachments"] = false;
        doc["HasErrors"] = false;
        Touch(doc, ctx.Now);
        return doc;
    }

    private (JsonObject Line, decimal Net, decimal Tax, decimal Discount) BuildLine(
        CallContext ctx, DocumentKind kind, string? type, string status, string lineAmountTypes, JsonObject line, HashSet<string?> existingLineIds, List<string> errors)
    {
        var tenant = ctx.Tenant;
        var outLine = new JsonObject();
        var lineId = XeroJson.GetString(line, "LineItemID");
        outLine["LineItemID"] = lineId is not null && existingLineIds.Contains(lineId) ? lineId : _host.Ids.NewGuid().ToString();
        var description = XeroJson.GetString(line, "Description");
        var accountCode = XeroJson.GetString(line, "AccountCode");
        var accountId = XeroJson.GetGuid(line, "AccountID");
        var taxType = XeroJson.GetString(line, "TaxType");
        var unit = XeroJson.GetDecimal(line, "UnitAmount");
        var itemCode = XeroJson.GetString(line, "ItemCode");
        if (itemCode is { Length: > 0 })
        {
            var item = tenant.Items.WithField("Code", itemCode).FirstOrDefault(i => string.Equals(XeroJson.GetString(i, "Code"), itemCode, StringComparison.OrdinalIgnoreCase));
            if (item is null)
            {
                errors.Add(XeroMessages.ItemCodeUnknown.Format(itemCode));
            }
            else
            {
                var details = XeroJson.GetObject(item, type is "ACCPAY" or "ACCPAYCREDIT" || kind == DocumentKind.PurchaseOrder ? "PurchaseDetails" : "SalesDetails");
                description ??= XeroJson.GetString(item, "Description");
                accountCode ??= accountId is null ? XeroJson.GetString(details, "AccountCode") : null;
                taxType ??= XeroJson.GetString(details, "TaxType");
                unit ??= XeroJson.GetDecimal(details, "UnitPrice");
                outLine["ItemCode"] = XeroJson.GetString(item, "Code");
            }
        }

        if (description is not null)
        {
            outLine["Description"] = description;
        }

        var quantity = XeroJson.GetDecimal(line, "Quantity") ?? 1m;
        if (quantity < 0m)
        {
            errors.Add(XeroMessages.QuantityNegative.Format(quantity.ToString("0.0000", CultureInfo.InvariantCulture)));
        }

        var discountRate = XeroJson.GetDecimal(line, "DiscountRate");
        if (discountRate is { } dr && (dr < 0m || dr > 100m))
        {
            errors.Add(XeroMessages.DiscountInvalid.Format(dr.ToString("0.00", CultureInfo.InvariantCulture)));
        }

        var suppliedLineAmount = XeroJson.GetDecimal(line, "LineAmount");
        if (unit is null && suppliedLineAmount is { } la && quantity != 0m)
        {
            var factor = 1m - ((discountRate ?? 0m) / 100m);
            unit = factor == 0m ? la / quantity : la / quantity / factor;
        }

        var unitAmount = XeroJson.Round(unit ?? 0m, ctx.UnitDp);
        var gross = quantity * unitAmount;
        var lineAmount = XeroJson.Money(gross * (1m - ((discountRate ?? 0m) / 100m)));
        var discount = XeroJson.Money(gross) - lineAmount;
        if (suppliedLineAmount is { } supplied && unit is not null && XeroJson.GetDecimal(line, "UnitAmount") is not null
            && XeroJson.Money(supplied) != lineAmount)
        {
            errors.Add(XeroMessages.LineTotalMismatch.Format(
                XeroJson.Money(supplied).ToString("0.00", CultureInfo.InvariantCulture),
                lineAmount.ToString("0.00", CultureInfo.InvariantCulture)));
        }

        // Account
        JsonObject? account = null;
        if (accountCode is { Length: > 0 } || accountId is not null)
        {
            account = tenant.FindAccount(accountCode, accountId);
            var shown = accountCode ?? accountId?.ToString() ?? string.Empty;
            if (account is null || XeroJson.GetString(account, "Type") == "BANK")
            {
                errors.Add(XeroMessages.AccountCodeUnknown.Format(shown));
                account = null;
            }
            else if (XeroJson.GetString(account, "Status") != "ACTIVE")
            {
                errors.Add(XeroMessages.AccountCodeArchived.Format(XeroJson.GetString(account, "Code") ?? shown));
                account = null;
            }
        }
        else if (status != "DRAFT" && kind.RequireAccount)
        {
            errors.Add(XeroMessages.AccountCodeMissing.Template);
        }

        // Tax
        decimal rate = 0m;
        if (lineAmountTypes == "NoTax")
        {
            taxType = "NONE";
        }
        else
        {
            taxType ??= XeroJson.GetString(account, "TaxType");
            if (taxType is null)
            {
                if (status != "DRAFT" && kind.RequireAccount)
                {
                    errors.Add(XeroMessages.TaxTypeMandatory.Template);
                }
            }
            else
            {
                var taxRate = tenant.FindTaxRate(taxType);
                var code = XeroJson.GetString(account, "Code") ?? accountCode ?? string.Empty;
                if (taxRate is null || XeroJson.GetString(taxRate, "Status") != "ACTIVE" || (account is not null && !TaxApplies(taxRate, account)))
                {
                    errors.Add(XeroMessages.TaxTypeInvalid.Format(taxType, code));
                }
                else
                {
                    rate = (XeroJson.GetDecimal(taxRate, "EffectiveRate") ?? 0m) / 100m;
                    taxType = XeroJson.GetString(taxRate, "TaxType");
                }
            }
        }

        var tax = lineAmountTypes switch
        {
            "Exclusive" => XeroJson.Money(lineAmount * rate),
            "Inclusive" => XeroJson.Money(lineAmount - (lineAmount / (1m + rate))),
            _ => 0.00m,
        };
        var net = lineAmountTypes == "Inclusive" ? lineAmount - tax : lineAmount;

        outLine["Quantity"] = XeroJson.Round(quantity, 4);
        outLine["UnitAmount"] = XeroJson.Round(unitAmount, 4);
        if (account is not null)
        {
            outLine["AccountCode"] = XeroJson.GetString(account, "Code");
            outLine["AccountID"] = XeroJson.GetString(account, "AccountID");
        }
        else if (accountCode is not null)
        {
            outLine["AccountCode"] = accountCode;
        }

        if (taxType is not null)
        {
            outLine["TaxType"] = taxType;
        }

        outLine["TaxAmount"] = tax;
        outLine["LineAmount"] = lineAmount;
        if (discountRate is { } rateValue)
        {
            outLine["DiscountRate"] = XeroJson.Money(rateValue);
        }

        outLine["Tracking"] = ResolveTracking(tenant, XeroJson.GetArray(line, "Tracking"));
        return (outLine, net, tax, discount);
    }

    private static bool TaxApplies(JsonObject taxRate, JsonObject account)
    {
        var flag = (XeroJson.GetString(account, "Class") ?? SeedData.AccountClass(XeroJson.GetString(account, "Type") ?? "EXPENSE")) switch
        {
            "REVENUE" => "CanApplyToRevenue",
            "EXPENSE" => "CanApplyToExpenses",
            "ASSET" => "CanApplyToAssets",
            "LIABILITY" => "CanApplyToLiabilities",
            _ => "CanApplyToEquity",
        };
        return XeroJson.GetBool(taxRate, flag) ?? true;
    }

    private static JsonArray ResolveTracking(TenantState tenant, JsonArray? tracking)
    {
        var result = new JsonArray();
        foreach (var t in tracking?.OfType<JsonObject>() ?? [])
        {
            var categoryId = XeroJson.GetGuid(t, "TrackingCategoryID");
            var name = XeroJson.GetString(t, "Name");
            var category = categoryId is { } id
                ? tenant.TrackingCategories.Find(id)
                : tenant.TrackingCategories.All.FirstOrDefault(c => string.Equals(XeroJson.GetString(c, "Name"), name, StringComparison.OrdinalIgnoreCase));
            var optionId = XeroJson.GetGuid(t, "TrackingOptionID");
            var optionName = XeroJson.GetString(t, "Option");
            var option = XeroJson.GetArray(category, "Options")?.OfType<JsonObject>().FirstOrDefault(o =>
                (optionId is not null && XeroJson.GetGuid(o, "TrackingOptionID") == optionId)
                || (optionName is not null && string.Equals(XeroJson.GetString(o, "Name"), optionName, StringComparison.OrdinalIgnoreCase)));
            result.Add(new JsonObject
            {
                ["TrackingCategoryID"] = XeroJson.GetString(category, "TrackingCategoryID") ?? categoryId?.ToString(),
                ["TrackingOptionID"] = XeroJson.GetString(option, "TrackingOptionID") ?? optionId?.ToString(),
                ["Name"] = XeroJson.GetString(category, "Name") ?? name,
                ["Option"] = XeroJson.GetString(option, "Name") ?? optionName,
            }.RemoveNulls());
        }

        return result;
    }

    private static void MarkContactRole(CallContext ctx, JsonObject doc)
    {
        if (XeroJson.GetGuid(XeroJson.GetObject(doc, "Contact"), "ContactID") is not { } id || ctx.Tenant.Contacts.Find(id) is not { } contact)
        {
            return;
        }

        var type = XeroJson.GetString(doc, "Type");
        var role = type is "ACCREC" or "ACCRECCREDIT" ? "IsCustomer" : "IsSupplier";
        if (XeroJson.GetBool(contact, role) == true)
        {
            return;
        }

        // Stored entities are never changed in place (see TenantState.Capture): edit a copy and replace.
        var updated = (JsonObject)contact.DeepClone();
        updated[role] = true;
        ctx.Tenant.Contacts.Replace(contact, updated);
    }

    private static void Touch(JsonObject entity, DateTimeOffset now)
    {
        entity["UpdatedDateUTC"] = XeroJson.MsDate(now);
    }

    private static string Canonical(string key) => key.Length > 0 && char.IsLower(key[0]) ? char.ToUpperInvariant(key[0]) + key[1..] : key;

    /// <summary>What differs between invoices, credit notes and purchase orders.</summary>
    private sealed record DocumentKind(
        string Collection,
        string IdField,
        string NumberField,
        string[] Types,
        string NumberPrefix,
        string[] AutoNumberedTypes,
        string[] UniqueNumberedTypes,
        bool LockDates,
        bool RequireAccount,
        bool HasPayments,
        string[] CreateStatuses,
        string[] FinalStatuses,
        XeroMessage NotEditableMessage)
    {
        public static readonly DocumentKind Invoice = new(
            "Invoices", "InvoiceID", "InvoiceNumber", ["ACCREC", "ACCPAY"], "INV-", ["ACCREC"], ["ACCREC"], true, true, true,
            ["DRAFT", "SUBMITTED", "AUTHORISED"], ["PAID", "VOIDED", "DELETED"], XeroMessages.InvoiceNotEditable);

        public static readonly DocumentKind CreditNote = new(
            "CreditNotes", "CreditNoteID", "CreditNoteNumber", ["ACCRECCREDIT", "ACCPAYCREDIT"], "CN-", ["ACCRECCREDIT"], [], true, true, true,
            ["DRAFT", "SUBMITTED", "AUTHORISED"], ["PAID", "VOIDED", "DELETED"], XeroMessages.DocumentNotEditable);

        public static readonly DocumentKind PurchaseOrder = new(
            "PurchaseOrders", "PurchaseOrderID", "PurchaseOrderNumber", [], "PO-", [""], [""], false, false, false,
            ["DRAFT", "SUBMITTED", "AUTHORISED", "BILLED"], ["BILLED", "DELETED"], XeroMessages.DocumentNotEditable);

        /// <summary>Xero's words for a number already used: invoices say "Invoice #", purchase orders "Order number".</summary>
        public XeroMessage DuplicateNumberMessage => Collection == "PurchaseOrders" ? XeroMessages.DuplicateOrderNumber : XeroMessages.DuplicateInvoiceNumber;

        public bool AutoNumberTypes(string? type) => AutoNumberedTypes.Contains(type ?? string.Empty);

        public bool UniqueNumberTypes(string? type) => UniqueNumberedTypes.Contains(type ?? string.Empty);

        public bool AllowedTransition(string from, string to) => (from, to) switch
        {
            ("DRAFT" or "SUBMITTED", "DRAFT" or "SUBMITTED" or "AUTHORISED" or "DELETED") => true,
            ("AUTHORISED", "VOIDED") => Collection != "PurchaseOrders",
            ("AUTHORISED", "BILLED" or "DELETED") => Collection == "PurchaseOrders",
            _ => false,
        };
    }
}
