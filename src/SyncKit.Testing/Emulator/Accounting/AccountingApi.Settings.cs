using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using SyncKit.Testing.Emulator.Http;
using SyncKit.Testing.Emulator.State;

namespace SyncKit.Testing.Emulator.Accounting;

/// <summary>Accounts, tax rates, tracking categories and currencies.</summary>
internal sealed partial class AccountingApi
{
    private ElementResult SaveAccount(CallContext ctx, JsonObject element)
    {
        var tenant = ctx.Tenant;
        JsonObject? existing = null;
        if (XeroJson.GetString(element, "AccountID") is { Length: > 0 } idText)
        {
            existing = Guid.TryParse(idText, out var id) ? tenant.Accounts.Find(id) : null;
            if (existing is null)
            {
                return Fail(element, XeroMessages.DocumentNotFound.Template);
            }
        }

        var account = existing is null
            ? new JsonObject { ["AccountID"] = _host.Ids.NewGuid().ToString(), ["Status"] = "ACTIVE", ["EnablePaymentsToAccount"] = false, ["ShowInExpenseClaims"] = false, ["HasAttachments"] = false, ["AddToWatchlist"] = false }
            : (JsonObject)existing.DeepClone();
        foreach (var (key, value) in element)
        {
            if (value is not null && !string.Equals(key, "AccountID", StringComparison.OrdinalIgnoreCase) && !string.Equals(key, "UpdatedDateUTC", StringComparison.OrdinalIgnoreCase))
            {
                XeroJson.Set(account, Canonical(key), value?.DeepClone());
            }
        }

        var code = XeroJson.GetString(account, "Code");
        var type = XeroJson.GetString(account, "Type")?.ToUpperInvariant();
        if (XeroJson.GetString(account, "Name") is not { Length: > 0 } || type is null)
        {
            return Fail(element, XeroMessages.AccountFieldsMissing.Template);
        }

        var accountId = XeroJson.GetString(account, "AccountID");
        if (code is { Length: > 0 } && tenant.Accounts.All.Any(a => XeroJson.GetString(a, "AccountID") != accountId
                && string.Equals(XeroJson.GetString(a, "Code"), code, StringComparison.OrdinalIgnoreCase)))
        {
            return Fail(element, XeroMessages.AccountCodeDuplicate.Template);
        }

        if (XeroJson.GetString(account, "TaxType") is { } taxType && tenant.FindTaxRate(taxType) is null)
        {
            return Fail(element, XeroMessages.TaxTypeInvalid.Format(taxType, code ?? string.Empty));
        }

        account["Type"] = type;
        account["Class"] = SeedData.AccountClass(type);
        account["Status"] = XeroJson.GetString(account, "Status")?.ToUpperInvariant() ?? "ACTIVE";
        Touch(account, ctx.Now);
        if (existing is null)
        {
            tenant.Accounts.Add(account);
        }
        else
        {
            tenant.Accounts.Replace(existing, account);
        }

        return ElementResult.Ok(account);
    }

    private ElementResult SaveTaxRate(CallContext ctx, JsonObject element)
    {
        var tenant = ctx.Tenant;
        var name = XeroJson.GetString(element, "Name");
        var existing = XeroJson.GetString(element, "TaxType") is { } tt ? tenant.FindTaxRate(tt) : null;
        existing ??= name is null ? null : tenant.TaxRates.All.FirstOrDefault(t => string.Equals(XeroJson.GetString(t, "Name"), name, StringComparison.OrdinalIgnoreCase));
        if (existing is null && string.IsNullOrWhiteSpace(name))
        {
            return Fail(element, XeroMessages.TaxRateNameMissing.Template);
        }

        var rate = XeroJson.GetArray(element, "TaxComponents")?.OfType<JsonObject>().Sum(c => XeroJson.GetDecimal(c, "Rate") ?? 0m)
            ?? XeroJson.GetDecimal(existing, "EffectiveRate") ?? 0m;
        JsonObject taxRate;
        if (existing is null)
        {
            tenant.TaxTypeSequence++;
            var taxType = "TAX" + tenant.TaxTypeSequence.ToString("000", CultureInfo.InvariantCulture);
            taxRate = SeedData.NewTaxRate(taxType, name!, rate, true, true, true, true, true, XeroJson.GetString(element, "ReportTaxType") ?? "OUTPUT");
            tenant.TaxRates.Add(taxRate);
        }
        else
        {
            // Stored entities are never changed in place (see TenantState.Capture): edit a copy and replace.
            taxRate = (JsonObject)existing.DeepClone();
            tenant.TaxRates.Replace(existing, taxRate);
            if (name is not null)
            {
                taxRate["Name"] = name;
            }

            if (XeroJson.GetString(element, "Status") is { } status)
            {
                taxRate["Status"] = status.ToUpperInvariant();
            }

            if (XeroJson.GetArray(element, "TaxComponents") is not null)
            {
                taxRate["EffectiveRate"] = XeroJson.Round(rate, 4);
                taxRate["DisplayTaxRate"] = XeroJson.Round(rate, 4);
                taxRate["TaxComponents"] = XeroJson.GetArray(element, "TaxComponents")!.DeepClone();
            }
        }

        return ElementResult.Ok(taxRate);
    }

