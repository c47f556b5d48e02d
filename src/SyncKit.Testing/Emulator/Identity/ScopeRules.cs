namespace SyncKit.Testing.Emulator.Identity;

/// <summary>
/// Xero's 2026 scope rules as the emulator enforces them: which scopes an app may ask for (granular only for apps created
/// on or after 2 March 2026; custom connections after 29 April 2026 fail at token time), and which scope each API call needs.
/// Kept apart from SyncKit's own scope table on purpose: the emulator is the oracle SyncKit is tested against.
/// </summary>
internal static class ScopeRules
{
    public static readonly DateOnly GranularOnlySince = new(2026, 3, 2);
    public static readonly DateOnly CustomConnectionsGranularAfter = new(2026, 4, 29);

    private const string Transactions = "accounting.transactions";
    private const string PracticeManager = "practicemanager";

    public static bool IsBroad(string scope) => scope is Transactions or Transactions + ".read";

    /// <summary>Whether an app may ask for these scopes at all (consent or client credentials).</summary>
    public static bool Allowed(TokenStore.App app, IEnumerable<string> scopes)
    {
        var cutoff = app.CustomConnection ? CustomConnectionsGranularAfter : GranularOnlySince;
        var newApp = app.CustomConnection ? app.CreatedOn > cutoff : app.CreatedOn >= cutoff;
        return !newApp || !scopes.Any(IsBroad);
    }

    public static IReadOnlySet<string> Parse(string scope) =>
        scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);

    /// <summary>Whether a grant's scopes allow a call; <paramref name="resource"/> is the first path segment (Accounting) or the <c>x.api</c> segment (XPM).</summary>
    public static bool Permits(IReadOnlySet<string> granted, bool isAccounting, string resource, bool isRead)
    {
        var needs = isAccounting ? Accounting(resource) : Practice(resource);
        if (needs.Length == 0)
        {
            return true;
        }

        foreach (var scope in needs)
        {
            if (granted.Contains(scope) || (isRead && granted.Contains(scope + ".read")))
            {
                return true;
            }

            var broad = Broad(scope);
            if (broad is not null && (granted.Contains(broad) || (isRead && granted.Contains(broad + ".read"))))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The write scopes any one of which allows a resource (its read variant allows GET).</summary>
    private static string[] Accounting(string resource) => resource.ToUpperInvariant() switch
    {
        "INVOICES" or "CREDITNOTES" or "PURCHASEORDERS" or "QUOTES" or "REPEATINGINVOICES" or "LINKEDTRANSACTIONS" => ["accounting.invoices"],

        // Items sit under settings in the broad scheme and are listed under invoices in the granular one.
        "ITEMS" => ["accounting.settings", "accounting.invoices"],
        "PAYMENTS" or "BATCHPAYMENTS" or "OVERPAYMENTS" or "PREPAYMENTS" => ["accounting.payments"],
        "BANKTRANSACTIONS" or "BANKTRANSFERS" => ["accounting.banktransactions"],
        "MANUALJOURNALS" => ["accounting.manualjournals"],
        "CONTACTS" or "CONTACTGROUPS" => ["accounting.contacts"],
        "ORGANISATION" or "ACCOUNTS" or "TAXRATES" or "TRACKINGCATEGORIES" or "CURRENCIES" or "BRANDINGTHEMES" => ["accounting.settings"],
        _ => [],
    };

    private static string[] Practice(string resource) => resource.ToLowerInvariant() switch
    {
        "client.api" => ["practicemanager.client"],
        "job.api" => ["practicemanager.job"],
        "staff.api" => ["practicemanager.staff"],
        "time.api" => ["practicemanager.time"],
        _ => [PracticeManager],
    };

    private static string? Broad(string scope) => scope switch
    {
        "accounting.invoices" or "accounting.payments" or "accounting.banktransactions" or "accounting.manualjournals" => Transactions,
        _ when scope.StartsWith(PracticeManager + ".", StringComparison.Ordinal) => PracticeManager,
        _ => null,
    };
}
