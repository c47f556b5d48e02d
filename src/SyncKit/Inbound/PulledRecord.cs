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

    /// <summary>Whether the ledger counts it a supplier (Xero: it has bills) — a "vendor" to hosts that keep them apart.</summary>
    public bool IsSupplier { get; init; }

    /// <summary>Whether the ledger counts it a customer (Xero: it has sales invoices).</summary>
    public bool IsCustomer { get; init; }
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

/// <summary>
/// A Practice Manager client. Practice Manager's records carry no change time: <see cref="PulledRecord.UpdatedAt"/> is the
/// time the page was read, and a record read again unchanged is recognised by its content.
/// </summary>
public sealed record PulledClient : PulledRecord
{
    /// <inheritdoc />
    public override RecordKind Kind => RecordKind.Client;

    /// <inheritdoc />
    public override string DisplayName => Name;

    /// <summary>The client's name.</summary>
    public required string Name { get; init; }

    /// <summary>The email address.</summary>
    public string? Email { get; init; }

    /// <summary>The phone number.</summary>
    public string? Phone { get; init; }

    /// <summary>Whether the practice archived (or deleted) the client.</summary>
    public bool Archived { get; init; }

    /// <summary>
    /// The client's custom field values, read only when the target asks for them (<see cref="ClientTarget.IncludeCustomFields"/>):
    /// Practice Manager answers them one client per call.
    /// </summary>
    public IReadOnlyList<PulledCustomField> CustomFields { get; init; } = [];
}

/// <summary>One custom field value of a Practice Manager client or job.</summary>
public sealed record PulledCustomField
{
    /// <summary>The field definition's id.</summary>
    public string? DefinitionId { get; init; }

    /// <summary>The field's name, as the practice defined it.</summary>
    public required string Name { get; init; }

    /// <summary>The value as text (dates <c>yyyy-MM-dd</c>, numbers invariant, booleans <c>true</c>/<c>false</c>), or null when empty.</summary>
    public string? Value { get; init; }
}

/// <summary>A Practice Manager job with its state. <see cref="PulledRecord.RemoteId"/> is the job number (<c>J000309</c>).</summary>
public sealed record PulledJob : PulledRecord
{
    /// <inheritdoc />
    public override RecordKind Kind => RecordKind.Job;

    /// <inheritdoc />
    public override string DisplayName => $"{RemoteId} {Name}";

    /// <summary>The job's name.</summary>
    public required string Name { get; init; }

    /// <summary>The description.</summary>
    public string? Description { get; init; }

    /// <summary>The state's name as the practice defines it (for example Planned, In Progress, On Hold, Completed).</summary>
    public required string State { get; init; }

    /// <summary>The client's UUID in Practice Manager.</summary>
    public string? ClientRemoteId { get; init; }

    /// <summary>The client's name.</summary>
    public string? ClientName { get; init; }

    /// <summary>The start date.</summary>
    public DateOnly? StartDate { get; init; }

    /// <summary>The due date.</summary>
    public DateOnly? DueDate { get; init; }

    /// <summary>Whether the practice deleted the job.</summary>
    public bool Deleted { get; init; }

    /// <summary>
    /// Whether the job is among the practice's current jobs (<c>job.api/current</c>): true when read from that list; false
    /// when a pull found it had left the list since the last pull (completed, or moved to a state the practice does not
    /// count as current) and read it by its number; null when read by date range or on its own.
    /// </summary>
    public bool? Current { get; init; }

    /// <summary>
    /// The job's custom field values, read only when the target asks for them (<see cref="JobTarget.IncludeCustomFields"/>):
    /// Practice Manager answers them one job per call.
    /// </summary>
    public IReadOnlyList<PulledCustomField> CustomFields { get; init; } = [];
}

/// <summary>A custom field as a Practice Manager practice defines it (Admin → Custom Fields).</summary>
public sealed record PulledCustomFieldDefinition
{
    /// <summary>The definition's id (its UUID).</summary>
    public required string Id { get; init; }

    /// <summary>The field's name.</summary>
    public required string Name { get; init; }

    /// <summary>The value's type as Practice Manager names it (Text, Number, Decimal, Boolean, Date, LinkURL; an open set).</summary>
    public required string Type { get; init; }

    /// <summary>Whether clients carry the field.</summary>
    public bool AppliesToClients { get; init; }

    /// <summary>Whether jobs carry the field.</summary>
    public bool AppliesToJobs { get; init; }
}

/// <summary>
/// A sales credit note as the ledger holds it: one SyncKit pushed (its status and allocations changed in Xero) or one a
/// user typed in Xero (a refund the host has not seen), with the invoices it was allocated to.
/// </summary>
public sealed record PulledCreditNote : PulledRecord
{
    /// <inheritdoc />
    public override RecordKind Kind => RecordKind.CreditNote;

    /// <inheritdoc />
    public override string DisplayName => Number ?? RemoteId;

    /// <summary>The credit note's number.</summary>
    public string? Number { get; init; }

    /// <summary>The ledger's status, an open set (Xero: DRAFT, SUBMITTED, AUTHORISED, PAID, VOIDED, DELETED).</summary>
    public required string Status { get; init; }

    /// <summary>The ledger's id of the customer.</summary>
    public string? ContactRemoteId { get; init; }

    /// <summary>The customer's name in the ledger.</summary>
    public string? ContactName { get; init; }

    /// <summary>The credit note's date.</summary>
    public DateOnly? Date { get; init; }

    /// <summary>The reference.</summary>
    public string? Reference { get; init; }

    /// <summary>The currency code.</summary>
    public string? CurrencyCode { get; init; }

    /// <summary>The total, tax included.</summary>
    public decimal Total { get; init; }

    /// <summary>The credit not yet allocated or refunded.</summary>
    public decimal RemainingCredit { get; init; }

    /// <summary>Where the credit went: the invoices it was allocated to.</summary>
    public IReadOnlyList<PulledAllocation> Allocations { get; init; } = [];

    /// <summary>Whether the ledger no longer lets it change (fully allocated or refunded, voided or deleted).</summary>
    public bool Closed => Status is "PAID" or "VOIDED" or "DELETED";

    /// <summary>Whether the ledger voided or deleted it: the host reverses its refund.</summary>
    public bool Cancelled => Status is "VOIDED" or "DELETED";
}

/// <summary>Part or all of a credit note's credit applied to an invoice.</summary>
public sealed record PulledAllocation
{
    /// <summary>The ledger's id of the allocation, when it has one.</summary>
    public string? RemoteId { get; init; }

    /// <summary>The ledger's id of the invoice.</summary>
    public required string InvoiceRemoteId { get; init; }

    /// <summary>The invoice's number in the ledger.</summary>
    public string? InvoiceNumber { get; init; }

    /// <summary>
    /// The host's id of the invoice, when the ledger knows it (SyncKit pushed the invoice, or a pull linked it); filled in
    /// by the engine before the credit note reaches the target, null for an invoice the host never had.
    /// </summary>
    public string? InvoiceHostId { get; init; }

    /// <summary>The amount allocated.</summary>
    public required decimal Amount { get; init; }

    /// <summary>The allocation's date.</summary>
    public DateOnly? Date { get; init; }
}

/// <summary>A Practice Manager staff member.</summary>
public sealed record PulledStaff : PulledRecord
{
    /// <inheritdoc />
    public override RecordKind Kind => RecordKind.Staff;

    /// <inheritdoc />
    public override string DisplayName => Name;

    /// <summary>The staff member's name.</summary>
    public required string Name { get; init; }

    /// <summary>The email address.</summary>
    public string? Email { get; init; }
}
