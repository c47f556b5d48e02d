namespace SyncKit.Records;

/// <summary>The kinds of record a host hands to SyncKit.</summary>
/// <remarks>
/// Kinds are pushed in dependency order within a run: contacts and items first, then sales and
/// purchase documents, then payments; Practice Manager clients before jobs, jobs before costs.
/// </remarks>
public enum RecordKind
{
    /// <summary>A customer and/or supplier.</summary>
    Contact = 1,

    /// <summary>A product or service in the inventory list.</summary>
    Item = 2,

    /// <summary>A sales invoice (Xero ACCREC).</summary>
    Invoice = 3,

    /// <summary>A sales credit note, including a negative invoice sent as a credit note.</summary>
    CreditNote = 4,

    /// <summary>A purchase order.</summary>
    PurchaseOrder = 5,

    /// <summary>A supplier bill (Xero ACCPAY), including a finished purchase order.</summary>
    Bill = 6,

    /// <summary>A payment applied to an invoice, credit note or bill.</summary>
    Payment = 7,

    /// <summary>A Practice Manager client.</summary>
    Client = 8,

    /// <summary>A Practice Manager staff member.</summary>
    Staff = 9,

    /// <summary>A Practice Manager job.</summary>
    Job = 10,

    /// <summary>An expense or disbursement recorded as a cost on a Practice Manager job.</summary>
    Cost = 11,
}
