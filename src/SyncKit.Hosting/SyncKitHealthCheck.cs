using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SyncKit.Hosting.Telemetry;
using SyncKit.Ledger;
using SyncKit.Storage;
using SyncKit.Telemetry;

namespace SyncKit.Hosting;

/// <summary>
/// Healthy when every tenant is connected, not paused and under the failed-record threshold; Degraded when a
/// tenant is paused or over the threshold; the registration's failure status (Unhealthy) when a tenant is disconnected.
/// </summary>
internal sealed class SyncKitHealthCheck : IHealthCheck
{
    private readonly ISyncEngine _engine;
    private readonly TenantStore _tenants;
    private readonly IOptionsMonitor<SyncKitHealthCheckOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    private readonly WebhookInbox? _webhooks;

    public SyncKitHealthCheck(ISyncEngine engine, TenantStore tenants, IOptionsMonitor<SyncKitHealthCheckOptions> options, TimeProvider time, ILogger logger, WebhookInbox? webhooks = null)
    {
        _webhooks = webhooks;
        _engine = engine;
        _tenants = tenants;
        _options = options;
        _time = time;
        _logger = logger;
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = _options.Get(context.Registration.Name);
        var tenants = await _tenants.ListAsync(cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var problems = new List<(HealthStatus Status, string Text)>();
        var worst = HealthStatus.Healthy;
        foreach (var tenant in tenants.Where(t => options.TenantFilter?.Invoke(t) ?? true))
        {
            var (status, reasons, details) = await CheckTenantAsync(tenant, options, context.Registration.FailureStatus, now, cancellationToken).ConfigureAwait(false);
            data[tenant.TenantId] = details;
            if (status != HealthStatus.Healthy)
            {
                problems.Add((status, $"{Label(tenant)}: {string.Join("; ", reasons)}"));
                worst = status < worst ? status : worst;
            }
        }

        if (options.WebhooksQuietAfter is { } quiet && _webhooks is not null && data.Count > 0)
        {
            // Xero disables a webhook after a day of failed deliveries and says nothing: silence is the only sign.
            var last = await _webhooks.GetLastReceivedAsync(null, cancellationToken).ConfigureAwait(false);
            if (last is null || now - last > quiet)
            {
                var since = last is { } l ? "since " + l.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "yet";
                problems.Add((HealthStatus.Degraded, $"No Xero webhook received {since}: check the app's webhook in the Xero developer portal (Xero disables it after 24 hours of failed deliveries); reconciliation pulls keep data in step meanwhile"));
                worst = worst < HealthStatus.Degraded ? worst : HealthStatus.Degraded;
            }

            if (last is { } received)
            {
                data["webhooksLastReceivedAt"] = received;
            }
        }

        if (problems.Count == 0)
        {
            return HealthCheckResult.Healthy(
                data.Count == 0 ? "No SyncKit tenants yet." : $"All {data.Count} SyncKit tenants are connected and syncing.",
                data);
        }

        var named = problems.OrderBy(p => p.Status).Take(options.MaxTenantsInDescription).Select(p => p.Text).ToList();
        var description = string.Join(" | ", named)
            + (problems.Count > named.Count ? $" | and {problems.Count - named.Count} more tenants with problems." : string.Empty);
        return new HealthCheckResult(worst, description, exception: null, data);
    }

    private async Task<(HealthStatus Status, List<string> Reasons, IReadOnlyDictionary<string, object> Details)> CheckTenantAsync(
        TenantState tenant,
        SyncKitHealthCheckOptions options,
        HealthStatus failureStatus,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var reasons = new List<string>();
        var status = HealthStatus.Healthy;
        var details = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["connection"] = tenant.Connection.ToString(),
        };
        if (tenant.Name is { } name)
        {
            details["name"] = name;
        }

        if (tenant.Connection == ConnectionState.Disconnected)
        {
            status = failureStatus;
            reasons.Add("Disconnected: reconnect Xero");
            if (tenant.ConnectionMessage is { } message)
            {
                details["connectionMessage"] = message;
            }
        }

        if (tenant.PausedUntil is { } until && until > now)
        {
            status = Worse(status, HealthStatus.Degraded);
            reasons.Add("Sync paused until " + until.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
            details["pausedUntil"] = until;
            if (tenant.PauseReason is { } pauseReason)
            {
                details["pauseReason"] = pauseReason;
            }
        }

        try
        {
            var syncStatus = await _engine.GetStatusAsync(tenant.TenantId, cancellationToken).ConfigureAwait(false);
            var failed = syncStatus.Counts.ByState.GetValueOrDefault(LedgerState.Failed);
            details["failedRecords"] = failed;
            if (syncStatus.RunningRunId is { } runId)
            {
                details["runningRunId"] = runId;
            }

            if (syncStatus.LastRun is { } last)
            {
                details["lastRunOutcome"] = last.Outcome.ToString();
                details["lastRunStartedAt"] = last.StartedAt;
            }

            if (failed >= options.FailedRecordThreshold)
            {
                status = Worse(status, HealthStatus.Degraded);
                reasons.Add(string.Create(CultureInfo.InvariantCulture, $"{failed} failed records (threshold {options.FailedRecordThreshold})"));
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.HealthReadFailed(_logger, ex, SyncKitTelemetry.TenantReference(tenant.TenantId));
            status = Worse(status, HealthStatus.Degraded);
            reasons.Add($"status could not be read ({ex.GetType().Name})");
        }

        details["status"] = status.ToString();
        if (reasons.Count > 0)
        {
            details["reason"] = string.Join("; ", reasons);
        }

        return (status, reasons, details);
    }

    private static HealthStatus Worse(HealthStatus a, HealthStatus b) => a < b ? a : b;

    private static string Label(TenantState tenant) => tenant.Name is { Length: > 0 } name ? $"{name} ({tenant.TenantId})" : tenant.TenantId;
}
