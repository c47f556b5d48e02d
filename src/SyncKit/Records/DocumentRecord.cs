namespace SyncKit.Records;

/// <summary>A line of a document.</summary>
public sealed record DocumentLine
{
    /// <summary>The line's description.</summary>
    public string? Description { get; init; }

    /// <summary>The quantity (4 decimal places).</summary>
    public decimal Quantity { get; init; } = 1m;

    /// <summary>The unit price (4 decimal places).</summary>
    public decimal UnitPrice { get; init; }

    /// <summary>A discount in percent (0–100).</summary>
    public decimal? DiscountRate { get; init; }

    /// <summary>The host's GL key of the line's account.</summary>
    public string? AccountKey { get; init; }

    /// <summary>The host's tax key of the line.</summary>
    public string? TaxKey { get; init; }

    /// <summary>The host's item key, when the line sells or buys an item.</summary>
    public string? ItemKey { get; init; }

    /// <summary>Tracking options assigned to the line.</summary>
    public IReadOnlyList<TrackingAssignment> Tracking { get; init; } = [];

    /// <summary>The line amount before tax and after discount, rounded to 2 decimal places.</summary>
    public decimal NetAmount => Math.Round(Quantity * UnitPrice * (1m - ((DiscountRate ?? 0m) / 100m)), 2, MidpointRounding.AwayFromZero);
}

/// <summary>A sales or purchase document with lines: invoice, credit note, purchase order or bill.</summary>
public abstract record DocumentRecord : SyncRecord
{
    /// <inheritdoc />
    public override string DisplayName => Number ?? SourceId;

    /// <summary>The host's id of the contact (customer or supplier) the document is for.</summary>
    public required string ContactSourceId { get; init; }

    /// <summary>The document number (sales invoice numbers are unique per organisation).</summary>
    public string? Number { get; init; }

    /// <summary>A free reference shown on the document.</summary>
    public string? Reference { get; init; }

    /// <summary>The document date; checked against the ledger's lock dates before sending.</summary>
    public required DateOnly Date { get; init; }

    /// <summary>The due date.</summary>
    public DateOnly? DueDate { get; init; }

    /// <summary>The currency (ISO 4217).</summary>
    public required string CurrencyCode { get; init; }

    /// <summary>Whether line amounts include tax.</summary>
    public LineAmountType LineAmountType { get; init; } = LineAmountType.Exclusive;

    /// <summary>The status the document is sent with.</summary>
    public DocumentStatus Status { get; init; } = DocumentStatus.Authorised;

    /// <summary>The lines.</summary>
    public required IReadOnlyList<DocumentLine> Lines { get; init; }

    /// <summary>
    /// The host's own document total including tax, when it has one. SyncKit compares it with the
    /// ledger's per-line rounding and adds a rounding line when they differ.
    /// </summary>
    public decimal? Total { get; init; }
}

/// <summary>A sales invoice (Xero ACCREC).</summary>
public sealed record InvoiceRecord : DocumentRecord
{
    /// <inheritdoc />
    public override RecordKind Kind => RecordKind.Invoice;

    /// <summary>Whether the host has the invoice as paid (a $0 invoice is sent only when paid).</summary>
    public bool IsPaid { get; init; }

    /// <summary>
    /// For a negative invoice (a refund), the host's id of the invoice it refunds: the credit note it is sent as is then
    /// allocated to that invoice, reducing what is due on it.
    /// </summary>
    public string? RefundsInvoiceSourceId { get; init; }
}

/// <summary>A sales credit note (Xero ACCRECCREDIT).</summary>
public sealed record CreditNoteRecord : DocumentRecord
{
    /// <inheritdoc />
    public override RecordKind Kind => RecordKind.CreditNote;

    /// <summary>The host's id of the invoice the credit note refunds, if any.</summary>
    public string? OriginalInvoiceSourceId { get; init; }
}

/// <summary>A purchase order.</summary>
public sealed record PurchaseOrderRecord : DocumentRecord
{
    /// <inheritdoc />
    public override RecordKind Kind => RecordKind.PurchaseOrder;

    /// <summary>The expected delivery date.</summary>
    public DateOnly? DeliveryDate { get; init; }

    /// <summary>Whether the host marked the order finished (received); a finished order also becomes a bill.</summary>
    public bool IsFinished { get; init; }
}

/// <summary>A supplier bill (Xero ACCPAY).</summary>
public sealed record BillRecord : DocumentRecord
{
    /// <inheritdoc />
    public override RecordKind Kind => RecordKind.Bill;

    /// <summary>The host's id of the purchase order this bill was made from, if any.</summary>
    public string? PurchaseOrderSourceId { get; init; }

    /// <summary>The bill for a finished purchase order: same supplier, lines and currency.</summary>
    /// <param name="order">The finished purchase order.</param>
    /// <param name="billDate">The bill's date; the order's date when null.</param>
    /// <returns>A bill whose source id is derived from the order's.</returns>
    public static BillRecord FromPurchaseOrder(PurchaseOrderRecord order, DateOnly? billDate = null)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (!order.IsFinished)
        {
            throw new ArgumentException($"Purchase order '{order.DisplayName}' is not finished; only a finished order becomes a bill.", nameof(order));
        }

        return new BillRecord
        {
            SourceId = "po:" + order.SourceId,
            PurchaseOrderSourceId = order.SourceId,
            ContactSourceId = order.ContactSourceId,
            Number = order.Number,
            Reference = order.Reference ?? order.Number,
            Date = billDate ?? order.Date,
            DueDate = order.DueDate,
            CurrencyCode = order.CurrencyCode,
            LineAmountType = order.LineAmountType,
            Lines = order.Lines,
            Total = order.Total,
        };
    }
}
