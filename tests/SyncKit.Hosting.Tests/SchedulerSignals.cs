using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace SyncKit.Hosting.Tests;

/// <summary>
/// A logger provider that reports each scheduled run the scheduler has finished with (its last log line for a run,
/// written once the tenant is free again), so tests await the background loop instead of sleeping. Log lines name a
/// tenant by its reference (<see cref="SyncKit.Telemetry.SyncKitTelemetry.TenantReference"/>), and so do these signals.
/// </summary>
internal sealed class SchedulerSignals : ILoggerProvider
{
    private static readonly string s_category = typeof(ScheduledSyncService).FullName!;
    private readonly Channel<(int EventId, string TenantId)> _finished = Channel.CreateUnbounded<(int, string)>();
    private readonly Channel<(string TenantId, string Reason)> _skipped = Channel.CreateUnbounded<(string, string)>();

    /// <summary>Waits for the scheduler to finish with its next run (hang protection only: 30 seconds).</summary>
    public async Task<(int EventId, string TenantId)> NextAsync() =>
        await _finished.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

    /// <summary>Waits for the scheduler to skip a tenant (hang protection only: 30 seconds).</summary>
    public async Task<(string TenantId, string Reason)> NextSkipAsync() =>
        await _skipped.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

    public ILogger CreateLogger(string categoryName) => categoryName == s_category ? new Logger(this) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public void Dispose()
    {
    }

    private sealed class Logger(SchedulerSignals owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // 1007 ended, 1008 not completed, 1009 already running, 1010 cancelled, 1011 threw.
            if (eventId.Id is >= 1007 and <= 1011
                && state is IReadOnlyList<KeyValuePair<string, object?>> values
                && values.FirstOrDefault(v => v.Key == "TenantTag").Value is string tenantId)
            {
                owner._finished.Writer.TryWrite((eventId.Id, tenantId));
            }
            else if (eventId.Id == 1006
                && state is IReadOnlyList<KeyValuePair<string, object?>> skip
                && skip.FirstOrDefault(v => v.Key == "TenantTag").Value is string skippedId)
            {
                owner._skipped.Writer.TryWrite((skippedId, skip.FirstOrDefault(v => v.Key == "Reason").Value as string ?? string.Empty));
            }
        }
    }
}
