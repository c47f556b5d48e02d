using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SyncKit.AspNetCore.Dashboard;

/// <summary>The dashboard's action log: every action is logged, kept (the latest ones) for the Activity page and handed to the host.</summary>
internal sealed class DashboardActionLog
{
    private const int Kept = 200;
    private readonly ConcurrentQueue<DashboardAction> _recent = new();
    private readonly ILogger<DashboardActionLog> _logger;

    public DashboardActionLog(ILogger<DashboardActionLog> logger) => _logger = logger;

    public async ValueTask WriteAsync(DashboardAction action, SyncKitDashboardOptions options, CancellationToken cancellationToken)
    {
        _recent.Enqueue(action);
        while (_recent.Count > Kept && _recent.TryDequeue(out _))
        {
        }

        DashboardLog.Action(_logger, action.User, action.Permission, action.TenantId, action.Target, action.Allowed, action.Result);
        if (options.OnAction is { } onAction)
        {
            await onAction(action, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A tenant's latest actions, newest first.</summary>
    public IReadOnlyList<DashboardAction> Recent(string tenantId, int limit) =>
        _recent.Where(a => a.TenantId == tenantId).Reverse().Take(limit).ToList();
}
