using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SyncKit.Hosting.Telemetry;
using SyncKit.Runs;
using SyncKit.Storage;
using SyncKit.Telemetry;

namespace SyncKit.Hosting;

/// <summary>
/// Syncs every connected, unpaused tenant once per period, each at a stable offset into the period, at most
/// <see cref="ScheduledSyncOptions.MaxConcurrentTenants"/> at once on this node. Every wait is on the <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// <para>
/// The schedule is a rota in the <see cref="TenantStore"/>: each tenant's next due time. Every node may run the scheduler:
/// a node claims due tenants in the store (atomically: a due tenant goes to one node), as many as it has free slots, runs
/// them, renews its claims while they run and moves each tenant to its next due time when its run ends. A node that dies
/// stops renewing; once its claims run out (<see cref="ScheduledSyncOptions.ClaimDuration"/>) the other nodes claim its
/// tenants. The engine's lease still keeps one run per tenant whatever the rota says (a manual run, a claim lost).
/// </para>
/// <para>
/// On shutdown the runs in flight are cancelled (the engine ends them Cancelled and records not yet sent stay Pending) and
/// their claims are given back, so another node runs those tenants without waiting for the claims to run out.
/// </para>
/// </remarks>
internal sealed class ScheduledSyncService : BackgroundService
{
    private readonly ISyncEngine _engine;
    private readonly TenantStore _tenants;
    private readonly IOptions<ScheduledSyncOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Running> _running = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _runEnded = new(0);
    private readonly string _node;
    private DateTimeOffset? _firstCycle;

    public ScheduledSyncService(ISyncEngine engine, TenantStore tenants, IOptions<ScheduledSyncOptions> options, TimeProvider time, ILogger logger)
    {
        _engine = engine;
        _tenants = tenants;
        _options = options;
        _time = time;
        _logger = logger;
        _node = options.Value.NodeId
            ?? string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}")[..^24];
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // The first cycle is timed from the host's start, not from when ExecuteAsync gets a thread.
        _firstCycle = _time.GetUtcNow() + _options.Value.FirstRunDelay;
        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _runEnded.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = _options.Value;
        var start = _firstCycle ?? _time.GetUtcNow() + options.FirstRunDelay;
        Log.SchedulerStarted(_logger, _node, options.Every, start, options.MaxConcurrentTenants);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                DateTimeOffset wakeAt;
                try
                {
                    wakeAt = await PassAsync(start, options, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // A store or a host's tenant filter threw: log it and keep the schedule.
                    Log.CycleFailed(_logger, ex, _time.GetUtcNow());
                    wakeAt = _time.GetUtcNow() + options.PollInterval;
                }

                await WaitAsync(wakeAt, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown.
        }
        finally
        {
            // The runs saw the same token; they end Cancelled, give their claims back and never throw out of RunAsync.
            await Task.WhenAll(_running.Values.Select(r => r.Task)).ConfigureAwait(false);
            Log.SchedulerStopped(_logger);
        }
    }

