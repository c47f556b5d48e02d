using System.Globalization;
using SyncKit.Connectors;
using SyncKit.Records;
using SyncKit.Xero.Api;
using M = SyncKit.Xero.Connector.XeroRecordMapper;

namespace SyncKit.Xero.Connector;

/// <summary>Reconciliation lookups: every Xero record that fits an element, never a guess.</summary>
/// <remarks>
/// <para>
/// Kinds with a key Xero keeps unique are matched on it: sales invoice number (many in one read with
/// <c>InvoiceNumbers=</c>), credit note number, purchase order number, contact name (unique across active contacts),
/// item code, Practice Manager client name and job number. Kinds without one are matched on every identifying field:
/// payments on document + amount + date + reference + account (many documents in one read); bills on supplier +
/// number + date (+ total when the host has one); documents without a number on contact + date + reference (+ total);
/// job costs on job + description + amounts + date. The engine adopts a single candidate and asks the user when
/// several remain.
/// </para>
/// <para>
/// Host text never changes a query: it is put into <c>where</c> only as an escaped string literal
/// (<see cref="XeroRecordMapper.WhereString"/>) or sent in list parameters, and every candidate is checked again
/// client-side against the element's own fields.
/// </para>
/// </remarks>
internal sealed partial class XeroLedgerConnector
{
    /// <summary>Xero's guidance for <c>IDs</c> / <c>InvoiceNumbers</c> lists (URL length).</summary>
    private const int ListParameterChunk = 50;

    /// <summary>A bound on the pages one lookup reads (each page is 100–1,000 records).</summary>
    private const int MaxLookupPages = 20;

    /// <inheritdoc />
    public override async Task<IReadOnlyList<RemoteMatch>> FindCandidatesAsync(string tenantId, PushElement element, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentNullException.ThrowIfNull(element);
        var found = await FindCandidatesManyAsync(tenantId, [element], cancellationToken).ConfigureAwait(false);
        return found.TryGetValue(element.Key.SourceId, out var candidates) ? candidates : [];
    }

    /// <inheritdoc />
    /// <remarks>Sales invoices by number and payments by document are read many at a time; other kinds one element per read.</remarks>
    public override async Task<IReadOnlyDictionary<string, IReadOnlyList<RemoteMatch>>> FindCandidatesManyAsync(string tenantId, IReadOnlyList<PushElement> elements, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentNullException.ThrowIfNull(elements);
        var result = new Dictionary<string, IReadOnlyList<RemoteMatch>>(StringComparer.Ordinal);
        void Add(PushElement element, IReadOnlyList<RemoteMatch> candidates)
        {
            if (candidates.Count > 0)
            {
                result[element.Key.SourceId] = candidates;
            }
        }

        var byNumber = elements
            .Where(e => e.Record is InvoiceRecord { Number: { } number } && M.HasText(number) && !number.Contains(',', StringComparison.Ordinal))
            .ToList();
        foreach (var chunk in byNumber.Chunk(ListParameterChunk))
        {
            var numbers = string.Join(',', chunk.Select(e => ((InvoiceRecord)e.Record).Number!.Trim()).Distinct(StringComparer.OrdinalIgnoreCase));
            var invoices = await ReadPagesAsync(tenantId, "Invoices", [new("InvoiceNumbers", numbers), new("where", "Type==" + M.WhereString("ACCREC"))], RecordKind.Invoice, e => e.Invoices, cancellationToken).ConfigureAwait(false);
            foreach (var element in chunk)
            {
                var number = ((InvoiceRecord)element.Record).Number;
                Add(element, invoices.Where(i => IsLive(i.InvoiceID, i.Status) && IsType(i.Type, "ACCREC") && M.SameKey(i.InvoiceNumber, number)).Select(InvoiceMatch).ToList());
            }
        }

        var payments = elements.Where(e => e.Record is PaymentRecord).ToList();
        foreach (var (element, candidates) in await FindPaymentsAsync(tenantId, payments, cancellationToken).ConfigureAwait(false))
        {
            Add(element, candidates);
        }

        foreach (var element in elements.Except(byNumber).Except(payments))
        {
            Add(element, await FindOneAsync(tenantId, element, cancellationToken).ConfigureAwait(false));
        }

        return result;
    }

