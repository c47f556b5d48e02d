using Microsoft.Extensions.Logging;
using SyncKit.Storage;
using SyncKit.Telemetry;

namespace SyncKit.Engine;

/// <summary>
/// Keeps a run's tenant lease alive while the run lives, renewing it every third of its length, so a short lease
/// hands a dead node's tenant on quickly while a slow live run (one write held for minutes) is never taken for dead.
/// When the lease cannot be renewed before it lapses, <see cref="Lost"/> is cancelled and the run stops.
/// </summary>
internal sealed class LeaseHeartbeat : IAsyncDisposable
{
    private readonly TenantStore _tenants;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _duration;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _lost = new();
    private readonly Task _loop;
    private SyncLease _lease;

    public LeaseHeartbeat(TenantStore tenants, SyncLease lease, TimeSpan duration, TimeProvider time, ILogger logger)
    {
        _tenants = tenants;
        _lease = lease;
        _duration = duration;
        _time = time;
        _logger = logger;
        _loop = Task.Run(BeatAsync);
    }

    /// <summary>Cancelled when the lease lapsed or another node holds it.</summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>The lease as last renewed (release it with this).</summary>
    public SyncLease Current => Volatile.Read(ref _lease);

    private async Task BeatAsync()
    {
        var period = _duration / 3;
        while (!_stop.IsCancellationRequested)
        {
            // Beat a third of a lease after the last renewal, not a third after this line runs: a beat that starts
            // late (a busy pool, a clock that jumped) renews at once instead of drifting towards the expiry.
            var wait = Current.ExpiresAt - _duration + period - _time.GetUtcNow();
            try
            {
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _time, _stop.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var current = Current;
            var renewed = current with { ExpiresAt = _time.GetUtcNow() + _duration };
            try
            {
                if (await _tenants.RenewLeaseAsync(renewed, _stop.Token).ConfigureAwait(false))
                {
                    Volatile.Write(ref _lease, renewed);
                    continue;
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A store hiccup: try again at the next beat, unless the lease runs out first.
                Log.LeaseRenewalFailed(_logger, ex, current.RunId);
                if (_time.GetUtcNow() + period < current.ExpiresAt)
                {
                    continue;
                }
            }

            Log.LeaseLost(_logger, current.RunId);
            await _lost.CancelAsync().ConfigureAwait(false);
            return;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
        _lost.Dispose();
    }
}
