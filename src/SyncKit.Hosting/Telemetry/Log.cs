using Microsoft.Extensions.Logging;
using SyncKit.Runs;

namespace SyncKit.Hosting.Telemetry;

internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Information, "Scheduled sync started on node {Node}: every {Every}, first cycle at {FirstCycle:O}, at most {MaxConcurrent} tenants at once.")]
    public static partial void SchedulerStarted(ILogger logger, string node, TimeSpan every, DateTimeOffset firstCycle, int maxConcurrent);

    [LoggerMessage(1002, LogLevel.Information, "Scheduled sync stopped.")]
    public static partial void SchedulerStopped(ILogger logger);

    [LoggerMessage(1003, LogLevel.Debug, "Scheduler node {Node} claimed {Count} due tenants at {Now:O}.")]
    public static partial void Claimed(ILogger logger, string node, int count, DateTimeOffset now);

    [LoggerMessage(1004, LogLevel.Error, "The scheduler could not read the tenants or the rota at {Now:O}; it tries again shortly.")]
    public static partial void ListFailed(ILogger logger, Exception exception, DateTimeOffset now);

    [LoggerMessage(1005, LogLevel.Warning, "Tenant {TenantTag} skipped {Skipped} scheduled times it was too late for (its run went on, or the host was suspended or overloaded).")]
    public static partial void SlotsSkipped(ILogger logger, string tenantTag, long skipped);

    [LoggerMessage(1006, LogLevel.Debug, "Scheduled sync skipped tenant {TenantTag}: {Reason}.")]
    public static partial void TenantSkipped(ILogger logger, string tenantTag, string reason);

    [LoggerMessage(1007, LogLevel.Information, "Scheduled run {RunId} for tenant {TenantTag} ended {Outcome}: {Synced} synced, {Failed} failed.")]
    public static partial void RunEnded(ILogger logger, string runId, string tenantTag, RunOutcome outcome, int synced, int failed);

    [LoggerMessage(1008, LogLevel.Warning, "Scheduled run {RunId} for tenant {TenantTag} ended {Outcome}: {Message} The schedule continues.")]
    public static partial void RunNotCompleted(ILogger logger, string runId, string tenantTag, RunOutcome outcome, string? message);

    [LoggerMessage(1009, LogLevel.Debug, "Scheduled run for tenant {TenantTag} not needed: run {RunId} is already under way.")]
    public static partial void AlreadyRunning(ILogger logger, string tenantTag, string runId);

    [LoggerMessage(1010, LogLevel.Information, "Scheduled run for tenant {TenantTag} was cancelled by shutdown; records not sent stay Pending.")]
    public static partial void RunCancelled(ILogger logger, string tenantTag);

    [LoggerMessage(1011, LogLevel.Error, "Scheduled run for tenant {TenantTag} threw; the schedule continues.")]
    public static partial void RunThrew(ILogger logger, Exception exception, string tenantTag);

    [LoggerMessage(1013, LogLevel.Error, "The scheduler's pass at {Now:O} failed; the schedule continues.")]
    public static partial void CycleFailed(ILogger logger, Exception exception, DateTimeOffset now);

    [LoggerMessage(1017, LogLevel.Debug, "Scheduler node {Node} waits until {WakeAt:O} or until one of its runs ends.")]
    public static partial void Waiting(ILogger logger, string node, DateTimeOffset wakeAt);

    [LoggerMessage(1018, LogLevel.Debug, "Scheduler node {Node} reads the rota.")]
    public static partial void Pass(ILogger logger, string node);

    [LoggerMessage(1015, LogLevel.Warning, "Scheduler node {Node} lost its claim on tenant {TenantTag}'s run (it ran out and another node took it); the engine's lease still keeps one run at a time.")]
    public static partial void ClaimLost(ILogger logger, string node, string tenantTag);

    [LoggerMessage(1016, LogLevel.Error, "Scheduler node {Node} could not record tenant {TenantTag}'s scheduled run in the store; its claim runs out and another node takes the tenant.")]
    public static partial void RotaWriteFailed(ILogger logger, Exception exception, string node, string tenantTag);

    [LoggerMessage(1014, LogLevel.Error, "The scheduler could not read tenant {TenantTag}; it tries again next cycle.")]
    public static partial void TenantReadFailed(ILogger logger, Exception exception, string tenantTag);

    [LoggerMessage(1012, LogLevel.Error, "The health check could not read tenant {TenantTag}.")]
    public static partial void HealthReadFailed(ILogger logger, Exception exception, string tenantTag);
}
