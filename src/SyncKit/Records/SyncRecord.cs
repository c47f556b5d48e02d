namespace SyncKit.Records;

/// <summary>A record the host hands to SyncKit: one row of its own data, in SyncKit's canonical shape.</summary>
/// <remarks>
/// Records are plain data. Codes such as <see cref="DocumentLine.AccountKey"/> are the host's own keys;
/// SyncKit maps them to the ledger's codes before anything is sent. The content of a record (every
/// property) decides whether it has changed since it was last pushed.
/// </remarks>
public abstract record SyncRecord
{
    /// <summary>The host's identifier of the record, unique within its kind and tenant.</summary>
    public required string SourceId { get; init; }

    /// <summary>The kind of record.</summary>
    public abstract RecordKind Kind { get; }

    /// <summary>A short human label for lists and error tabs (a document number or a name).</summary>
    public abstract string DisplayName { get; }
}

/// <summary>Whether line amounts include tax.</summary>
public enum LineAmountType
{
    /// <summary>Line amounts exclude tax; tax is added.</summary>
    Exclusive = 0,

    /// <summary>Line amounts include tax.</summary>
    Inclusive = 1,

    /// <summary>No tax applies.</summary>
    NoTax = 2,
}

/// <summary>The approval status a document is sent with.</summary>
public enum DocumentStatus
{
    /// <summary>A draft the ledger's users approve later.</summary>
    Draft = 0,

    /// <summary>Submitted for approval.</summary>
    Submitted = 1,

    /// <summary>Approved (the default: records created by SyncKit are approved).</summary>
    Authorised = 2,
}

/// <summary>A tracking category option assigned to a line (host keys; mapped before sending).</summary>
public sealed record TrackingAssignment
{
    /// <summary>The host's key of the tracking category (for example "Region").</summary>
    public required string CategoryKey { get; init; }

    /// <summary>The host's key of the option (for example "North").</summary>
    public required string OptionKey { get; init; }
}

/// <summary>A person to contact about a customer's or supplier's documents.</summary>
public sealed record ContactPerson
{
    /// <summary>The person's first name.</summary>
    public string? FirstName { get; init; }

    /// <summary>The person's last name.</summary>
    public string? LastName { get; init; }

    /// <summary>The person's email address.</summary>
    public string? Email { get; init; }
}

/// <summary>A postal address.</summary>
public sealed record PostalAddress
{
    /// <summary>First address line.</summary>
    public string? Line1 { get; init; }

    /// <summary>Second address line.</summary>
    public string? Line2 { get; init; }

    /// <summary>City or town.</summary>
    public string? City { get; init; }

    /// <summary>Region or state.</summary>
    public string? Region { get; init; }

    /// <summary>Postal code.</summary>
    public string? PostalCode { get; init; }

    /// <summary>Country.</summary>
    public string? Country { get; init; }
}
