using SyncKit.Ledger;
using SyncKit.Mapping;
using SyncKit.Records;
using SyncKit.Runs;
using SyncKit.Sources;
using SyncKit.Storage;

namespace SyncKit;

/// <summary>The sync engine: what a host calls to sync, preview, retry, skip, release, pause and inspect.</summary>
public interface ISyncEngine
{
    /// <summary>Syncs every unposted or changed record of the chosen kinds for a tenant ("Sync All").</summary>
    /// <param name="request">The tenant, kinds and who asked.</param>
    /// <param name="cancellationToken">Cancels the run; unsent records stay Pending.</param>
    /// <returns>The run, with its outcome and counts; <see cref="RunOutcome.AlreadyRunning"/> with the running run's id when one is under way.</returns>
    Task<SyncRun> SyncAsync(SyncRequest request, CancellationToken cancellationToken = default);

    /// <summary>Re-syncs one record now ("Re-Sync to Xero"), whatever its state unless Skipped or InFlight.</summary>
    /// <param name="key">The record.</param>
    /// <param name="requestedBy">Who asked.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The record's outcome.</returns>
    /// <remarks>
    /// The record is sent under the tenant's run lease, like a Sync All: one run per tenant at a time. While another run
    /// of the tenant is under way nothing is sent beside it; the record is made due, so that run or the next sends it,
    /// and the outcome returned is the record's state now.
    /// </remarks>
    Task<RecordOutcome> SyncRecordAsync(LedgerKey key, string? requestedBy = null, CancellationToken cancellationToken = default);

    /// <summary>Maps and validates without sending anything: which records are ready and which have errors.</summary>
    /// <param name="request">The tenant and kinds.</param>
    /// <param name="cancellationToken">Cancels the preview.</param>
    /// <returns>A line per record that would be sent or is in error.</returns>
    Task<SyncPreview> PreviewAsync(SyncRequest request, CancellationToken cancellationToken = default);

    /// <summary>Returns Failed (and optionally Unmapped, Uncertain, RetryScheduled) records to Pending and syncs them.</summary>
    /// <param name="request">Which records: one, a filter, or all failed.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The run.</returns>
    Task<SyncRun> RetryAsync(RetryRequest request, CancellationToken cancellationToken = default);

    /// <summary>Marks a record "do not send".</summary>
    /// <param name="key">The record.</param>
    /// <param name="reason">Why, for the ledger's error text.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The entry.</returns>
    Task<LedgerEntry> SkipAsync(LedgerKey key, string? reason = null, CancellationToken cancellationToken = default);

    /// <summary>Undoes a skip: the record returns to Pending.</summary>
    /// <param name="key">The record.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The entry.</returns>
    Task<LedgerEntry> UnskipAsync(LedgerKey key, CancellationToken cancellationToken = default);

    /// <summary>Releases held records: they return to Pending and go in the next run.</summary>
    /// <param name="keys">The records.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>How many were released.</returns>
    Task<int> ReleaseAsync(IReadOnlyCollection<LedgerKey> keys, CancellationToken cancellationToken = default);

