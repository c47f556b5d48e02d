using Microsoft.Extensions.Logging;
using SyncKit.Authorization;

namespace SyncKit.AspNetCore.Dashboard;

/// <summary>The dashboard's log messages (event ids 3100–3199).</summary>
internal static partial class DashboardLog
{
    [LoggerMessage(EventId = 3100, Level = LogLevel.Information, Message = "Dashboard action by {User}: {Permission} on tenant {TenantId} ({Target}); allowed: {Allowed}. {Result}")]
    public static partial void Action(ILogger logger, string user, SyncPermission permission, string tenantId, string target, bool allowed, string? result);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Error, Message = "A run the dashboard started for tenant {TenantId} ended with an error.")]
    public static partial void RunCrashed(ILogger logger, string tenantId, Exception exception);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Critical, Message = "The sync dashboard cannot start; the application stops.")]
    public static partial void RefusedToStart(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "The live reference data of tenant {TenantId} could not be read; the mappings editor shows the cached copy.")]
    public static partial void ReferenceDataUnavailable(ILogger logger, string tenantId, Exception exception);
}
