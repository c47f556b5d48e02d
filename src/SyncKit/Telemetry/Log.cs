using Microsoft.Extensions.Logging;
using SyncKit.Records;
using SyncKit.Runs;

namespace SyncKit.Telemetry;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Run {RunId} started for tenant {TenantTag} ({Trigger}).")]
    public static partial void RunStarted(ILogger logger, string runId, string tenantTag, SyncTrigger trigger);

    [LoggerMessage(2, LogLevel.Information, "Run {RunId} ended {Outcome}: {Synced} synced, {Failed} failed, {Unchanged} unchanged, {Calls} calls.")]
    public static partial void RunEnded(ILogger logger, string runId, RunOutcome outcome, int synced, int failed, int unchanged, int calls);

    [LoggerMessage(40, LogLevel.Information, "Run {RunId} not started: {Message}")]
    public static partial void RunRefused(ILogger logger, string runId, string message);

    [LoggerMessage(3, LogLevel.Information, "Run for tenant {TenantTag} not started: run {RunId} is already under way.")]
    public static partial void AlreadyRunning(ILogger logger, string tenantTag, string runId);

    [LoggerMessage(4, LogLevel.Warning, "Run {RunId} stopped: {Outcome}. {Message}")]
    public static partial void RunStopped(ILogger logger, string runId, RunOutcome outcome, string? message);

    [LoggerMessage(5, LogLevel.Error, "Run {RunId} failed unexpectedly.")]
    public static partial void RunFailed(ILogger logger, Exception exception, string runId);

    [LoggerMessage(6, LogLevel.Warning, "A push of {Count} {Kind} records threw; the records are Uncertain and will be reconciled.")]
    public static partial void PushThrew(ILogger logger, Exception exception, int count, RecordKind kind);

    [LoggerMessage(7, LogLevel.Warning, "The source's outcome callback for {Kind} threw; the ledger is unaffected.")]
    public static partial void OutcomeCallbackFailed(ILogger logger, Exception exception, RecordKind kind);

    [LoggerMessage(8, LogLevel.Debug, "Pushed {Count} {Kind} records in {Seconds:0.000}s.")]
    public static partial void Pushed(ILogger logger, int count, RecordKind kind, double seconds);

    [LoggerMessage(10, LogLevel.Warning, "A {Kind} source yielded {Count} records without a SourceId; they are on the error tab under one entry.")]
    public static partial void RecordWithoutId(ILogger logger, RecordKind kind, int count);

    [LoggerMessage(11, LogLevel.Warning, "The {Kind} source failed while reading; the kind stops for this run, other kinds go on.")]
    public static partial void SourceStreamFailed(ILogger logger, Exception exception, RecordKind kind);

    [LoggerMessage(12, LogLevel.Warning, "The {Kind} source failed to read one record; it is failed on the error tab, the run goes on.")]
    public static partial void SourceReadFailed(ILogger logger, Exception exception, RecordKind kind);

    [LoggerMessage(13, LogLevel.Warning, "Preparing a {Kind} record threw; the record fails alone.")]
    public static partial void PreparationThrew(ILogger logger, Exception exception, RecordKind kind);

    [LoggerMessage(14, LogLevel.Warning, "Run {RunId} could not renew its lease; it stops so that no other node's run overlaps it.")]
    public static partial void LeaseLost(ILogger logger, string runId);

    [LoggerMessage(15, LogLevel.Debug, "Renewing the lease of run {RunId} failed; trying again at the next beat.")]
    public static partial void LeaseRenewalFailed(ILogger logger, Exception exception, string runId);

    [LoggerMessage(9, LogLevel.Warning, "{Count} ledger entries changed under run {RunId} (another writer); they are left for the next run.")]
    public static partial void Conflicts(ILogger logger, int count, string runId);

    [LoggerMessage(16, LogLevel.Warning, "After the run stopped, {Count} new ledger entries could not be recorded as Pending; the next run sees them as new.")]
    public static partial void ObserveAfterStopFailed(ILogger logger, Exception exception, int count);
}
