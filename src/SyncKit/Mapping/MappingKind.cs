namespace SyncKit.Mapping;

/// <summary>What a mapping translates from the host's keys to the ledger's.</summary>
public enum MappingKind
{
    /// <summary>A GL account: host GL key → ledger account code.</summary>
    Account = 1,

    /// <summary>A tax code: host tax key → ledger tax type.</summary>
    TaxRate = 2,

    /// <summary>An item: host item key → ledger item code.</summary>
    Item = 3,

    /// <summary>A contact: host contact id → ledger contact id (for contacts SyncKit does not push itself).</summary>
    Contact = 4,

    /// <summary>An organisation: host organisation key → Practice Manager client id.</summary>
    Client = 5,

    /// <summary>A tracking option: <c>Category/Option</c> → ledger <c>Category/Option</c> names.</summary>
    Tracking = 6,

    /// <summary>Payment terms: host terms key → ledger terms (for example <c>DAYSAFTERBILLDATE:30</c>).</summary>
    PaymentTerms = 7,

    /// <summary>A job: host job id (or organisation key for its default job) → Practice Manager job number.</summary>
    Job = 8,
}
