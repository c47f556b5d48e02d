using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SyncKit.AspNetCore.Webhooks;

/// <summary>Drains the webhook inbox every poll interval, and runs the reconciliation pull on its period.</summary>
internal sealed partial class WebhookBackgroundService(XeroWebhookProcessor processor, IOptionsMonitor<XeroWebhookOptions> options, TimeProvider time, ILogger<WebhookBackgroundService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The first reconciliation waits a period: a host starting up has its scheduled sync and webhooks to serve first.
        var nextReconcile = time.GetUtcNow() + options.CurrentValue.ReconcileEvery;
        while (!stoppingToken.IsCancellationRequested)
        {
            var settings = options.CurrentValue;
            try
            {
                await processor.ProcessDueAsync(stoppingToken).ConfigureAwait(false);
                if (settings.ReconcileEvery > TimeSpan.Zero && time.GetUtcNow() >= nextReconcile)
                {
                    nextReconcile = time.GetUtcNow() + settings.ReconcileEvery;
                    await processor.ReconcileAsync(stoppingToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogPassFailed(logger, ex);
            }

            try
            {
                await Task.Delay(settings.PollInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(2201, LogLevel.Error, "A pass of the Xero webhook processor failed; it tries again next poll.")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
