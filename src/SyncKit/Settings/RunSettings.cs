using SyncKit.Records;

namespace SyncKit.Settings;

/// <summary>
/// A tenant's settings as one run reads them: the tenant's own where it set them, else the process-wide
/// <see cref="SyncOptions"/>. Resolved once at the start of a run (and of a preview), so every record of the run is
/// prepared under the same settings even if a user saves new ones meanwhile.
/// </summary>
internal sealed record RunSettings
{
    public required TenantSettings Tenant { get; init; }

    public ZeroValuePolicy ZeroValueDocuments { get; init; }

    public NegativeInvoicePolicy NegativeInvoices { get; init; }

    public bool SummariseLines { get; init; }

    public string? RoundingAccountKey { get; init; }

    public string? RoundingTaxKey { get; init; }

    public decimal MaxRoundingAdjustment { get; init; }

    public bool WarnOnMissingBillingContact { get; init; }

    public ApprovalHold ApprovalHold { get; init; }

    public static RunSettings Resolve(TenantSettings tenant, SyncOptions options) => new()
    {
        Tenant = tenant,
        ZeroValueDocuments = tenant.ZeroValueDocuments ?? options.ZeroValueDocuments,
        NegativeInvoices = tenant.NegativeInvoices ?? options.NegativeInvoices,
        SummariseLines = tenant.SummariseLines ?? options.SummariseLines,

        // An empty key is the tenant saying "none", over a process-wide account.
        RoundingAccountKey = tenant.RoundingAccountKey is { } account ? NullIfEmpty(account) : options.RoundingAccountKey,
        RoundingTaxKey = tenant.RoundingTaxKey is { } tax ? NullIfEmpty(tax) : options.RoundingTaxKey,
        MaxRoundingAdjustment = tenant.MaxRoundingAdjustment ?? options.MaxRoundingAdjustment,
        WarnOnMissingBillingContact = tenant.WarnOnMissingBillingContact ?? options.WarnOnMissingBillingContact,
        ApprovalHold = tenant.ApprovalHold ?? ApprovalHold.Policy,
    };

    /// <summary>Whether <see cref="ApprovalHold.Always"/> holds a kind.</summary>
    public bool HoldsAlways(RecordKind kind) =>
        ApprovalHold == ApprovalHold.Always && (Tenant.ApprovalHoldKinds.Count == 0 || Tenant.ApprovalHoldKinds.Contains(kind));

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
