using SyncKit.Records;

namespace SyncKit.Xero;

/// <summary>The OAuth scopes of Xero's APIs, and the ones each kind SyncKit syncs needs.</summary>
/// <remarks>
/// <para>
/// Xero apps created on or after 2 March 2026 must ask for granular scopes (<c>accounting.invoices</c>,
/// <c>accounting.payments</c>, ...): asking for the broad <c>accounting.transactions</c> fails at consent with
/// <c>invalid_scope</c>. Older apps may keep the broad scopes (until September 2027); set
/// <see cref="XeroOptions.Scopes"/> to ask for them. Xero's own OpenAPI files and SDKs still list only the broad scopes.
/// </para>
/// <para>
/// Each kind declares the scope it writes with and the one that is enough to read it (<see cref="ForKind"/>). A granted
/// write scope also allows reading, and a broad scope covers the granular ones under it
/// (<c>accounting.transactions</c> covers <c>accounting.invoices</c>, <c>accounting.payments</c>, bank transactions and
/// manual journals; <c>practicemanager</c> covers <c>practicemanager.job</c> and the others).
/// </para>
/// </remarks>
public static class XeroScopes
{
    /// <summary>A refresh token (every app except custom connections asks for it).</summary>
    public const string OfflineAccess = "offline_access";

    /// <summary>Invoices, bills, credit notes, purchase orders, quotes, repeating invoices, linked transactions.</summary>
    public const string Invoices = "accounting.invoices";

    /// <summary>Read-only <see cref="Invoices"/>.</summary>
    public const string InvoicesRead = "accounting.invoices.read";

    /// <summary>Payments, batch payments, overpayments, prepayments (and credit-note allocations are the invoices scope's).</summary>
    public const string Payments = "accounting.payments";

    /// <summary>Read-only <see cref="Payments"/>.</summary>
    public const string PaymentsRead = "accounting.payments.read";

    /// <summary>Bank transactions and transfers.</summary>
    public const string BankTransactions = "accounting.banktransactions";

    /// <summary>Read-only <see cref="BankTransactions"/>.</summary>
    public const string BankTransactionsRead = "accounting.banktransactions.read";

    /// <summary>Manual journals.</summary>
    public const string ManualJournals = "accounting.manualjournals";

    /// <summary>Read-only <see cref="ManualJournals"/>.</summary>
    public const string ManualJournalsRead = "accounting.manualjournals.read";

    /// <summary>Contacts and contact groups.</summary>
    public const string Contacts = "accounting.contacts";

    /// <summary>Read-only <see cref="Contacts"/>.</summary>
    public const string ContactsRead = "accounting.contacts.read";

    /// <summary>The organisation, accounts, tax rates, tracking categories, currencies and items.</summary>
    public const string Settings = "accounting.settings";

    /// <summary>Read-only <see cref="Settings"/>.</summary>
    public const string SettingsRead = "accounting.settings.read";

    /// <summary>Attachments.</summary>
    public const string Attachments = "accounting.attachments";

    /// <summary>The broad transactions scope: refused at consent for apps created on or after 2 March 2026.</summary>
    public const string Transactions = "accounting.transactions";

    /// <summary>Read-only <see cref="Transactions"/> (broad; refused for new apps too).</summary>
    public const string TransactionsRead = "accounting.transactions.read";

    /// <summary>All of Practice Manager (broad).</summary>
    public const string PracticeManager = "practicemanager";

    /// <summary>All of Practice Manager, read-only (broad).</summary>
    public const string PracticeManagerRead = "practicemanager.read";

    /// <summary>Practice Manager clients.</summary>
    public const string PracticeManagerClient = "practicemanager.client";

    /// <summary>Practice Manager jobs, with their costs.</summary>
    public const string PracticeManagerJob = "practicemanager.job";

    /// <summary>Practice Manager staff.</summary>
    public const string PracticeManagerStaff = "practicemanager.staff";

    /// <summary>Practice Manager timesheets.</summary>
    public const string PracticeManagerTime = "practicemanager.time";

