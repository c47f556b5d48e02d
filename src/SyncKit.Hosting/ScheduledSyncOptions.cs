using SyncKit.Records;
using SyncKit.Storage;

namespace SyncKit.Hosting;

/// <summary>How the scheduler syncs every tenant in the background ("a scheduled task every few hours").</summary>
public sealed class ScheduledSyncOptions
{
    /// <summary>How often each tenant is synced. Defaults to 3 hours; must be positive and at most 30 days.</summary>
    public TimeSpan Every { get; set; } = TimeSpan.FromHours(3);

    /// <summary>
    /// The fraction of <see cref="Every"/> over which tenants are spread, from 0 (all at once) to 0.5. Defaults to 0.1.
    /// </summary>
    /// <remarks>
    /// Each tenant's offset into the period comes from a hash of its id, so it is the same on every node and every
    /// restart: a tenant runs once per period, at a steady time, and tenants do not all call the ledger together.
    /// </remarks>
    public double Jitter { get; set; } = 0.1;

    /// <summary>How long after the host starts the first cycle begins. Defaults to 1 minute; zero starts at once.</summary>
    public TimeSpan FirstRunDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many tenants sync at once on this node. Defaults to 4; at least 1.</summary>
    /// <remarks>Runs past the limit wait for a free slot; a tenant whose run is still going is not started again.</remarks>
    public int MaxConcurrentTenants { get; set; } = 4;

    /// <summary>The kinds each scheduled run syncs; every kind the host has a source for when empty.</summary>
    public IList<RecordKind> Kinds { get; } = new List<RecordKind>();

    /// <summary>Who the activity log says asked for the run. Defaults to <c>scheduler</c>.</summary>
    public string RequestedBy { get; set; } = "scheduler";

    /// <summary>Which tenants the scheduler syncs, or null for all of them (disconnected and paused tenants are always skipped).</summary>
    public Func<TenantState, bool>? TenantFilter { get; set; }
}
