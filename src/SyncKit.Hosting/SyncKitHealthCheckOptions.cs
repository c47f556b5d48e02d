using SyncKit.Storage;

namespace SyncKit.Hosting;

/// <summary>What the SyncKit health check counts as a problem.</summary>
public sealed class SyncKitHealthCheckOptions
{
    /// <summary>
    /// A tenant with at least this many Failed records makes the check Degraded. Defaults to 10; at least 1.
    /// </summary>
    /// <remarks>Failed records wait for a user (the host's "Sync Error" tab); a few are normal, many mean something changed.</remarks>
    public int FailedRecordThreshold { get; set; } = 10;

    /// <summary>Which tenants the check covers, or null for all of them.</summary>
    public Func<TenantState, bool>? TenantFilter { get; set; }

    /// <summary>
    /// When set, the check is Degraded if no Xero webhook was received for this long (or ever): Xero disables a webhook after
    /// 24 hours of failed deliveries without telling anyone. Null (the default) leaves webhooks out of the check. Pick a
    /// time longer than the quietest stretch of your customers' Xero activity (for example 2 days).
    /// </summary>
    public TimeSpan? WebhooksQuietAfter { get; set; }

    /// <summary>How many problem tenants the description names before it says "and N more". Defaults to 5; at least 1.</summary>
    /// <remarks>Every tenant is in the result's data, whatever this says.</remarks>
    public int MaxTenantsInDescription { get; set; } = 5;
}
