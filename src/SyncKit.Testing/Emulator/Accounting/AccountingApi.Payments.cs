using System.Text.Json.Nodes;
using SyncKit.Testing.Emulator.State;

namespace SyncKit.Testing.Emulator.Accounting;

/// <summary>Payments against invoices and credit notes.</summary>
internal sealed partial class AccountingApi
{
    private ElementResult SavePayment(CallContext ctx, JsonObject element)
    {
        var tenant = ctx.Tenant;
        if (XeroJson.GetString(element, "PaymentID") is { Length: > 0 })
        {
            return Fail(element, XeroMessages.PaymentNotEditable.Template);
        }

        // The document
        var invoiceRef = XeroJson.GetObject(element, "Invoice");
        var creditRef = XeroJson.GetObject(element, "CreditNote");
        JsonObject? document = null;
        DocumentKind? kind = null;
        if (invoiceRef is not null || XeroJson.GetString(element, "InvoiceNumber") is { Length: > 0 })
        {
            kind = DocumentKind.Invoice;
            var id = XeroJson.GetGuid(invoiceRef, "InvoiceID");
            var number = XeroJson.GetString(invoiceRef, "InvoiceNumber") ?? XeroJson.GetString(element, "InvoiceNumber");
            document = id is { } g ? tenant.Invoices.Find(g)
                : tenant.Invoices.WithField("InvoiceNumber", number).LastOrDefault(i => string.Equals(XeroJson.GetString(i, "InvoiceNumber"), number, StringComparison.OrdinalIgnoreCase));
        }
        else if (creditRef is not null || XeroJson.GetString(element, "CreditNoteNumber") is { Length: > 0 })
        {
            kind = DocumentKind.CreditNote;
            var id = XeroJson.GetGuid(creditRef, "CreditNoteID");
            var number = XeroJson.GetString(creditRef, "CreditNoteNumber") ?? XeroJson.GetString(element, "CreditNoteNumber");
            document = id is { } g ? tenant.CreditNotes.Find(g)
                : tenant.CreditNotes.WithField("CreditNoteNumber", number).LastOrDefault(i => string.Equals(XeroJson.GetString(i, "CreditNoteNumber"), number, StringComparison.OrdinalIgnoreCase));
        }

        var errors = new List<string>();
        if (kind is null)
        {
            errors.Add(XeroMessages.PaymentDocumentMissing.Template);
        }
        else if (document is null)
        {
            errors.Add(XeroMessages.DocumentNotFound.Template);
        }

        // The account
        var accountRef = XeroJson.GetObject(element, "Account");
        var accountCode = XeroJson.GetString(accountRef, "Code") ?? XeroJson.GetString(element, "Code");
        var accountId = XeroJson.GetGuid(accountRef, "AccountID");
        JsonObject? account = null;
        if (accountCode is null && accountId is null)
        {
            errors.Add(XeroMessages.PaymentAccountMissing.Template);
        }
        else
        {
            account = tenant.FindAccount(accountCode, accountId);
            var shown = accountCode ?? accountId.ToString()!;
            if (account is null)
            {
                errors.Add(XeroMessages.AccountCodeUnknown.Format(shown));
            }
            else if (XeroJson.GetString(account, "Status") != "ACTIVE")
            {
                errors.Add(XeroMessages.AccountCodeArchived.Format(XeroJson.GetString(account, "Code") ?? shown));
                account = null;
            }
            else if (XeroJson.GetString(account, "Type") != "BANK" && XeroJson.GetBool(account, "EnablePaymentsToAccount") != true)
            {
                errors.Add(XeroMessages.PaymentAccountInvalid.Format(XeroJson.GetString(account, "Code") ?? shown));
            }
        }

        var amount = XeroJson.GetDecimal(element, "Amount") ?? 0m;
        if (amount <= 0m)
        {
            errors.Add(XeroMessages.PaymentAmountInvalid.Template);
        }

        if (!XeroJson.TryParseDate(XeroJson.GetString(element, "Date"), out var date))
        {
            date = ctx.Today;
        }

        var outstandingField = kind == DocumentKind.CreditNote ? "RemainingCredit" : "AmountDue";
        if (document is not null)
        {
            if (XeroJson.GetString(document, "Status") != "AUTHORISED")
            {
                errors.Add(XeroMessages.PaymentsOnlyAuthorised.Template);
            }
            else if (amount > (XeroJson.GetDecimal(document, outstandingField) ?? 0m))
            {
                errors.Add(XeroMessages.PaymentExceedsOutstanding.Template);
            }
        }

        errors.AddRange(LockDateErrors(tenant, date));
        if (errors.Count > 0)
        {
            return Fail(element, errors.Distinct().ToArray());
        }

        var docType = XeroJson.GetString(document, "Type");
        var payment = new JsonObject
        {
            ["PaymentID"] = _host.Ids.NewGuid().ToString(),
            ["Date"] = XeroJson.MsDate(date),
            ["BankAmount"] = XeroJson.Money(amount),
            ["Amount"] = XeroJson.Money(amount),
            ["Reference"] = XeroJson.GetString(element, "Reference") ?? string.Empty,
            ["CurrencyRate"] = XeroJson.GetDecimal(element, "CurrencyRate") ?? 1.000000m,
            ["PaymentType"] = docType switch
            {
                "ACCREC" => "ACCRECPAYMENT",
                "ACCPAY" => "ACCPAYPAYMENT",
                "ACCRECCREDIT" => "ARCREDITPAYMENT",
                _ => "APCREDITPAYMENT",
            },
            ["Status"] = "AUTHORISED",
            ["IsReconciled"] = XeroJson.GetBool(element, "IsReconciled") ?? false,
            ["HasAccount"] = true,
            ["HasValidationErrors"] = false,
            ["Account"] = new JsonObject { ["AccountID"] = XeroJson.GetString(account, "AccountID"), ["Code"] = XeroJson.GetString(account, "Code") },
        };
        Touch(payment, ctx.Now);
        payment[kind == DocumentKind.CreditNote ? "CreditNote" : "Invoice"] = DocumentSummary(kind!, document!);
        ApplyPayment(ctx, kind!, document!, payment, amount, date);
        tenant.Payments.Add(payment);
        return ElementResult.Ok(payment);
    }

