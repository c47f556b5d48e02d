using System.Globalization;
using SyncKit.Connectors;
using SyncKit.Errors;
using SyncKit.Inbound;
using SyncKit.Records;
using SyncKit.Xero.Api;

namespace SyncKit.Xero.Connector;

/// <summary>
/// The inbound half: pages of contacts and payments changed in Xero, read with <c>If-Modified-Since</c> and <c>page</c>
/// (Xero orders such lists by UpdatedDateUTC then id), through the same typed client, rate governor and error parsing as a push.
/// </summary>
internal sealed partial class XeroLedgerConnector
{
    /// <inheritdoc />
    public override bool SupportsPull(RecordKind kind) =>
        kind is RecordKind.Contact or RecordKind.Payment or RecordKind.Invoice or RecordKind.CreditNote or RecordKind.Client or RecordKind.Job or RecordKind.Staff;

    /// <inheritdoc />
    public override async Task<PullPage> ReadChangesAsync(PullPageRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Kind is RecordKind.Client or RecordKind.Job or RecordKind.Staff)
        {
            // Practice Manager: XML lists without change times, stamped with when the read began.
            return await PracticeManager.ReadChangesAsync(request, timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }

        var (resource, query) = request.Kind switch
        {
            // Archived contacts are changes too (archived or merged in Xero): the host hears of them.
            RecordKind.Contact => ("Contacts", new List<KeyValuePair<string, string>> { new("includeArchived", "true") }),

            // Sales payments only: bills' payments and credit-note refunds are not imported yet.
            RecordKind.Payment => ("Payments", new List<KeyValuePair<string, string>> { new("where", "PaymentType==\"ACCRECPAYMENT\"") }),
            // Sales invoices' statuses (paid, voided, deleted in Xero); summaryOnly leaves out the lines a status does not need.
            RecordKind.Invoice => ("Invoices", new List<KeyValuePair<string, string>> { new("where", "Type==\"ACCREC\""), new("summaryOnly", "true") }),

            // Sales credit notes: statuses of those SyncKit pushed (fully allocated, voided, deleted in Xero), and those typed in
            // Xero for a host that tracks refunds; each with its allocations.
            RecordKind.CreditNote => ("CreditNotes", new List<KeyValuePair<string, string>> { new("where", "Type==\"ACCRECCREDIT\"") }),
            _ => throw new NotSupportedException($"The Xero connector cannot pull {request.Kind}."),
        };
        if (request.RemoteIds.Count > 0)
        {
            // A targeted pull (a webhook's records): Xero's IDs filter, kept to about 50 ids by the caller.
            query.Add(new("IDs", string.Join(',', request.RemoteIds)));
        }

        query.Add(new("page", request.Page.ToString(CultureInfo.InvariantCulture)));
        query.Add(new("pageSize", Math.Clamp(request.PageSize, 1, 1000).ToString(CultureInfo.InvariantCulture)));
        var (envelope, failure) = await Api.GetAsync(request.TenantId, resource, query, request.Kind, request.RemoteIds.Count > 0 ? null : request.ModifiedSince, cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            throw new ConnectorException(failure);
        }

        IReadOnlyList<PulledRecord> records = request.Kind switch
        {
            RecordKind.Contact => [.. (envelope?.Contacts ?? []).Select(ToPulled).OfType<PulledRecord>()],
            RecordKind.Invoice => [.. (envelope?.Invoices ?? []).Select(ToPulled).OfType<PulledRecord>()],
            RecordKind.CreditNote => [.. (envelope?.CreditNotes ?? []).Select(ToPulled).OfType<PulledRecord>()],
            _ => [.. (envelope?.Payments ?? []).Select(ToPulled).OfType<PulledRecord>()],
        };
        var pagination = envelope?.Pagination;

        // Without pagination in the answer, a full page means there may be more.
        var hasMore = pagination is { PageCount: var count } ? request.Page < count : records.Count >= request.PageSize;
        return new PullPage { Records = records, HasMore = hasMore, Calls = 1 };
    }

    private static PulledContact? ToPulled(XeroContact contact) =>
        contact.ContactID is { Length: > 0 } id
            ? new PulledContact
            {
                RemoteId = id,
                UpdatedAt = contact.UpdatedDateUTC ?? DateTimeOffset.MinValue,
                Name = contact.Name ?? string.Empty,
                ContactNumber = contact.ContactNumber,
                Email = contact.EmailAddress,
                Archived = string.Equals(contact.ContactStatus, "ARCHIVED", StringComparison.OrdinalIgnoreCase) || contact.MergedToContactID is { Length: > 0 },
                MergedToRemoteId = contact.MergedToContactID,
                IsSupplier = contact.IsSupplier == true,
                IsCustomer = contact.IsCustomer == true,
            }
            : null;

    private static PulledDocumentStatus? ToPulled(XeroInvoice invoice) =>
        invoice.InvoiceID is { Length: > 0 } id
            ? new PulledDocumentStatus
            {
                RemoteId = id,
                UpdatedAt = invoice.UpdatedDateUTC ?? DateTimeOffset.MinValue,
                Number = invoice.InvoiceNumber,
                Status = invoice.Status ?? string.Empty,
                AmountDue = invoice.AmountDue ?? 0m,
                AmountPaid = invoice.AmountPaid ?? 0m,
            }
            : null;

    private static PulledCreditNote? ToPulled(XeroCreditNote note) =>
        note.CreditNoteID is { Length: > 0 } id
            ? new PulledCreditNote
            {
                RemoteId = id,
                UpdatedAt = note.UpdatedDateUTC ?? DateTimeOffset.MinValue,
                Number = note.CreditNoteNumber,
                Status = note.Status ?? string.Empty,
                ContactRemoteId = note.Contact?.ContactID,
                ContactName = note.Contact?.Name,
                Date = note.Date,
                Reference = note.Reference,
                CurrencyCode = note.CurrencyCode,
                Total = note.Total ?? 0m,
                RemainingCredit = note.RemainingCredit ?? 0m,
                Allocations = [.. (note.Allocations ?? []).Where(a => a.Invoice?.InvoiceID is { Length: > 0 }).Select(a => new PulledAllocation
                {
                    RemoteId = a.AllocationID,
                    InvoiceRemoteId = a.Invoice!.InvoiceID!,
                    InvoiceNumber = a.Invoice.InvoiceNumber,
                    Amount = a.Amount ?? 0m,
                    Date = a.Date,
                })],
            }
            : null;

    private static PulledPayment? ToPulled(XeroPayment payment) =>
        payment.PaymentID is { Length: > 0 } id && payment.Invoice?.InvoiceID is { Length: > 0 } invoiceId
            ? new PulledPayment
            {
                RemoteId = id,
                UpdatedAt = payment.UpdatedDateUTC ?? DateTimeOffset.MinValue,
                InvoiceRemoteId = invoiceId,
                InvoiceNumber = payment.Invoice.InvoiceNumber,
                ContactRemoteId = payment.Invoice.Contact?.ContactID,
                ContactName = payment.Invoice.Contact?.Name,
                Amount = payment.Amount ?? 0m,
                Date = payment.Date ?? DateOnly.MinValue,
                Reference = payment.Reference,
                AccountCode = payment.Account?.Code,
                Deleted = string.Equals(payment.Status, "DELETED", StringComparison.OrdinalIgnoreCase),
            }
            : null;
}
