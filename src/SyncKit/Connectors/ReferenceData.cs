namespace SyncKit.Connectors;

/// <summary>A tenant's reference data, read once per run: accounts, tax rates, tracking, lock dates, jobs.</summary>
/// <remarks>Pre-flight validation checks records against it, so most ledger refusals are caught before any call.</remarks>
public sealed record ReferenceData
{
    /// <summary>The chart of accounts.</summary>
    public IReadOnlyList<LedgerAccount> Accounts { get; init; } = [];

    /// <summary>The tax rates.</summary>
    public IReadOnlyList<LedgerTaxRate> TaxRates { get; init; } = [];

    /// <summary>The tracking categories with their options.</summary>
    public IReadOnlyList<LedgerTrackingCategory> TrackingCategories { get; init; } = [];

    /// <summary>The currencies the organisation is subscribed to (ISO 4217), base currency included.</summary>
    public IReadOnlyList<string> Currencies { get; init; } = [];

    /// <summary>The organisation's base currency.</summary>
    public string? BaseCurrency { get; init; }

    /// <summary>Documents dated on or before this date are refused (period lock date).</summary>
    public DateOnly? PeriodLockDate { get; init; }

    /// <summary>Documents dated on or before this date are refused by every user (end of year lock date).</summary>
    public DateOnly? EndOfYearLockDate { get; init; }

    /// <summary>Practice Manager: costs dated on or before this date fall in a locked WIP period.</summary>
    public DateOnly? WipLockDate { get; init; }

    /// <summary>Practice Manager: the jobs the practice has, with their states.</summary>
    public IReadOnlyList<LedgerJob> Jobs { get; init; } = [];

    /// <summary>Practice Manager: the job states that accept new costs (by default "In Progress").</summary>
    public IReadOnlyList<string> JobStatesAcceptingCosts { get; init; } = ["In Progress"];

    /// <summary>When the data was read.</summary>
    public DateTimeOffset FetchedAt { get; init; }

    /// <summary>The account with a code, or null.</summary>
    /// <param name="code">The account code.</param>
    /// <returns>The account.</returns>
    public LedgerAccount? FindAccount(string code) =>
        Accounts.FirstOrDefault(a => string.Equals(a.Code, code, StringComparison.OrdinalIgnoreCase));
}

/// <summary>An account in the ledger's chart of accounts.</summary>
public sealed record LedgerAccount
{
    /// <summary>The ledger's id of the account.</summary>
    public required string AccountId { get; init; }

    /// <summary>The account code; optional in Xero, and integrations that map by code need one.</summary>
    public string? Code { get; init; }

    /// <summary>The name.</summary>
    public required string Name { get; init; }

    /// <summary>The type (an open set: REVENUE, EXPENSE, BANK, ...).</summary>
    public string? Type { get; init; }

    /// <summary>Whether the account is archived (or deleted).</summary>
    public bool IsArchived { get; init; }

    /// <summary>Whether payments may be made to the account (bank accounts always may).</summary>
    public bool EnablePayments { get; init; }

    /// <summary>Whether the account is a bank account.</summary>
    public bool IsBank { get; init; }
}

/// <summary>A tax rate.</summary>
public sealed record LedgerTaxRate
{
    /// <summary>The tax type code (for example OUTPUT).</summary>
    public required string TaxType { get; init; }

    /// <summary>The name.</summary>
    public required string Name { get; init; }

    /// <summary>The effective rate in percent.</summary>
    public decimal Rate { get; init; }

    /// <summary>Whether the rate is archived or deleted.</summary>
    public bool IsArchived { get; init; }
}

/// <summary>A tracking category.</summary>
public sealed record LedgerTrackingCategory
{
    /// <summary>The ledger's id.</summary>
    public required string Id { get; init; }

    /// <summary>The name.</summary>
    public required string Name { get; init; }

    /// <summary>The options' names.</summary>
    public IReadOnlyList<string> Options { get; init; } = [];
}

/// <summary>A Practice Manager job as reference data.</summary>
public sealed record LedgerJob
{
    /// <summary>The job number (for example J000309).</summary>
    public required string JobNumber { get; init; }

    /// <summary>The client's id.</summary>
    public string? ClientId { get; init; }

    /// <summary>The job's state name.</summary>
    public required string State { get; init; }

    /// <summary>Whether the job was deleted.</summary>
    public bool IsDeleted { get; init; }
}