    private async Task<IReadOnlyList<RemoteMatch>> FindOneAsync(string tenantId, PushElement element, CancellationToken cancellationToken)
    {
        switch (element.Record)
        {
            case ContactRecord contact:
                {
                    var (found, failure) = await ReadContactsByNameAsync(tenantId, [contact.Name], cancellationToken).ConfigureAwait(false);
                    ThrowIfFailed(failure);
                    return found.Where(c => IsActiveContact(c) && M.SameName(c.Name, contact.Name)).Select(ContactMatch).ToList();
                }

            case ItemRecord item:
                {
                    if (!M.HasText(item.Code))
                    {
                        return [];
                    }

                    var items = (await ReadAsync(tenantId, "Items", [new("where", "Code==" + M.WhereString(item.Code.Trim()))], RecordKind.Item, cancellationToken).ConfigureAwait(false)).Items ?? [];
                    return items.Where(i => !M.IsEmptyId(i.ItemID) && M.SameKey(i.Code, item.Code))
                        .Select(i => new RemoteMatch { RemoteId = i.ItemID!, RemoteReference = i.Code, Description = M.Describe("Item " + i.Code, i.Name) })
                        .ToList();
                }

            case InvoiceRecord invoice when M.HasText(invoice.Number):
                {
                    // A number with a comma cannot go into InvoiceNumbers=: an escaped literal instead.
                    var invoices = await ReadPagesAsync(tenantId, "Invoices", [new("where", $"Type=={M.WhereString("ACCREC")} AND InvoiceNumber=={M.WhereString(invoice.Number!.Trim())}")], RecordKind.Invoice, e => e.Invoices, cancellationToken).ConfigureAwait(false);
                    return invoices.Where(i => IsLive(i.InvoiceID, i.Status) && IsType(i.Type, "ACCREC") && M.SameKey(i.InvoiceNumber, invoice.Number)).Select(InvoiceMatch).ToList();
                }

            case InvoiceRecord invoice:
                return await FindDocumentsWithoutKeyAsync(tenantId, element, invoice, "ACCREC", matchNumber: false, cancellationToken).ConfigureAwait(false);

            case BillRecord bill:
                // Bill numbers are not unique in Xero: supplier + number + date (+ reference and total) together.
                return await FindDocumentsWithoutKeyAsync(tenantId, element, bill, "ACCPAY", matchNumber: true, cancellationToken).ConfigureAwait(false);

            case CreditNoteRecord creditNote:
                return await FindCreditNotesAsync(tenantId, element, creditNote, cancellationToken).ConfigureAwait(false);

            case PurchaseOrderRecord order:
                return await FindPurchaseOrdersAsync(tenantId, element, order, cancellationToken).ConfigureAwait(false);

            case PaymentRecord:
                return (await FindPaymentsAsync(tenantId, [element], cancellationToken).ConfigureAwait(false)).SelectMany(p => p.Candidates).ToList();

            case ClientRecord or JobRecord or CostRecord:
                return await PracticeManager.FindCandidatesAsync(tenantId, element, cancellationToken).ConfigureAwait(false);

            default:
                return [];
        }
    }

    /// <summary>Invoices or bills of one contact on one date (<c>ContactIDs=</c>, no host text in the query), checked field by field.</summary>
    private async Task<IReadOnlyList<RemoteMatch>> FindDocumentsWithoutKeyAsync(string tenantId, PushElement element, DocumentRecord document, string type, bool matchNumber, CancellationToken cancellationToken)
    {
        var contactId = element.LinkedRemoteId(RecordKind.Contact, document.ContactSourceId);
        if (contactId is null || !Guid.TryParse(contactId, out _))
        {
            return [];
        }

        var invoices = await ReadPagesAsync(
            tenantId,
            "Invoices",
            [new("ContactIDs", contactId), new("where", $"Type=={M.WhereString(type)} AND Date=={XeroDates.ToWhereLiteral(document.Date)}")],
            document.Kind,
            e => e.Invoices,
            cancellationToken).ConfigureAwait(false);
        return invoices
            .Where(i => IsLive(i.InvoiceID, i.Status) && IsType(i.Type, type))
            .Where(i => i.Contact?.ContactID is null || M.SameKey(i.Contact.ContactID, contactId))
            .Where(i => i.Date is null || i.Date == document.Date)
            .Where(i => !matchNumber || M.SameKeyOrBothEmpty(i.InvoiceNumber, document.Number))
            .Where(i => M.SameKeyOrBothEmpty(i.Reference, document.Reference))
            .Where(i => SameAmounts(document, i.SubTotal, i.Total))
            .Select(InvoiceMatch)
            .ToList();
    }

