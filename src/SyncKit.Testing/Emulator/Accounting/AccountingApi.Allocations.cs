using System.Text.Json.Nodes;
using SyncKit.Testing.Emulator.Http;
using SyncKit.Testing.Emulator.State;

namespace SyncKit.Testing.Emulator.Accounting;

/// <summary>
/// Credit-note allocations: <c>PUT /CreditNotes/{id}/Allocations</c> applies part or all of a credit note's remaining
/// credit to an invoice, reducing its amount due (and paying it off when nothing is left), as Xero does.
/// </summary>
internal sealed partial class AccountingApi
{
    private EmulatorResponse AllocateCreditNote(CallContext ctx, string creditNoteId)
    {
        if (ReadBody(ctx, out var body) is { } bad)
        {
            return bad;
        }

        var tenant = ctx.Tenant;
        var creditNote = Guid.TryParse(creditNoteId, out var id) ? tenant.CreditNotes.Find(id) : null;
        if (creditNote is null)
        {
            return EmulatorHost.ValidationMessage(XeroMessages.DocumentNotFound.Template);
        }

        var elements = XeroJson.GetArray(body, "Allocations")?.OfType<JsonObject>().ToList() ?? [body];
        var saved = new List<JsonObject>();
        foreach (var element in elements)
        {
            var invoiceId = XeroJson.GetGuid(XeroJson.Get(element, "Invoice") as JsonObject, "InvoiceID");
            var invoice = invoiceId is { } iid ? tenant.Invoices.Find(iid) : null;
            if (invoice is null)
            {
                return EmulatorHost.ValidationMessage(XeroMessages.DocumentNotFound.Template);
            }

            var amount = XeroJson.GetDecimal(element, "Amount") ?? 0m;
            if (XeroJson.GetString(creditNote, "Status") != "AUTHORISED" || XeroJson.GetString(invoice, "Status") != "AUTHORISED")
            {
                return EmulatorHost.ValidationMessage(XeroMessages.AllocationNotAuthorised.Template);
            }

            if (amount <= 0m || amount > (XeroJson.GetDecimal(invoice, "AmountDue") ?? 0m) || amount > (XeroJson.GetDecimal(creditNote, "RemainingCredit") ?? 0m))
            {
                return EmulatorHost.ValidationMessage(XeroMessages.AllocationExceedsDue.Template);
            }

            if (!XeroJson.TryParseDate(XeroJson.GetString(element, "Date"), out var date))
            {
                date = ctx.Today;
            }

            var allocationId = _host.Ids.NewGuid().ToString();
            var allocation = new JsonObject
            {
                ["AllocationID"] = allocationId,
                ["Amount"] = XeroJson.Money(amount),
                ["Date"] = XeroJson.MsDate(date),
                ["Invoice"] = new JsonObject { ["InvoiceID"] = XeroJson.GetString(invoice, "InvoiceID"), ["InvoiceNumber"] = XeroJson.GetString(invoice, "InvoiceNumber") },
                ["CreditNote"] = new JsonObject { ["CreditNoteID"] = XeroJson.GetString(creditNote, "CreditNoteID"), ["CreditNoteNumber"] = XeroJson.GetString(creditNote, "CreditNoteNumber") },
            };

            // Stored entities are never changed in place (see TenantState.Capture): edit copies and replace.
            var newInvoice = (JsonObject)invoice.DeepClone();
            var due = XeroJson.Money((XeroJson.GetDecimal(newInvoice, "AmountDue") ?? 0m) - amount);
            newInvoice["AmountDue"] = due;
            newInvoice["AmountCredited"] = XeroJson.Money((XeroJson.GetDecimal(newInvoice, "AmountCredited") ?? 0m) + amount);
            var credits = XeroJson.GetArray(newInvoice, "CreditNotes") ?? [];
            credits.Add(new JsonObject { ["CreditNoteID"] = XeroJson.GetString(creditNote, "CreditNoteID"), ["AppliedAmount"] = XeroJson.Money(amount) });
            newInvoice["CreditNotes"] = credits;
            if (due == 0m)
            {
                newInvoice["Status"] = "PAID";
                newInvoice["FullyPaidOnDate"] = XeroJson.MsDate(date);
            }

            Touch(newInvoice, ctx.Now);
            tenant.Invoices.Replace(invoice, newInvoice);

            var newCredit = (JsonObject)creditNote.DeepClone();
            var remaining = XeroJson.Money((XeroJson.GetDecimal(newCredit, "RemainingCredit") ?? 0m) - amount);
            newCredit["RemainingCredit"] = remaining;
            var allocations = XeroJson.GetArray(newCredit, "Allocations") ?? [];
            allocations.Add(allocation.DeepClone());
            newCredit["Allocations"] = allocations;
            if (remaining == 0m)
            {
                newCredit["Status"] = "PAID";
            }

            Touch(newCredit, ctx.Now);
            tenant.CreditNotes.Replace(creditNote, newCredit);
            creditNote = newCredit;
            saved.Add(allocation);
        }

        return Envelope(ctx, "Allocations", saved);
    }
}
