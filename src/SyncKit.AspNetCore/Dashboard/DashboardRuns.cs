using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SyncKit.AspNetCore.Dashboard;

/// <summary>
/// Runs the dashboard starts (Sync All, retry) in the background, so the page answers at once; a tenant with one of them
/// under way shows it as under way from the moment the button is pressed, before the run has taken its lease.
/// </summary>
internal sealed class DashboardRuns : IDisposable
{
    private readonly ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ILogger<DashboardRuns> _logger;

    public DashboardRuns(IHostApplicationLifetime lifetime, ILogger<DashboardRuns> logger)
    {
        _logger = logger;
        lifetime.ApplicationStopping.Register(_stopping.Cancel);
    }

    public bool IsRunning(string tenantId) => _running.TryGetValue(tenantId, out var task) && !task.IsCompleted;

    /// <summary>Starts a run unless one the dashboard started is still under way; false when one is.</summary>
    public bool TryStart(string tenantId, Func<CancellationToken, Task> run)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var task = gate.Task.ContinueWith(_ => RunAsync(tenantId, run), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
        while (true)
        {
            if (_running.TryGetValue(tenantId, out var existing))
            {
                if (!existing.IsCompleted)
                {
                    return false;
                }

                if (!_running.TryUpdate(tenantId, task, existing))
                {
                    continue;
                }
            }
            else if (!_running.TryAdd(tenantId, task))
            {
                continue;
            }

            gate.SetResult();
            return true;
        }
    }

    private async Task RunAsync(string tenantId, Func<CancellationToken, Task> run)
    {
        try
        {
            await run(_stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Shutdown: the engine leaves unsent records Pending.
        }
#pragma warning disable CA1031 // A background run must not bring the process down; its failure is logged and the run log has the outcome.
        catch (Exception e)
#pragma warning restore CA1031
        {
            DashboardLog.RunCrashed(_logger, tenantId, e);
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }
}