    private async Task<IReadOnlyList<RemoteMatch>> FindCreditNotesAsync(string tenantId, PushElement element, CreditNoteRecord creditNote, CancellationToken cancellationToken)
    {
        var contactId = element.LinkedRemoteId(RecordKind.Contact, creditNote.ContactSourceId);
        string where;
        if (M.HasText(creditNote.Number))
        {
            where = "CreditNoteNumber==" + M.WhereString(creditNote.Number!.Trim());
        }
        else if (contactId is not null && Guid.TryParse(contactId, out var contactGuid))
        {
            where = $"Contact.ContactID==Guid({M.WhereString(contactGuid.ToString())}) AND Date=={XeroDates.ToWhereLiteral(creditNote.Date)}";
        }
        else
        {
            return [];
        }

        var notes = await ReadPagesAsync(tenantId, "CreditNotes", [new("where", where)], RecordKind.CreditNote, e => e.CreditNotes, cancellationToken).ConfigureAwait(false);
        return notes
            .Where(n => IsLive(n.CreditNoteID, n.Status))
            .Where(n => M.HasText(creditNote.Number)
                ? M.SameKey(n.CreditNoteNumber, creditNote.Number)
                : (n.Date is null || n.Date == creditNote.Date)
                    && M.SameKeyOrBothEmpty(n.Reference, creditNote.Reference)
                    && SameAmounts(creditNote, n.SubTotal, n.Total))
            .Select(n => new RemoteMatch
            {
                RemoteId = n.CreditNoteID!,
                RemoteReference = n.CreditNoteNumber,
                Description = M.Describe("Credit note " + n.CreditNoteNumber, n.Contact?.Name, M.DescribeDate(n.Date), M.DescribeMoney(n.Total, n.CurrencyCode), n.Status),
            })
            .ToList();
    }