    private EmulatorResponse WriteTracking(CallContext ctx, string? categoryId, string? sub)
    {
        var tenant = ctx.Tenant;
        if (ReadBody(ctx, out var body) is { } refused)
        {
            return refused;
        }

        if (AccountingInput.LengthErrors("TrackingCategories", body) is [var tooLong, ..])
        {
            return EmulatorHost.ValidationMessage(tooLong);
        }

        if (categoryId is null)
        {
            var name = XeroJson.GetString(body, "Name");
            if (string.IsNullOrWhiteSpace(name))
            {
                return EmulatorHost.ValidationMessage(XeroMessages.TrackingNameMissing.Template);
            }

            var category = new JsonObject
            {
                ["TrackingCategoryID"] = _host.Ids.NewGuid().ToString(),
                ["Name"] = name,
                ["Status"] = "ACTIVE",
                ["Options"] = new JsonArray(),
            };
            tenant.TrackingCategories.Add(category);
            return Envelope(ctx, "TrackingCategories", [(JsonObject)category.DeepClone()]);
        }

        var existing = Guid.TryParse(categoryId, out var id) ? tenant.TrackingCategories.Find(id) : null;
        if (existing is null)
        {
            return NotFound();
        }

        // Stored entities are never changed in place (see TenantState.Capture): edit a copy and replace.
        var updated = (JsonObject)existing.DeepClone();
        if (string.Equals(sub, "Options", StringComparison.OrdinalIgnoreCase))
        {
            var option = new JsonObject
            {
                ["TrackingOptionID"] = _host.Ids.NewGuid().ToString(),
                ["Name"] = XeroJson.GetString(body, "Name"),
                ["Status"] = "ACTIVE",
            };
            if (XeroJson.GetArray(updated, "Options") is { } options)
            {
                options.Add(option);
            }
            else
            {
                updated["Options"] = new JsonArray(option);
            }

            tenant.TrackingCategories.Replace(existing, updated);
            return Envelope(ctx, "Options", [(JsonObject)option.DeepClone()]);
        }

        if (XeroJson.GetString(body, "Name") is { } newName)
        {
            updated["Name"] = newName;
        }

        if (XeroJson.GetString(body, "Status") is { } status)
        {
            updated["Status"] = status.ToUpperInvariant();
        }

        tenant.TrackingCategories.Replace(existing, updated);
        return Envelope(ctx, "TrackingCategories", [(JsonObject)updated.DeepClone()]);
    }

    private EmulatorResponse ReadCurrencies(CallContext ctx) =>
        Envelope(ctx, "Currencies", ctx.Tenant.Currencies.OrderBy(c => c == ctx.Tenant.BaseCurrency ? 0 : 1).ThenBy(c => c, StringComparer.Ordinal)
            .Select(c => new JsonObject { ["Code"] = c, ["Description"] = SeedData.CurrencyName(c) }));

    private EmulatorResponse WriteCurrencies(CallContext ctx)
    {
        if (ReadBody(ctx, out var body) is { } refused)
        {
            return refused;
        }

        var code = XeroJson.GetString(body, "Code")?.ToUpperInvariant();
        if (code is not { Length: 3 })
        {
            return EmulatorHost.ValidationMessage(XeroMessages.CurrencyCodeInvalid.Template);
        }

        ctx.Tenant.Currencies.Add(code);
        return Envelope(ctx, "Currencies", [new JsonObject { ["Code"] = code, ["Description"] = SeedData.CurrencyName(code) }]);
    }

    private static EmulatorResponse MethodNotAllowed(string method) =>
        EmulatorResponse.Text(HttpStatusCode.MethodNotAllowed, XeroMessages.MethodNotAllowed.Format(method));
}
