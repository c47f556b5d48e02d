using System.Text.Json.Nodes;
using SyncKit.Testing.Emulator.State;

namespace SyncKit.Testing.Emulator.Accounting;

/// <summary>Contacts and items.</summary>
internal sealed partial class AccountingApi
{
    private static readonly HashSet<string> s_contactSystemFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "ContactID", "UpdatedDateUTC", "HasValidationErrors", "ValidationErrors", "StatusAttributeString", "HasAttachments", "Balances",
    };

    private ElementResult SaveContact(CallContext ctx, JsonObject element, bool isPut)
    {
        var tenant = ctx.Tenant;
        JsonObject? existing = null;
        if (XeroJson.GetString(element, "ContactID") is { Length: > 0 } idText)
        {
            existing = Guid.TryParse(idText, out var id) ? tenant.Contacts.Find(id) : null;
            if (existing is null)
            {
                return Fail(element, XeroMessages.DocumentNotFound.Template);
            }
        }
        else if (!isPut && XeroJson.GetString(element, "ContactNumber") is { Length: > 0 } number)
        {
            existing = tenant.Contacts.WithField("ContactNumber", number).FirstOrDefault(c => string.Equals(XeroJson.GetString(c, "ContactNumber"), number, StringComparison.OrdinalIgnoreCase));
        }

        var contact = existing is null ? NewContact(ctx, null) : (JsonObject)existing.DeepClone();
        foreach (var (key, value) in element)
        {
            if (value is not null && !s_contactSystemFields.Contains(key))
            {
                XeroJson.Set(contact, Canonical(key), value?.DeepClone());
            }
        }

        var name = XeroJson.GetString(contact, "Name");
        if (string.IsNullOrWhiteSpace(name))
        {
            return Fail(element, XeroMessages.ContactNameMissing.Template);
        }

        var status = XeroJson.GetString(contact, "ContactStatus")?.ToUpperInvariant() ?? "ACTIVE";
        contact["ContactStatus"] = status;
        var contactId = XeroJson.GetString(contact, "ContactID");
        if (status == "ACTIVE" && tenant.Contacts.WithField("Name", name).Any(c =>
                !string.Equals(XeroJson.GetString(c, "ContactID"), contactId, StringComparison.OrdinalIgnoreCase)
                && XeroJson.GetString(c, "ContactStatus") == "ACTIVE"
                && string.Equals(XeroJson.GetString(c, "Name")?.Trim(), name.Trim(), StringComparison.OrdinalIgnoreCase)))
        {
            return Fail(element, XeroMessages.DuplicateContactName.Format(name));
        }

        // A contact number belongs to one contact: PUT refuses a second one with it (POST would have updated it).
        if (XeroJson.GetString(contact, "ContactNumber") is { Length: > 0 } contactNumber && tenant.Contacts.WithField("ContactNumber", contactNumber).Any(c =>
                !string.Equals(XeroJson.GetString(c, "ContactID"), contactId, StringComparison.OrdinalIgnoreCase)
                && string.Equals(XeroJson.GetString(c, "ContactNumber"), contactNumber, StringComparison.OrdinalIgnoreCase)))
        {
            return Fail(element, XeroMessages.DuplicateContactNumber.Format(contactNumber));
        }

        if (XeroJson.GetString(contact, "DefaultCurrency") is { Length: > 0 } currency && !tenant.Currencies.Contains(currency))
        {
            return Fail(element, XeroMessages.CurrencyNotSubscribed.Format(currency));
        }

        Touch(contact, ctx.Now);
        if (existing is null)
        {
            tenant.Contacts.Add(contact);
        }
        else
        {
            tenant.Contacts.Replace(existing, contact);
        }

        return ElementResult.Ok(contact);
    }

    private JsonObject NewContact(CallContext ctx, string? name)
    {
        var contact = new JsonObject
        {
            ["ContactID"] = _host.Ids.NewGuid().ToString(),
            ["ContactStatus"] = "ACTIVE",
            ["Name"] = name,
            ["Addresses"] = new JsonArray(),
            ["Phones"] = new JsonArray(),
            ["IsSupplier"] = false,
            ["IsCustomer"] = false,
            ["ContactGroups"] = new JsonArray(),
            ["ContactPersons"] = new JsonArray(),
            ["HasAttachments"] = false,
            ["HasValidationErrors"] = false,
        };
        Touch(contact, ctx.Now);
        return contact;
    }

    private ElementResult SaveItem(CallContext ctx, JsonObject element, bool isPut)
    {
        var tenant = ctx.Tenant;
        JsonObject? existing = null;
        if (XeroJson.GetString(element, "ItemID") is { Length: > 0 } idText)
        {
            existing = Guid.TryParse(idText, out var id) ? tenant.Items.Find(id) : null;
            if (existing is null)
            {
                return Fail(element, XeroMessages.DocumentNotFound.Template);
            }
        }
        else if (!isPut && XeroJson.GetString(element, "Code") is { Length: > 0 } code)
        {
            existing = tenant.Items.WithField("Code", code).FirstOrDefault(i => string.Equals(XeroJson.GetString(i, "Code"), code, StringComparison.OrdinalIgnoreCase));
        }

        var item = existing is null
            ? new JsonObject { ["ItemID"] = _host.Ids.NewGuid().ToString(), ["IsSold"] = true, ["IsPurchased"] = true, ["IsTrackedAsInventory"] = false }
            : (JsonObject)existing.DeepClone();
        foreach (var (key, value) in element)
        {
            if (value is not null && !string.Equals(key, "ItemID", StringComparison.OrdinalIgnoreCase) && !string.Equals(key, "UpdatedDateUTC", StringComparison.OrdinalIgnoreCase))
            {
                XeroJson.Set(item, Canonical(key), value?.DeepClone());
            }
        }

        var itemCode = XeroJson.GetString(item, "Code");
        if (string.IsNullOrWhiteSpace(itemCode))
        {
            return Fail(element, XeroMessages.ItemCodeMissing.Template);
        }

        var itemId = XeroJson.GetString(item, "ItemID");
        if (tenant.Items.All.Any(i => !string.Equals(XeroJson.GetString(i, "ItemID"), itemId, StringComparison.OrdinalIgnoreCase)
                && string.Equals(XeroJson.GetString(i, "Code"), itemCode, StringComparison.OrdinalIgnoreCase)))
        {
            return Fail(element, XeroMessages.ItemCodeDuplicate.Format(itemCode));
        }

        var errors = new List<string>();
        foreach (var detailsName in new[] { "SalesDetails", "PurchaseDetails" })
        {
            if (XeroJson.GetObject(item, detailsName) is { } details && XeroJson.GetString(details, "AccountCode") is { Length: > 0 } accountCode)
            {
                var account = tenant.FindAccount(accountCode, null);
                if (account is null)
                {
                    errors.Add(XeroMessages.AccountCodeUnknown.Format(accountCode));
                }
                else if (XeroJson.GetString(account, "Status") != "ACTIVE")
                {
                    errors.Add(XeroMessages.AccountCodeArchived.Format(accountCode));
                }
            }
        }

        if (errors.Count > 0)
        {
            return Fail(element, errors.ToArray());
        }

        Touch(item, ctx.Now);
        if (existing is null)
        {
            tenant.Items.Add(item);
        }
        else
        {
            tenant.Items.Replace(existing, item);
        }

        return ElementResult.Ok(item);
    }

    private static Http.EmulatorResponse DeleteItem(CallContext ctx, string id)
    {
        var item = Guid.TryParse(id, out var itemId) ? ctx.Tenant.Items.Find(itemId) : null;
        if (item is null)
        {
            return NotFound();
        }

        ctx.Tenant.Items.Remove(item);
        return Http.EmulatorResponse.Empty(System.Net.HttpStatusCode.NoContent);
    }
}
