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
    /// <remarks>With several nodes, give every node the same filter: a node that claims a tenant its filter excludes skips it for the period.</remarks>
    public Func<TenantState, bool>? TenantFilter { get; set; }

    /// <summary>
    /// This node's name in the store's rota (who claimed a tenant's run). Defaults to the machine name, process id and a
    /// random suffix; set it to something an operator recognises (a pod name). Must differ between nodes.
    /// </summary>
    public string? NodeId { get; set; }

    /// <summary>
    /// How long a node's claim on a tenant's scheduled run lasts unless renewed. Defaults to 2 minutes; at least 1 second.
    /// </summary>
    /// <remarks>
    /// A node renews the claims of its runs under way when half of this has passed, so a long run is not taken over; a
    /// node that dies stops renewing, and another node runs its tenants once this has passed.
    /// </remarks>
    public TimeSpan ClaimDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The longest the scheduler waits before reading the rota again. Defaults to 1 minute; at least 1 second.
    /// </summary>
    /// <remarks>
    /// It also wakes at the next due time it knows of and when one of its runs ends; this bounds how late it notices what
    /// other nodes did (a claim given back, a tenant another node added).
    /// </remarks>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);
}
