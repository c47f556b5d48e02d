using SyncKit.Records;

namespace SyncKit.Inbound;

/// <summary>A record as the ledger system holds it, read by a pull.</summary>
/// <remarks>Remote ids and codes only: the engine resolves host ids from the ledger before the record reaches a target.</remarks>
public abstract record PulledRecord
{
    /// <summary>The kind of record.</summary>
    public abstract RecordKind Kind { get; }

    /// <summary>The ledger's id (Xero's ContactID, PaymentID, InvoiceID).</summary>
    public required string RemoteId { get; init; }

    /// <summary>When the ledger last changed it (Xero's UpdatedDateUTC); the pull's watermark follows it.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>A label for logs and the reconciliation list.</summary>
    public virtual string DisplayName => RemoteId;
}

/// <summary>A contact (customer and/or supplier) as the ledger holds it.</summary>
public sealed record PulledContact : PulledRecord
{
    /// <inheritdoc />
    public override RecordKind Kind => RecordKind.Contact;

    /// <inheritdoc />
    public override string DisplayName => Name;

    /// <summary>The contact's name (unique across active contacts in Xero).</summary>
    public required string Name { get; init; }

    /// <summary>The contact number, when the ledger has one.</summary>
    public string? ContactNumber { get; init; }

    /// <summary>The email address.</summary>
    public string? Email { get; init; }

    /// <summary>Whether the ledger has archived the contact (ARCHIVED, or merged into another).</summary>
    public bool Archived { get; init; }

    /// <summary>The contact it was merged into, when it was merged.</summary>
    public string? MergedToRemoteId { get; init; }
}

/// <summary>A payment on a sales invoice as the ledger holds it (made by a user in Xero, or pushed by SyncKit).</summary>
public sealed record PulledPayment : PulledRecord
{
    /// <inheritdoc />
    public override RecordKind Kind => RecordKind.Payment;

    /// <inheritdoc />
    public override string DisplayName => $"{Amount.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)} on {InvoiceNumber ?? InvoiceRemoteId}";

    /// <summary>The ledger's id of the invoice paid.</summary>
    public required string InvoiceRemoteId { get; init; }

    /// <summary>The invoice's number in the ledger.</summary>
    public string? InvoiceNumber { get; init; }

    /// <summary>The ledger's id of the invoice's contact.</summary>
    public string? ContactRemoteId { get; init; }

    /// <summary>The contact's name in the ledger.</summary>
    public string? ContactName { get; init; }

    /// <summary>The amount, in the invoice's currency.</summary>
    public required decimal Amount { get; init; }

    /// <summary>The payment's date.</summary>
    public required DateOnly Date { get; init; }

    /// <summary>The payment's reference.</summary>
    public string? Reference { get; init; }

    /// <summary>The account paid into (its code).</summary>
    public string? AccountCode { get; init; }

    /// <summary>Whether the ledger deleted the payment.</summary>
    public bool Deleted { get; init; }
}

/// <summary>The status of a sales invoice in the ledger, read by a pull to notice payments, voids and deletions made there.</summary>
public sealed record PulledDocumentStatus : PulledRecord
{
    /// <inheritdoc />
    public override RecordKind Kind => RecordKind.Invoice;

    /// <inheritdoc />
    public override string DisplayName => Number ?? RemoteId;

    /// <summary>The document's number.</summary>
    public string? Number { get; init; }

    /// <summary>The ledger's status, as an open set of strings (Xero: DRAFT, SUBMITTED, AUTHORISED, PAID, VOIDED, DELETED).</summary>
    public required string Status { get; init; }

    /// <summary>The amount still owed.</summary>
    public decimal AmountDue { get; init; }

    /// <summary>The amount paid so far.</summary>
    public decimal AmountPaid { get; init; }

    /// <summary>Whether the ledger no longer lets the document change (paid, voided or deleted).</summary>
    public bool Closed => Status is "PAID" or "VOIDED" or "DELETED";

    /// <summary>Whether part, not all, has been paid.</summary>
    public bool PartPaid => !Closed && AmountPaid > 0m;
}
