namespace SyncKit.Records;

/// <summary>A Practice Manager client.</summary>
public sealed record ClientRecord : SyncRecord
{
    /// <inheritdoc />
    public override RecordKind Kind => RecordKind.Client;

    /// <inheritdoc />
    public override string DisplayName => Name;

    /// <summary>The client's name.</summary>
    public required string Name { get; init; }

    /// <summary>The client's email address.</summary>
    public string? Email { get; init; }

    /// <summary>The client's phone number.</summary>
    public string? Phone { get; init; }

    /// <summary>The client's postal address.</summary>
    public PostalAddress? Address { get; init; }
}

/// <summary>A Practice Manager staff member.</summary>
public sealed record StaffRecord : SyncRecord
{
    /// <inheritdoc />
    public override RecordKind Kind => RecordKind.Staff;

    /// <inheritdoc />
    public override string DisplayName => Name;

    /// <summary>The staff member's name.</summary>
    public required string Name { get; init; }

    /// <summary>The staff member's email address.</summary>
    public string? Email { get; init; }
}

/// <summary>A Practice Manager job for a client.</summary>
public sealed record JobRecord : SyncRecord
{
    /// <inheritdoc />
    public override RecordKind Kind => RecordKind.Job;

    /// <inheritdoc />
    public override string DisplayName => JobNumber ?? Name;

    /// <summary>The host's id of the client (organisation) the job is for.</summary>
    public required string ClientSourceId { get; init; }

    /// <summary>The job's name.</summary>
    public required string Name { get; init; }

    /// <summary>The job number, when the host knows it (for example J000309).</summary>
    public string? JobNumber { get; init; }

    /// <summary>A description of the job.</summary>
    public string? Description { get; init; }

    /// <summary>The job's state, by the practice's name for it (for example "In Progress").</summary>
    public required string State { get; init; }

    /// <summary>The start date.</summary>
    public DateOnly? StartDate { get; init; }

    /// <summary>The due date.</summary>
    public DateOnly? DueDate { get; init; }
}

/// <summary>An expense or disbursement pushed as a cost on a Practice Manager job.</summary>
/// <remarks>
/// The cost names the organisation it belongs to (mapped to a Practice Manager client) and, optionally,
/// the job; without a job it goes to the job mapped for the organisation.
/// </remarks>
public sealed record CostRecord : SyncRecord
{
    /// <inheritdoc />
    public override RecordKind Kind => RecordKind.Cost;

    /// <inheritdoc />
    public override string DisplayName => Description;

    /// <summary>The host's key of the organisation (mapped to a Practice Manager client).</summary>
    public required string OrganisationKey { get; init; }

    /// <summary>The host's id of the job, when the cost names one.</summary>
    public string? JobSourceId { get; init; }

    /// <summary>The date of the cost; checked against the practice's WIP lock date.</summary>
    public required DateOnly Date { get; init; }

    /// <summary>The description.</summary>
    public required string Description { get; init; }

    /// <summary>The practice's cost code, if any.</summary>
    public string? Code { get; init; }

    /// <summary>A note.</summary>
    public string? Note { get; init; }

    /// <summary>The quantity (4 decimal places).</summary>
    public decimal Quantity { get; init; } = 1m;

    /// <summary>The unit cost (4 decimal places).</summary>
    public decimal UnitCost { get; init; }

    /// <summary>The unit price charged on (4 decimal places).</summary>
    public decimal UnitPrice { get; init; }

    /// <summary>Whether the cost is billable to the client.</summary>
    public bool Billable { get; init; } = true;
}
