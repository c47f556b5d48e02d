using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SyncKit.Connectors;
using SyncKit.Inbound;
using SyncKit.Records;
using SyncKit.Runs;
using SyncKit.Storage;
using SyncKit.Telemetry;
using SyncKit.Xero;

namespace SyncKit.AspNetCore.Webhooks;

/// <summary>
/// Turns stored webhook events into targeted pulls, and pulls every tenant from its watermarks now and then (the
/// reconciliation). The background service registered by <c>AddXeroWebhooks</c> calls both; a host or a test may call
/// them too — calls are serialised in this process, and claims in the store keep two processes off the same event.
/// </summary>
public sealed partial class XeroWebhookProcessor
{
    private readonly ISyncEngine _engine;
    private readonly WebhookInbox _inbox;
    private readonly TenantStore _tenants;
    private readonly LedgerConnector _connector;
    private readonly HashSet<RecordKind> _targetKinds;
    private readonly IOptionsMonitor<XeroWebhookOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);

    internal XeroWebhookProcessor(
        ISyncEngine engine,
        WebhookInbox inbox,
        TenantStore tenants,
        LedgerConnector connector,
        IEnumerable<SyncTarget> targets,
        IOptionsMonitor<XeroWebhookOptions> options,
        TimeProvider time,
        ILogger<XeroWebhookProcessor> logger)
    {
        _engine = engine;
        _inbox = inbox;
        _tenants = tenants;
        _connector = connector;
        _targetKinds = [.. targets.Select(t => t.Kind)];
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Claims the events received at least <see cref="XeroWebhookOptions.Debounce"/> ago and pulls their records: one
    /// targeted pull per tenant. Events of categories SyncKit does not sync are marked ignored, with a log line.
    /// </summary>
    /// <param name="cancellationToken">Cancels the work; claimed events not finished are taken again later.</param>
    /// <returns>How many events were finished (pulled or ignored).</returns>
    public async Task<int> ProcessDueAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var options = _options.CurrentValue;
            var finished = 0;
            while (true)
            {
                var now = _time.GetUtcNow();
                var claimId = Guid.NewGuid().ToString("N");
                var claimed = await _inbox.ClaimAsync(claimId, now, now + options.ClaimFor, now - options.Debounce, options.BatchSize, cancellationToken).ConfigureAwait(false);
                foreach (var tenant in claimed.GroupBy(e => e.TenantId, StringComparer.Ordinal))
                {
                    finished += await ProcessTenantAsync(claimId, tenant.Key, [.. tenant], options, cancellationToken).ConfigureAwait(false);
                }

                if (claimed.Count < options.BatchSize)
                {
                    return finished;
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Pulls every connected, unpaused tenant from its watermarks (<c>If-Modified-Since</c>): the kinds the host has targets
    /// for, and invoice statuses. What a webhook missed — a delivery dropped, the webhook disabled by Xero — arrives here.
    /// </summary>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The runs, one per tenant pulled.</returns>
    public async Task<IReadOnlyList<SyncRun>> ReconcileAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var kinds = _targetKinds.Append(RecordKind.Invoice).Append(RecordKind.CreditNote).Where(_connector.SupportsPull).Distinct().ToList();
            var now = _time.GetUtcNow();
            var runs = new List<SyncRun>();
            foreach (var tenant in await _tenants.ListAsync(cancellationToken).ConfigureAwait(false))
            {
                if (tenant.Connection == ConnectionState.Disconnected || tenant.PausedUntil > now)
                {
                    continue;
                }

                var run = await _engine.PullAsync(
                    new PullRequest { TenantId = tenant.TenantId, Kinds = kinds, Trigger = SyncTrigger.Scheduled, RequestedBy = "xero-webhooks:reconciliation" },
                    cancellationToken).ConfigureAwait(false);
                LogReconciled(_logger, SyncKitTelemetry.TenantReference(tenant.TenantId), run.Outcome, run.Counts.Synced);
                runs.Add(run);
            }

            return runs;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<int> ProcessTenantAsync(string claimId, string tenantId, List<WebhookEvent> events, XeroWebhookOptions options, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var finished = 0;
        var wanted = new Dictionary<RecordKind, List<WebhookEvent>>();
        foreach (var group in events.GroupBy(e => XeroWebhooks.KindOf(e.Category)))
        {
            var kind = group.Key;
            var reason = kind switch
            {
                null => $"Category {group.First().Category} is not synced by SyncKit.",
                { } k when !_connector.SupportsPull(k) => $"The {_connector.Name} connector cannot pull {k} yet.",
                { } k when k is not (RecordKind.Invoice or RecordKind.CreditNote) && !_targetKinds.Contains(k) => $"No target is registered for {k}.",
                _ => null,
            };
            if (reason is null)
            {
                wanted[kind!.Value] = [.. group];
                continue;
            }

            LogIgnored(_logger, group.Count(), group.First().Category, SyncKitTelemetry.TenantReference(tenantId), reason);
            finished += await _inbox.CompleteAsync(claimId, [.. group.Select(e => e.EventId)], WebhookEventState.Ignored, reason, now, cancellationToken).ConfigureAwait(false);
        }

        if (wanted.Count == 0)
        {
            return finished;
        }

        var ids = wanted.Values.SelectMany(g => g).Select(e => e.EventId).ToList();
        var status = await _engine.GetStatusAsync(tenantId, cancellationToken).ConfigureAwait(false);
        if (status.RunningRunId is not null)
        {
            // A push or pull holds the tenant's lease: give the events back for the next poll rather than log a refused run.
            await _inbox.ReleaseAsync(claimId, ids, cancellationToken).ConfigureAwait(false);
            return finished;
        }

        if (status.PausedUntil > now)
        {
            // Left claimed: taken again when the claim runs out, by then the pause may be over.
            return finished;
        }

        var extra = options.PullPaymentsOnInvoiceEvents && wanted.ContainsKey(RecordKind.Invoice) && _targetKinds.Contains(RecordKind.Payment) && _connector.SupportsPull(RecordKind.Payment)
            ? new[] { RecordKind.Payment }
            : [];
        try
        {
            var run = await _engine.PullAsync(
                new PullRequest
                {
                    TenantId = tenantId,
                    RemoteIds = wanted.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)[.. p.Value.Select(e => e.ResourceId).Distinct(StringComparer.Ordinal)]),
                    Kinds = extra,
                    Trigger = SyncTrigger.Webhook,
                    RequestedBy = "xero-webhooks",
                },
                cancellationToken).ConfigureAwait(false);
            if (run.Outcome == RunOutcome.AlreadyRunning)
            {
                await _inbox.ReleaseAsync(claimId, ids, cancellationToken).ConfigureAwait(false);
                return finished;
            }

            LogPulled(_logger, ids.Count, SyncKitTelemetry.TenantReference(tenantId), run.RunId, run.Outcome);
            return finished + await _inbox.CompleteAsync(claimId, ids, WebhookEventState.Processed, $"{run.Outcome} (run {run.RunId})", _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogPullFailed(_logger, ex, SyncKitTelemetry.TenantReference(tenantId));
            await _inbox.ReleaseAsync(claimId, ids, CancellationToken.None).ConfigureAwait(false);
            return finished;
        }
    }

    [LoggerMessage(2101, LogLevel.Information, "Ignored {Count} Xero webhook events of category {Category} for tenant {TenantTag}: {Reason}")]
    private static partial void LogIgnored(ILogger logger, int count, string category, string tenantTag, string reason);

    [LoggerMessage(2102, LogLevel.Information, "{Count} Xero webhook events for tenant {TenantTag} pulled by run {RunId}: {Outcome}.")]
    private static partial void LogPulled(ILogger logger, int count, string tenantTag, string runId, RunOutcome outcome);

    [LoggerMessage(2103, LogLevel.Error, "The pull of Xero webhook events for tenant {TenantTag} failed; the events are taken again on the next poll.")]
    private static partial void LogPullFailed(ILogger logger, Exception exception, string tenantTag);

    [LoggerMessage(2104, LogLevel.Information, "Reconciliation pull for tenant {TenantTag} ended {Outcome}: {Synced} applied.")]
    private static partial void LogReconciled(ILogger logger, string tenantTag, RunOutcome outcome, int synced);
}