    private ElementResult UpdatePayment(CallContext ctx, JsonObject element)
    {
        var tenant = ctx.Tenant;
        var payment = XeroJson.GetGuid(element, "PaymentID") is { } id ? tenant.Payments.Find(id) : null;
        if (payment is null)
        {
            return Fail(element, XeroMessages.DocumentNotFound.Template);
        }

        if (XeroJson.GetString(payment, "Status") == "DELETED" || !string.Equals(XeroJson.GetString(element, "Status"), "DELETED", StringComparison.OrdinalIgnoreCase))
        {
            return Fail(element, XeroMessages.PaymentNotEditable.Template);
        }

        var isCredit = XeroJson.GetObject(payment, "CreditNote") is not null;
        var kind = isCredit ? DocumentKind.CreditNote : DocumentKind.Invoice;
        var docRef = XeroJson.GetObject(payment, isCredit ? "CreditNote" : "Invoice");
        var set = tenant.Set(kind.Collection);
        var document = XeroJson.GetGuid(docRef, kind.IdField) is { } docId ? set.Find(docId) : null;
        if (XeroJson.TryParseDate(XeroJson.GetString(payment, "Date"), out var date))
        {
            var lockErrors = LockDateErrors(tenant, date);
            if (lockErrors.Count > 0)
            {
                return Fail(element, lockErrors.ToArray());
            }
        }

        // Stored entities are never changed in place (see TenantState.Capture): edit copies and replace.
        var amount = XeroJson.GetDecimal(payment, "Amount") ?? 0m;
        var deleted = (JsonObject)payment.DeepClone();
        tenant.Payments.Replace(payment, deleted);
        payment = deleted;
        payment["Status"] = "DELETED";
        Touch(payment, ctx.Now);
        if (document is not null)
        {
            var updated = (JsonObject)document.DeepClone();
            set.Replace(document, updated);
            document = updated;
            var outstandingField = isCredit ? "RemainingCredit" : "AmountDue";
            document[outstandingField] = XeroJson.Money((XeroJson.GetDecimal(document, outstandingField) ?? 0m) + amount);
            if (!isCredit)
            {
                document["AmountPaid"] = XeroJson.Money((XeroJson.GetDecimal(document, "AmountPaid") ?? 0m) - amount);
            }

            if (XeroJson.GetArray(document, "Payments") is { } payments)
            {
                foreach (var p in payments.OfType<JsonObject>().Where(p => XeroJson.GetString(p, "PaymentID") == XeroJson.GetString(payment, "PaymentID")).ToList())
                {
                    payments.Remove(p);
                }
            }

            document["Status"] = "AUTHORISED";
            document.Remove("FullyPaidOnDate");
            Touch(document, ctx.Now);
        }

        return ElementResult.Ok(payment);
    }

    private static void ApplyPayment(CallContext ctx, DocumentKind kind, JsonObject stored, JsonObject payment, decimal amount, DateOnly date)
    {
        // Stored entities are never changed in place (see TenantState.Capture): edit a copy and replace.
        var document = (JsonObject)stored.DeepClone();
        ctx.Tenant.Set(kind.Collection).Replace(stored, document);
        var outstandingField = kind == DocumentKind.CreditNote ? "RemainingCredit" : "AmountDue";
        var outstanding = XeroJson.Money((XeroJson.GetDecimal(document, outstandingField) ?? 0m) - amount);
        document[outstandingField] = outstanding;
        if (kind == DocumentKind.Invoice)
        {
            document["AmountPaid"] = XeroJson.Money((XeroJson.GetDecimal(document, "AmountPaid") ?? 0m) + amount);
        }

        var payments = XeroJson.GetArray(document, "Payments") ?? [];
        payments.Add(new JsonObject
        {
            ["PaymentID"] = XeroJson.GetString(payment, "PaymentID"),
            ["Date"] = XeroJson.MsDate(date),
            ["Amount"] = XeroJson.Money(amount),
            ["Reference"] = XeroJson.GetString(payment, "Reference"),
            ["CurrencyRate"] = XeroJson.GetDecimal(payment, "CurrencyRate"),
            ["HasAccount"] = false,
            ["HasValidationErrors"] = false,
        });
        document["Payments"] = payments;
        if (outstanding == 0m)
        {
            document["Status"] = "PAID";
            document["FullyPaidOnDate"] = XeroJson.MsDate(date);
        }

        Touch(document, ctx.Now);
    }

    private static JsonObject DocumentSummary(DocumentKind kind, JsonObject document)
    {
        var summary = new JsonObject
        {
            ["Type"] = XeroJson.GetString(document, "Type"),
            [kind.IdField] = XeroJson.GetString(document, kind.IdField),
            [kind.NumberField] = XeroJson.GetString(document, kind.NumberField),
            ["Contact"] = XeroJson.Get(document, "Contact")?.DeepClone(),
            ["CurrencyCode"] = XeroJson.GetString(document, "CurrencyCode"),
        };
        return summary.RemoveNulls();
    }
}