    /// <summary>Sends a record that needs reconciliation as a new one: the user says none of the ledger's candidates is it.</summary>
    /// <param name="key">The record (Failed, category <c>NeedsReconciliation</c>).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The entry, now Pending.</returns>
    Task<LedgerEntry> SendAsNewAsync(LedgerKey key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Marks a failed record resolved by hand: the user made it right in the ledger, so it is Synced as it is. With a
    /// remote id it links the record to that ledger record (how a user answers "needs reconciliation").
    /// </summary>
    /// <param name="key">The record.</param>
    /// <param name="remoteId">The ledger's id of the record, when known; refused when another record is linked to it.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The entry.</returns>
    Task<LedgerEntry> MarkResolvedAsync(LedgerKey key, string? remoteId = null, CancellationToken cancellationToken = default);

    /// <summary>Adds or replaces a mapping and returns every record waiting for it to Pending.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="kind">The mapping kind.</param>
    /// <param name="localKey">The host's key.</param>
    /// <param name="remoteKey">The ledger's key.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>How many records returned to Pending.</returns>
    Task<int> SetMappingAsync(string tenantId, MappingKind kind, string localKey, string remoteKey, CancellationToken cancellationToken = default);

    /// <summary>Pauses a tenant's sync until a time.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="until">When it resumes by itself.</param>
    /// <param name="reason">Why.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task.</returns>
    Task PauseAsync(string tenantId, DateTimeOffset until, string? reason = null, CancellationToken cancellationToken = default);

    /// <summary>Resumes a paused tenant now.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task.</returns>
    Task ResumeAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>A tenant's status: run under way, paused until, connection, counts per state and category.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The status.</returns>
    Task<SyncStatus> GetStatusAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>Pages through the ledger (a host's "Sync Error" tab is a query by state Failed).</summary>
    /// <param name="query">The filter and page.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>A page.</returns>
    Task<LedgerPage> QueryLedgerAsync(LedgerQuery query, CancellationToken cancellationToken = default);

    /// <summary>Pulls the records of the chosen kinds that changed in the ledger into the host, through the host's targets.</summary>
    /// <param name="request">The tenant, kinds and who asked.</param>
    /// <param name="cancellationToken">Cancels the run; a pull resumes from the page it reached.</param>
    /// <returns>
    /// The run. While another run of the tenant (a push or a pull) is under way the answer is
    /// <see cref="RunOutcome.AlreadyRunning"/>, recorded in the activity log under its own id, its message naming the running run.
    /// </returns>
    /// <remarks>
    /// Incremental: each (tenant, kind) keeps a watermark, the newest change time seen; the next pull reads from it less
    /// <see cref="SyncOptions.PullSkewMargin"/>. The page reached is saved after every page, so a pull stopped by a
    /// crash, a cancellation or the daily limit carries on from that page.
    /// </remarks>
    Task<SyncRun> PullAsync(Inbound.PullRequest request, CancellationToken cancellationToken = default);

    /// <summary>The reconciliation list: pulled records no single host record fits (with their candidates), and conflicts.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="limit">The most rows.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The records, by kind and ledger id.</returns>
    Task<IReadOnlyList<InboundRecord>> GetReconciliationListAsync(string tenantId, int limit = 100, CancellationToken cancellationToken = default);

    /// <summary>Takes a pulled record off the reconciliation list for good: it needs nothing from the host.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="kind">The kind.</param>
    /// <param name="remoteId">The ledger's id.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The record, now Dismissed.</returns>
    Task<InboundRecord> DismissPulledAsync(string tenantId, RecordKind kind, string remoteId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Links a payment on the reconciliation list (or one dismissed) to the host invoice it pays, chosen by a user: the next
    /// payment pull imports it against that invoice, exactly once, without matching.
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="remoteId">The payment's id in the ledger.</param>
    /// <param name="invoiceHostId">The host's id of the invoice it pays.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The record, now Accepted with the invoice as its parent.</returns>
    Task<InboundRecord> LinkPulledPaymentAsync(string tenantId, string remoteId, string invoiceHostId, CancellationToken cancellationToken = default);

    /// <summary>A user's choice on a pulled change kept during a conflict (policy <c>Ask</c>, <c>HostWins</c> or <c>ApplyAfterPush</c>).</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="kind">The kind.</param>
    /// <param name="remoteId">The ledger's id.</param>
    /// <param name="takeLedgerVersion">True to apply the ledger's version (by the next pull of the kind); false to keep the host's.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The record, now Accepted or Dismissed.</returns>
    Task<InboundRecord> ResolvePulledConflictAsync(string tenantId, RecordKind kind, string remoteId, bool takeLedgerVersion, CancellationToken cancellationToken = default);

    /// <summary>A tenant's settings (direction and conflict policy per kind): as saved, else the defaults.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The settings.</returns>
    Task<Settings.TenantSettings> GetTenantSettingsAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>Saves a tenant's settings; every later push and pull of the tenant reads them.</summary>
    /// <param name="settings">The settings.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The settings as saved (with their time).</returns>
    Task<Settings.TenantSettings> SaveTenantSettingsAsync(Settings.TenantSettings settings, CancellationToken cancellationToken = default);

    /// <summary>The activity log: a tenant's runs, newest first.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="limit">The most rows.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The runs.</returns>
    Task<IReadOnlyList<SyncRun>> GetActivityAsync(string tenantId, int limit = 50, CancellationToken cancellationToken = default);
}

/// <summary>A request to sync a tenant.</summary>
public sealed record SyncRequest
{
    /// <summary>The tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>The kinds to sync; all the host has sources for when empty.</summary>
    public IReadOnlyList<RecordKind> Kinds { get; init; } = [];

    /// <summary>What started it.</summary>
    public SyncTrigger Trigger { get; init; } = SyncTrigger.Manual;

    /// <summary>Who asked.</summary>
    public string? RequestedBy { get; init; }
}

/// <summary>Which records to retry.</summary>
public sealed record RetryRequest
{
    /// <summary>The tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>One record, or null for a filter.</summary>
    public LedgerKey? Key { get; init; }

    /// <summary>Only these kinds; all when empty.</summary>
    public IReadOnlyList<RecordKind> Kinds { get; init; } = [];

    /// <summary>Only records with this error category.</summary>
    public string? ErrorCategory { get; init; }

    /// <summary>Who asked.</summary>
    public string? RequestedBy { get; init; }
}

/// <summary>A tenant's status.</summary>
public sealed record SyncStatus
{
    /// <summary>The tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>The run under way, or null.</summary>
    public string? RunningRunId { get; init; }

    /// <summary>Sync is paused until this time, or null.</summary>
    public DateTimeOffset? PausedUntil { get; init; }

    /// <summary>Why it is paused.</summary>
    public string? PauseReason { get; init; }

    /// <summary>The connection state.</summary>
    public ConnectionState Connection { get; init; }

    /// <summary>Why the connection is in its state.</summary>
    public string? ConnectionMessage { get; init; }

    /// <summary>Counts per state and error category.</summary>
    public required LedgerCounts Counts { get; init; }

    /// <summary>The last run, or null.</summary>
    public SyncRun? LastRun { get; init; }

    /// <summary>The permissions (OAuth scopes) the connection was granted, or null when the connector does not say.</summary>
    public IReadOnlyList<string>? GrantedScopes { get; init; }

    /// <summary>The permissions the kinds the host syncs need and the connection lacks: reconnect to grant them.</summary>
    public IReadOnlyList<string> MissingScopes { get; init; } = [];

    /// <summary>The tenant's daily call budget (limit, left, reserve, reset), or null when the connector keeps none.</summary>
    public Connectors.CallBudget? CallBudget { get; init; }

    /// <summary>Bytes received from the ledger for the tenant this month, or null when not metered.</summary>
    public Connectors.MonthlyEgress? Egress { get; init; }
}

/// <summary>The result of a preview (dry run).</summary>
public sealed record SyncPreview
{
    /// <summary>The tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>A line per record considered.</summary>
    public required IReadOnlyList<PreviewLine> Lines { get; init; }

    /// <summary>How many are ready to send.</summary>
    public int Ready => Lines.Count(l => l.Ready);

    /// <summary>How many have errors.</summary>
    public int Errors => Lines.Count(l => !l.Ready);
}

/// <summary>One record in a preview.</summary>
public sealed record PreviewLine
{
    /// <summary>The record.</summary>
    public required LedgerKey Key { get; init; }

    /// <summary>Its label.</summary>
    public string? DisplayName { get; init; }

    /// <summary>Whether it would be sent.</summary>
    public required bool Ready { get; init; }

    /// <summary>The state it would land in without a call (Unmapped, Failed, Skipped, Held), or Pending when ready.</summary>
    public required LedgerState State { get; init; }

    /// <summary>The error that stops it.</summary>
    public Errors.SyncError? Error { get; init; }

    /// <summary>Warnings it would carry.</summary>
    public IReadOnlyList<SyncWarning> Warnings { get; init; } = [];
}