    /// <summary>One pass: puts new tenants on the rota, looks after this node's runs, claims due tenants; returns when to look again.</summary>
    private async Task<DateTimeOffset> PassAsync(DateTimeOffset start, ScheduledSyncOptions options, CancellationToken cancellationToken)
    {
        Log.Pass(_logger, _node);
        var now = _time.GetUtcNow();
        var wakeAt = now + options.PollInterval;
        IReadOnlyList<TenantDue> rota;
        try
        {
            var tenants = await _tenants.ListAsync(cancellationToken).ConfigureAwait(false);
            rota = await _tenants.GetScheduleAsync(cancellationToken).ConfigureAwait(false);
            var onRota = rota.Select(d => d.TenantId).ToHashSet(StringComparer.Ordinal);
            foreach (var tenant in tenants.Where(t => !onRota.Contains(t.TenantId) && (options.TenantFilter?.Invoke(t) ?? true)))
            {
                // Every node adds the tenants it lists; the store keeps the first due time written.
                var due = TenantSchedule.FirstDue(start, TenantSchedule.Offset(tenant.TenantId, options.Every, options.Jitter), now);
                await _tenants.AddToScheduleAsync(tenant.TenantId, due, cancellationToken).ConfigureAwait(false);
                wakeAt = Earliest(wakeAt, due);
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.ListFailed(_logger, ex, now);
            return wakeAt;
        }

        foreach (var running in _running.Values)
        {
            wakeAt = Earliest(wakeAt, await TendAsync(running, options, now, cancellationToken).ConfigureAwait(false));
        }

        var free = options.MaxConcurrentTenants - _running.Count;
        if (free > 0)
        {
            var claims = await _tenants.ClaimDueAsync(_node, now, now + options.ClaimDuration, free, cancellationToken).ConfigureAwait(false);
            if (claims.Count > 0)
            {
                Log.Claimed(_logger, _node, claims.Count, now);
            }

            foreach (var claim in claims)
            {
                var running = new Running(claim);
                if (!_running.TryAdd(claim.TenantId, running))
                {
                    // Our own claim ran out while its run went on and came back to us: the run under way completes it.
                    continue;
                }

                running.Task = Task.Run(() => RunAsync(running, options, cancellationToken), CancellationToken.None);
                wakeAt = Earliest(wakeAt, TendAt(running, options));
            }
        }

        foreach (var due in rota)
        {
            if (due.ClaimedBy is null && due.DueAt > now)
            {
                wakeAt = Earliest(wakeAt, due.DueAt);
            }
            else if (due.ClaimedUntil is { } until && until > now && !string.Equals(due.ClaimedBy, _node, StringComparison.Ordinal))
            {
                // Another node's claim: if it dies, its tenant is ours to take when the claim runs out.
                wakeAt = Earliest(wakeAt, until);
            }
        }

        return wakeAt;
    }

    /// <summary>Renews a run's claim when half of it has passed, and logs each later slot its run is overrunning.</summary>
    private async Task<DateTimeOffset> TendAsync(Running running, ScheduledSyncOptions options, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var passed = TenantSchedule.SlotsPassed(running.Claim.DueAt, options.Every, now);
        while (running.SlotsSkipped < passed)
        {
            running.SlotsSkipped++;
            Log.TenantSkipped(_logger, SyncKitTelemetry.TenantReference(running.Claim.TenantId), "its previous scheduled run has not finished");
        }

        if (!running.Lost && running.ClaimedUntil - (options.ClaimDuration / 2) <= now)
        {
            var until = now + options.ClaimDuration;
            try
            {
                if (await _tenants.RenewDueAsync(running.Claim, until, cancellationToken).ConfigureAwait(false))
                {
                    running.ClaimedUntil = until;
                }
                else
                {
                    running.Lost = true;
                    Log.ClaimLost(_logger, _node, SyncKitTelemetry.TenantReference(running.Claim.TenantId));
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                Log.RotaWriteFailed(_logger, ex, _node, SyncKitTelemetry.TenantReference(running.Claim.TenantId));
            }
        }

        return TendAt(running, options);
    }

    /// <summary>When a run next needs looking after: its claim's half-life or its next slot, whichever comes first.</summary>
    private static DateTimeOffset TendAt(Running running, ScheduledSyncOptions options)
    {
        var nextSlot = running.Claim.DueAt + (options.Every * (running.SlotsSkipped + 1));
        return running.Lost ? nextSlot : Earliest(nextSlot, running.ClaimedUntil - (options.ClaimDuration / 2));
    }

    /// <summary>Why a tenant is not synced now, or null to sync it.</summary>
    /// <param name="tenant">The tenant's state.</param>
    /// <param name="now">The time now.</param>
    /// <returns>The reason, or null.</returns>
    internal static string? SkipReason(TenantState tenant, DateTimeOffset now)
    {
        if (tenant.Connection == ConnectionState.Disconnected)
        {
            return "disconnected; a user must reconnect it";
        }

        if (tenant.PausedUntil is { } until && until > now)
        {
            return "sync paused until " + until.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        }

        return null;
    }

    private async Task RunAsync(Running running, ScheduledSyncOptions options, CancellationToken cancellationToken)
    {
        var tenantId = running.Claim.TenantId;
        SyncRun? run = null;
        Exception? error = null;
        var cancelled = false;
        try
        {
            var tenant = await ReadTenantAsync(tenantId, cancellationToken).ConfigureAwait(false);
            if (tenant is not null && (SkipReason(tenant, _time.GetUtcNow()) ?? Excluded(tenant, options)) is { } reason)
            {
                Log.TenantSkipped(_logger, SyncKitTelemetry.TenantReference(tenantId), reason);
            }
            else if (tenant is not null && await StillHeldAsync(running, options, cancellationToken).ConfigureAwait(false))
            {
                run = await _engine.SyncAsync(
                    new SyncRequest { TenantId = tenantId, Kinds = [.. options.Kinds], Trigger = SyncTrigger.Scheduled, RequestedBy = options.RequestedBy },
                    cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            cancelled = true;
        }
        catch (Exception ex)
        {
            error = ex;
        }
        finally
        {
            await SettleClaimAsync(running, options, cancelled).ConfigureAwait(false);
            _running.TryRemove(new KeyValuePair<string, Running>(tenantId, running));
        }

        // Logged once the tenant is free again, so whoever reads the log sees the scheduler's state settled; then the
        // scheduler is woken to fill the slot.
        LogOutcome(tenantId, run, error, cancelled);
        _runEnded.Release();
    }

    private void LogOutcome(string tenantId, SyncRun? run, Exception? error, bool cancelled)
    {
        if (cancelled)
        {
            Log.RunCancelled(_logger, SyncKitTelemetry.TenantReference(tenantId));
        }
        else if (error is not null)
        {
            Log.RunThrew(_logger, error, SyncKitTelemetry.TenantReference(tenantId));
        }
        else if (run is { Outcome: RunOutcome.AlreadyRunning })
        {
            Log.AlreadyRunning(_logger, SyncKitTelemetry.TenantReference(tenantId), run.RunId);
        }
        else if (run is { Outcome: RunOutcome.Completed or RunOutcome.CompletedWithErrors })
        {
            Log.RunEnded(_logger, run.RunId, SyncKitTelemetry.TenantReference(tenantId), run.Outcome, run.Counts.Synced, run.Counts.Failed);
        }
        else if (run is not null)
        {
            Log.RunNotCompleted(_logger, run.RunId, SyncKitTelemetry.TenantReference(tenantId), run.Outcome, run.Message);
        }
    }

    /// <summary>
    /// Whether the claim is still this node's to run: a claim that ran out before its run could start (the node stalled)
    /// is renewed first, and not run when another node has taken it meanwhile.
    /// </summary>
    private async Task<bool> StillHeldAsync(Running running, ScheduledSyncOptions options, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (running.ClaimedUntil > now)
        {
            return true;
        }

        if (await _tenants.RenewDueAsync(running.Claim, now + options.ClaimDuration, cancellationToken).ConfigureAwait(false))
        {
            running.ClaimedUntil = now + options.ClaimDuration;
            return true;
        }

        running.Lost = true;
        Log.ClaimLost(_logger, _node, SyncKitTelemetry.TenantReference(running.Claim.TenantId));
        return false;
    }

    private static string? Excluded(TenantState tenant, ScheduledSyncOptions options) =>
        options.TenantFilter is { } filter && !filter(tenant) ? "excluded by ScheduledSyncOptions.TenantFilter" : null;

    /// <summary>Reads the tenant as it is now; null when it is gone or cannot be read (it waits for its next slot then).</summary>
    private async Task<TenantState?> ReadTenantAsync(string tenantId, CancellationToken cancellationToken)
    {
        try
        {
            return await _tenants.GetAsync(tenantId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.TenantReadFailed(_logger, ex, SyncKitTelemetry.TenantReference(tenantId));
            return null;
        }
    }

    /// <summary>
    /// Moves the tenant to its next slot (the run happened, or was skipped for the period), or, when shutdown cancelled the
    /// run, gives the claim back so another node runs the tenant now. Never throws: a claim not settled runs out.
    /// </summary>
    private async Task SettleClaimAsync(Running running, ScheduledSyncOptions options, bool cancelled)
    {
        var tenantId = running.Claim.TenantId;
        if (running.Lost)
        {
            // Another node holds the tenant now; moving it on is its to do.
            return;
        }

        try
        {
            if (cancelled)
            {
                await _tenants.ReleaseDueAsync(running.Claim, CancellationToken.None).ConfigureAwait(false);
                return;
            }

            var next = TenantSchedule.NextDue(running.Claim.DueAt, options.Every, _time.GetUtcNow(), out var skipped);
            if (skipped > running.SlotsSkipped)
            {
                Log.SlotsSkipped(_logger, SyncKitTelemetry.TenantReference(tenantId), skipped);
            }

            if (!await _tenants.CompleteDueAsync(running.Claim, next, CancellationToken.None).ConfigureAwait(false))
            {
                Log.ClaimLost(_logger, _node, SyncKitTelemetry.TenantReference(tenantId));
            }
        }
        catch (Exception ex)
        {
            Log.RotaWriteFailed(_logger, ex, _node, SyncKitTelemetry.TenantReference(tenantId));
        }
    }

    /// <summary>Waits until <paramref name="wakeAt"/>, or until one of this node's runs ends (a slot is free).</summary>
    private async Task WaitAsync(DateTimeOffset wakeAt, CancellationToken cancellationToken)
    {
        var delay = wakeAt - _time.GetUtcNow();
        if (delay <= TimeSpan.Zero || _runEnded.CurrentCount > 0)
        {
            while (_runEnded.CurrentCount > 0 && await _runEnded.WaitAsync(0, cancellationToken).ConfigureAwait(false))
            {
            }

            return;
        }

        using var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var timer = Task.Delay(delay, _time, wake.Token);
        var runEnded = _runEnded.WaitAsync(wake.Token);
        Log.Waiting(_logger, _node, wakeAt);
        await Task.WhenAny(timer, runEnded).ConfigureAwait(false);
        await wake.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(timer, runEnded).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // One of the two was cancelled because the other came first.
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    private static DateTimeOffset Earliest(DateTimeOffset a, DateTimeOffset b) => a <= b ? a : b;

    /// <summary>One of this node's runs: its claim, the slots it has overrun, and its task.</summary>
    private sealed class Running(TenantDue claim)
    {
        public TenantDue Claim { get; } = claim;

        public DateTimeOffset ClaimedUntil { get; set; } = claim.ClaimedUntil ?? DateTimeOffset.MinValue;

        public long SlotsSkipped { get; set; }

        /// <summary>Another node took the claim (it ran out): no more renewals.</summary>
        public bool Lost { get; set; }

        public Task Task { get; set; } = Task.CompletedTask;
    }
}