    private const string ReadSuffix = ".read";

    /// <summary>The date from which new Xero apps can no longer ask for the broad scopes (2 March 2026).</summary>
    public static DateOnly GranularOnlySince { get; } = new(2026, 3, 2);

    /// <summary>The scopes a kind needs: the one it writes with, and the one that is enough to read it.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The kind's scopes.</returns>
    public static XeroKindScopes ForKind(RecordKind kind) => kind switch
    {
        RecordKind.Contact => Scopes(kind, Contacts, ContactsRead),

        // Items live under settings in both the broad and the granular scheme.
        RecordKind.Item => Scopes(kind, Settings, SettingsRead),
        RecordKind.Invoice or RecordKind.Bill or RecordKind.CreditNote or RecordKind.PurchaseOrder => Scopes(kind, Invoices, InvoicesRead),
        RecordKind.Payment => Scopes(kind, Payments, PaymentsRead),
        RecordKind.Client => Scopes(kind, PracticeManagerClient, PracticeManagerClient + ReadSuffix),
        RecordKind.Staff => Scopes(kind, PracticeManagerStaff, PracticeManagerStaff + ReadSuffix),

        // Job costs are written through the job resource.
        RecordKind.Job or RecordKind.Cost => Scopes(kind, PracticeManagerJob, PracticeManagerJob + ReadSuffix),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "SyncKit does not know the Xero scope of this kind."),
    };

    private static XeroKindScopes Scopes(RecordKind kind, string write, string read) => new() { Kind = kind, Write = write, Read = read };

    /// <summary>Whether a scope is one of the broad ones new apps may not ask for.</summary>
    /// <param name="scope">The scope.</param>
    /// <returns>True for <c>accounting.transactions</c> and <c>accounting.transactions.read</c>.</returns>
    public static bool IsBroad(string scope) =>
        string.Equals(scope, Transactions, StringComparison.Ordinal) || string.Equals(scope, TransactionsRead, StringComparison.Ordinal);

    /// <summary>Splits a token response's <c>scope</c> (space-separated) into scopes.</summary>
    /// <param name="scope">The text, or null.</param>
    /// <returns>The scopes, or null when the text is null (not known).</returns>
    public static IReadOnlySet<string>? Parse(string? scope) =>
        scope is null ? null : scope.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);

    /// <summary>Whether the granted scopes allow what <paramref name="required"/> allows.</summary>
    /// <param name="granted">The scopes the connection was granted.</param>
    /// <param name="required">The scope needed.</param>
    /// <returns>True when it, its write variant (for a read scope) or a broad scope over it was granted.</returns>
    public static bool Covers(IReadOnlySet<string> granted, string required)
    {
        ArgumentNullException.ThrowIfNull(granted);
        ArgumentException.ThrowIfNullOrEmpty(required);
        if (granted.Contains(required))
        {
            return true;
        }

        var isRead = required.EndsWith(ReadSuffix, StringComparison.Ordinal);
        var write = isRead ? required[..^ReadSuffix.Length] : required;
        if (isRead && granted.Contains(write))
        {
            return true;
        }

        var broad = BroadOver(write);
        return broad is not null && (granted.Contains(broad) || (isRead && granted.Contains(broad + ReadSuffix)));
    }

    /// <summary>The broad scope that covers a granular write scope, or null.</summary>
    private static string? BroadOver(string write) => write switch
    {
        Invoices or Payments or BankTransactions or ManualJournals => Transactions,
        PracticeManagerClient or PracticeManagerJob or PracticeManagerStaff or PracticeManagerTime => PracticeManager,
        _ => null,
    };
}

/// <summary>The Xero scopes a kind needs.</summary>
public sealed record XeroKindScopes
{
    /// <summary>The kind.</summary>
    public required RecordKind Kind { get; init; }

    /// <summary>The scope to create and update its records.</summary>
    public required string Write { get; init; }

    /// <summary>The scope that is enough to read them.</summary>
    public required string Read { get; init; }
}
