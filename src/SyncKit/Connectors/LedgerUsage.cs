namespace SyncKit.Connectors;

/// <summary>What a tenant's connection may do and has spent of its ledger's limits, as the connector knows it.</summary>
public sealed record LedgerUsage
{
    /// <summary>The permissions (OAuth scopes) the connection was granted, or null when not known.</summary>
    public IReadOnlyList<string>? GrantedScopes { get; init; }

    /// <summary>The permissions the kinds the host syncs need and the connection lacks (reconnect to grant them).</summary>
    public IReadOnlyList<string> MissingScopes { get; init; } = [];

    /// <summary>The tenant's daily call budget, or null when the ledger has none.</summary>
    public CallBudget? CallBudget { get; init; }

    /// <summary>Bytes received from the ledger for the tenant this month, or null when not metered.</summary>
    public MonthlyEgress? Egress { get; init; }
}

/// <summary>A tenant's daily call budget.</summary>
public sealed record CallBudget
{
    /// <summary>Calls a day the ledger allows the tenant.</summary>
    public required int DailyLimit { get; init; }

    /// <summary>Calls left today.</summary>
    public required int Remaining { get; init; }

    /// <summary>Calls kept for work a user starts: background sync stops when only these are left.</summary>
    public required int Reserve { get; init; }

    /// <summary>When the budget is expected to be whole again, or null before the day's first call.</summary>
    public DateTimeOffset? ResetsAt { get; init; }
}

/// <summary>Bytes received from the ledger for one tenant in one month.</summary>
public sealed record MonthlyEgress
{
    /// <summary>The month, <c>yyyy-MM</c> (UTC).</summary>
    public required string Month { get; init; }

    /// <summary>The bytes, every endpoint together.</summary>
    public required long Bytes { get; init; }

    /// <summary>The bytes per endpoint (<c>"GET Invoices"</c>).</summary>
    public required IReadOnlyDictionary<string, long> BytesByEndpoint { get; init; }

    /// <summary>The app's monthly allowance across all tenants, when known.</summary>
    public long? AllowanceBytes { get; init; }
}