    private async Task<IReadOnlyList<RemoteMatch>> FindPurchaseOrdersAsync(string tenantId, PushElement element, PurchaseOrderRecord order, CancellationToken cancellationToken)
    {
        if (!M.HasText(order.Number))
        {
            return await FindPurchaseOrdersWithoutNumberAsync(tenantId, element, order, cancellationToken).ConfigureAwait(false);
        }

        // By number in the path (escaped as a path segment): no where filter at all.
        var (envelope, failure) = await Api.GetAsync(tenantId, "PurchaseOrders/" + Uri.EscapeDataString(M.Wire(order.Number!.Trim())), kind: RecordKind.PurchaseOrder, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (failure?.StatusCode == 404)
        {
            return [];
        }

        ThrowIfFailed(failure);
        return (envelope?.PurchaseOrders ?? [])
            .Where(p => IsLive(p.PurchaseOrderID, p.Status) && M.SameKey(p.PurchaseOrderNumber, order.Number))
            .Select(PurchaseOrderMatch)
            .ToList();
    }

    /// <summary>
    /// Whether a document Xero holds carries the host document's amounts: the host's own total when it gives one, else
    /// its lines' sum (before tax; with tax when its lines include it). A cent a line of slack, because a candidate
    /// wrongly dropped here is a record sent twice, while one wrongly kept only asks the user.
    /// </summary>
    private static bool SameAmounts(DocumentRecord document, decimal? xeroSubTotal, decimal? xeroTotal)
    {
        if (document.Total is { } total)
        {
            return xeroTotal is not { } t || t == total;
        }

        var lines = document.LineAmountType == LineAmountType.Inclusive ? xeroTotal : xeroSubTotal;
        return lines is not { } x || Math.Abs(x - document.Lines.Sum(l => l.NetAmount)) <= 0.01m * Math.Max(1, document.Lines.Count);
    }

    private static RemoteMatch PurchaseOrderMatch(XeroPurchaseOrder p) => new()
    {
        RemoteId = p.PurchaseOrderID!,
        RemoteReference = p.PurchaseOrderNumber,
        Description = M.Describe("Purchase order " + p.PurchaseOrderNumber, p.Contact?.Name, M.DescribeDate(p.Date), M.DescribeMoney(p.Total, p.CurrencyCode), p.Status),
    };

    /// <summary>
    /// Orders Xero numbered itself: that supplier's orders of that date (<c>DateFrom</c>/<c>DateTo</c>, the filters the
    /// PurchaseOrders endpoint has; no host text in the query), checked field by field.
    /// </summary>
    private async Task<IReadOnlyList<RemoteMatch>> FindPurchaseOrdersWithoutNumberAsync(string tenantId, PushElement element, PurchaseOrderRecord order, CancellationToken cancellationToken)
    {
        var contactId = element.LinkedRemoteId(RecordKind.Contact, order.ContactSourceId);
        if (contactId is null || !Guid.TryParse(contactId, out _))
        {
            return [];
        }

        var day = order.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var orders = await ReadPagesAsync(tenantId, "PurchaseOrders", [new("DateFrom", day), new("DateTo", day)], RecordKind.PurchaseOrder, e => e.PurchaseOrders, cancellationToken).ConfigureAwait(false);
        return orders
            .Where(p => IsLive(p.PurchaseOrderID, p.Status))
            .Where(p => p.Contact?.ContactID is { } id && M.SameKey(id, contactId))
            .Where(p => p.Date is null || p.Date == order.Date)
            .Where(p => M.SameKeyOrBothEmpty(p.Reference, order.Reference))
            .Where(p => SameAmounts(order, p.SubTotal, p.Total))
            .Select(PurchaseOrderMatch)
            .ToList();
    }

    /// <summary>
    /// Payments on the elements' documents, read together (<c>Invoice.InvoiceID==Guid(..)</c> joined by OR; ids only,
    /// never host text), each matched on document + amount + date + reference + account.
    /// </summary>
    private async Task<List<(PushElement Element, IReadOnlyList<RemoteMatch> Candidates)>> FindPaymentsAsync(string tenantId, IReadOnlyList<PushElement> elements, CancellationToken cancellationToken)
    {
        var wanted = new List<(PushElement Element, PaymentRecord Payment, Guid DocumentId)>();
        foreach (var element in elements)
        {
            var payment = (PaymentRecord)element.Record;
            if (element.LinkedRemoteId(payment.DocumentKind, payment.DocumentSourceId) is { } documentId && Guid.TryParse(documentId, out var guid))
            {
                wanted.Add((element, payment, guid));
            }
        }

        var results = new List<(PushElement, IReadOnlyList<RemoteMatch>)>();
        if (wanted.Count == 0)
        {
            return results;
        }

        var clauses = wanted
            .Select(w => (w.Payment.DocumentKind == RecordKind.CreditNote ? "CreditNote.CreditNoteID" : "Invoice.InvoiceID") + "==Guid(" + M.WhereString(w.DocumentId.ToString()) + ")")
            .Distinct(StringComparer.Ordinal);
        var found = new List<XeroPayment>();
        foreach (var where in OrClauses(clauses, c => c))
        {
            found.AddRange(await ReadPagesAsync(tenantId, "Payments", [new("where", where)], RecordKind.Payment, e => e.Payments, cancellationToken).ConfigureAwait(false));
        }

        foreach (var (element, payment, documentId) in wanted)
        {
            var candidates = found
                .Where(p => IsLive(p.PaymentID, p.Status))
                .Where(p => Guid.TryParse(payment.DocumentKind == RecordKind.CreditNote ? p.CreditNote?.CreditNoteID : p.Invoice?.InvoiceID, out var d) && d == documentId)
                .Where(p => p.Amount == payment.Amount)
                .Where(p => p.Date is null || p.Date == payment.Date)
                .Where(p => M.SameKeyOrBothEmpty(p.Reference, payment.Reference))
                .Where(p => p.Account?.Code is null || M.SameKey(p.Account.Code, payment.AccountKey))
                .GroupBy(p => p.PaymentID!, StringComparer.OrdinalIgnoreCase)
                .Select(g => g.First())
                .Select(p => new RemoteMatch
                {
                    RemoteId = p.PaymentID!,
                    RemoteReference = p.Reference,
                    Description = M.Describe(
                        "Payment of " + M.DescribeMoney(p.Amount, payment.CurrencyCode),
                        M.DescribeDate(p.Date),
                        M.HasText(p.Reference) ? "reference " + p.Reference : null,
                        p.Account?.Code is { } code ? "account " + code : null,
                        p.Status),
                })
                .ToList();
            results.Add((element, candidates));
        }

        return results;
    }

    /// <summary>Active contacts with any of these names (escaped literals; the name as Xero stores it, and as given when that differs).</summary>
    private async Task<(List<XeroContact> Contacts, SyncKit.Errors.SyncFailure? Failure)> ReadContactsByNameAsync(string tenantId, IEnumerable<string> names, CancellationToken cancellationToken)
    {
        var all = new List<XeroContact>();
        var literals = names
            .SelectMany(n => new[] { M.Wire(n).Trim(), M.StoredName(n) })
            .Where(M.HasText)
            .Distinct(StringComparer.OrdinalIgnoreCase);
        foreach (var clause in OrClauses(literals, n => "Name==" + M.WhereString(n)))
        {
            var (found, failure) = await ReadContactsAsync(tenantId, clause, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                return (all, failure);
            }

            all.AddRange(found);
        }

        return (all, null);
    }

    private async Task<List<T>> ReadPagesAsync<T>(string tenantId, string resource, IReadOnlyList<KeyValuePair<string, string>> query, RecordKind kind, Func<XeroEnvelope, List<T>?> get, CancellationToken cancellationToken)
    {
        var all = new List<T>();
        for (var page = 1; page <= MaxLookupPages; page++)
        {
            var envelope = await ReadAsync(tenantId, resource, [.. query, new("page", page.ToString(CultureInfo.InvariantCulture)), new("pageSize", PageSize())], kind, cancellationToken).ConfigureAwait(false);
            var items = get(envelope) ?? [];
            all.AddRange(items);
            var pageCount = envelope.Pagination?.PageCount;
            if (items.Count == 0 || (pageCount is { } count ? page >= count : items.Count < Math.Clamp(_options.PageSize, 1, 1000)))
            {
                break;
            }
        }

        return all;
    }

    private static RemoteMatch InvoiceMatch(XeroInvoice invoice) => new()
    {
        RemoteId = invoice.InvoiceID!,
        RemoteReference = invoice.InvoiceNumber,
        Description = M.Describe(
            (IsType(invoice.Type, "ACCPAY") ? "Bill " : "Invoice ") + invoice.InvoiceNumber,
            invoice.Contact?.Name,
            M.DescribeDate(invoice.Date),
            M.DescribeMoney(invoice.Total, invoice.CurrencyCode),
            M.HasText(invoice.Reference) ? "reference " + invoice.Reference : null,
            invoice.Status),
    };

    private static RemoteMatch ContactMatch(XeroContact contact) => new()
    {
        RemoteId = contact.ContactID!,
        RemoteReference = contact.ContactNumber,
        Description = M.Describe("Contact " + contact.Name, contact.EmailAddress, contact.AccountNumber is { Length: > 0 } account ? "account " + account : null, contact.ContactStatus),
    };

    private static bool IsLive(string? id, string? status) =>
        !M.IsEmptyId(id) && !string.Equals(status, "DELETED", StringComparison.OrdinalIgnoreCase);

    private static bool IsType(string? actual, string type) =>
        string.IsNullOrEmpty(actual) || string.Equals(actual, type, StringComparison.OrdinalIgnoreCase);
}
