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
/// <see cref="ScheduledSyncOptions.MaxConcurrentTenants"/> at once. Every wait is on the <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// The engine's lease keeps one run per tenant across nodes, so every node may run the scheduler: a node that finds
/// a run under way (<see cref="RunOutcome.AlreadyRunning"/>) leaves it alone. On shutdown the runs in flight are
/// cancelled; the engine ends them Cancelled and records not yet sent stay Pending for the next run.
/// </remarks>
internal sealed class ScheduledSyncService : BackgroundService
{
    private readonly ISyncEngine _engine;
    private readonly TenantStore _tenants;
    private readonly IOptions<ScheduledSyncOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _busy = new(StringComparer.Ordinal);
    private DateTimeOffset? _firstCycle;

    public ScheduledSyncService(ISyncEngine engine, TenantStore tenants, IOptions<ScheduledSyncOptions> options, TimeProvider time, ILogger logger)
    {
        _engine = engine;
        _tenants = tenants;
        _options = options;
        _time = time;
        _logger = logger;
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // The first cycle is timed from the host's start, not from when ExecuteAsync gets a thread.
        _firstCycle = _time.GetUtcNow() + _options.Value.FirstRunDelay;
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = _options.Value;
        using var slots = new SemaphoreSlim(options.MaxConcurrentTenants, options.MaxConcurrentTenants);
        var cycle = _firstCycle ?? _time.GetUtcNow() + options.FirstRunDelay;
        Log.SchedulerStarted(_logger, options.Every, cycle, options.MaxConcurrentTenants);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await WaitUntilAsync(cycle, stoppingToken).ConfigureAwait(false);
                try
                {
                    await RunCycleAsync(cycle, options, slots, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // A store or a host's tenant filter threw: log it and keep the schedule.
                    Log.CycleFailed(_logger, ex, cycle);
                }

                cycle = TenantSchedule.NextCycle(cycle, options.Every, _time.GetUtcNow(), out var skipped);
                if (skipped > 0)
                {
                    Log.CyclesSkipped(_logger, skipped);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown.
        }
        finally
        {
            // The runs saw the same token; they end Cancelled and never throw out of RunTenantAsync.
            await Task.WhenAll(_running.Values).ConfigureAwait(false);
            Log.SchedulerStopped(_logger);
        }
    }

    private async Task RunCycleAsync(DateTimeOffset cycle, ScheduledSyncOptions options, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        IReadOnlyList<TenantState> tenants;
        try
        {
            tenants = await _tenants.ListAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.ListFailed(_logger, ex, cycle);
            return;
        }

        Log.CycleStarted(_logger, cycle, tenants.Count);
        foreach (var (id, task) in _running)
        {
            if (task.IsCompleted)
            {
                _running.TryRemove(new KeyValuePair<string, Task>(id, task));
            }
        }

        var plan = tenants
            .Where(t => options.TenantFilter?.Invoke(t) ?? true)
            .Select(t => (Tenant: t, Due: cycle + TenantSchedule.Offset(t.TenantId, options.Every, options.Jitter)))
            .OrderBy(p => p.Due)
            .ThenBy(p => p.Tenant.TenantId, StringComparer.Ordinal)
            .ToList();

        foreach (var (listed, due) in plan)
        {
            var tenant = listed;
            if (due > _time.GetUtcNow())
            {
                await WaitUntilAsync(due, cancellationToken).ConfigureAwait(false);
                var fresh = await TryRefreshAsync(tenant.TenantId, cancellationToken).ConfigureAwait(false);
                if (fresh is null)
                {
                    continue;
                }

                tenant = fresh;
            }

            if (SkipReason(tenant, _time.GetUtcNow()) is { } reason)
            {
                Log.TenantSkipped(_logger, SyncKitTelemetry.TenantReference(tenant.TenantId), reason);
                continue;
            }

            var tenantId = tenant.TenantId;
            if (!_busy.TryAdd(tenantId, true))
            {
                Log.TenantSkipped(_logger, SyncKitTelemetry.TenantReference(tenantId), "its previous scheduled run has not finished");
                continue;
            }

            _running[tenantId] = Task.Run(() => RunTenantAsync(tenantId, options, slots, cancellationToken), CancellationToken.None);
        }
    }

    private async Task<TenantState?> TryRefreshAsync(string tenantId, CancellationToken cancellationToken)
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

    private async Task RunTenantAsync(string tenantId, ScheduledSyncOptions options, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        SyncRun? run = null;
        Exception? error = null;
        var cancelled = false;
        try
        {
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                run = await _engine.SyncAsync(
                    new SyncRequest { TenantId = tenantId, Kinds = [.. options.Kinds], Trigger = SyncTrigger.Scheduled, RequestedBy = options.RequestedBy },
                    cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                slots.Release();
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
            _busy.TryRemove(tenantId, out _);
        }

        // Logged once the tenant is free again, so whoever reads the log sees the scheduler's state settled.
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

    private async Task WaitUntilAsync(DateTimeOffset due, CancellationToken cancellationToken)
    {
        var delay = due - _time.GetUtcNow();
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
    }
}
