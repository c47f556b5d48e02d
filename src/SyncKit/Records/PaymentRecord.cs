using System.Globalization;

namespace SyncKit.Records;

/// <summary>A payment applied to an invoice, credit note or bill.</summary>
/// <remarks>Ledgers do not let a payment be edited, only deleted; a changed payment is reported, not re-sent.</remarks>
public sealed record PaymentRecord : SyncRecord
{
    /// <inheritdoc />
    public override RecordKind Kind => RecordKind.Payment;

    /// <inheritdoc />
    /// <remarks>
    /// The reference, amount and date (<c>EFT I0017: 120.00 AUD on 2026-11-02</c>): a reference alone is often the
    /// paid invoice's number, shared by every payment against it, so two payments on one invoice would look alike.
    /// </remarks>
    public override string DisplayName =>
        string.Create(CultureInfo.InvariantCulture, $"{Reference ?? SourceId}: {Amount:0.00} {CurrencyCode} on {Date:yyyy-MM-dd}");

    /// <summary>The kind of document paid: <see cref="RecordKind.Invoice"/>, <see cref="RecordKind.CreditNote"/> or <see cref="RecordKind.Bill"/>.</summary>
    public RecordKind DocumentKind { get; init; } = RecordKind.Invoice;

    /// <summary>The host's id of the document paid.</summary>
    public required string DocumentSourceId { get; init; }

    /// <summary>The payment date; checked against lock dates.</summary>
    public required DateOnly Date { get; init; }

    /// <summary>The amount paid, in the document's currency.</summary>
    public required decimal Amount { get; init; }

    /// <summary>The currency (ISO 4217).</summary>
    public required string CurrencyCode { get; init; }

    /// <summary>The host's GL key of the bank (or payments-enabled) account the money went to.</summary>
    public required string AccountKey { get; init; }

    /// <summary>A reference shown on the payment.</summary>
    public string? Reference { get; init; }
}
