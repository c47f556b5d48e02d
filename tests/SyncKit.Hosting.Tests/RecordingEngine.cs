using System.Collections.Concurrent;
using SyncKit.Ledger;
using SyncKit.Mapping;
using SyncKit.Runs;
using SyncKit.Sources;
using SyncKit.Storage;

namespace SyncKit.Hosting.Tests;

/// <summary>What a call to <see cref="ISyncEngine.SyncAsync"/> did: when it was called, for which tenant, and how it ended.</summary>
internal sealed record ObservedRun(string TenantId, DateTimeOffset CalledAt, SyncRequest Request, SyncRun? Run, Exception? Exception);

/// <summary>
/// Wraps the real engine and reports each sync call as it ends, so a test can check what the background scheduler
/// asked for and when. It can also make the next calls throw, as a broken store would.
/// </summary>
internal sealed class RecordingEngine(ISyncEngine inner, TimeProvider time) : ISyncEngine
{
    private readonly List<ObservedRun> _untaken = [];
    private readonly ConcurrentQueue<ObservedRun> _all = new();
    private int _throwNext;

    /// <summary>Every sync call that has ended, in the order they ended.</summary>
    public IReadOnlyCollection<ObservedRun> All => _all;

    /// <summary>Makes the next <paramref name="count"/> sync calls throw before they reach the engine.</summary>
    public void ThrowNext(int count) => Interlocked.Add(ref _throwNext, count);

    /// <summary>Takes the oldest call for a tenant not taken yet.</summary>
    /// <summary>Takes the run of a tenant, named by its id or by its reference (as SyncKit's log lines name it).</summary>
    public ObservedRun Take(string tenantIdOrReference)
    {
        lock (_untaken)
        {
            var index = _untaken.FindIndex(r => r.TenantId == tenantIdOrReference || SyncKit.Telemetry.SyncKitTelemetry.TenantReference(r.TenantId) == tenantIdOrReference);
            var tenantId = tenantIdOrReference;
            Assert.True(index >= 0, $"The engine saw no sync call for {tenantId}.");
            var run = _untaken[index];
            _untaken.RemoveAt(index);
            return run;
        }
    }

    public async Task<SyncRun> SyncAsync(SyncRequest request, CancellationToken cancellationToken = default)
    {
        var calledAt = time.GetUtcNow();
        try
        {
            if (Interlocked.Decrement(ref _throwNext) >= 0)
            {
                throw new InvalidOperationException("The store is unavailable (injected by the test).");
            }

            Interlocked.Exchange(ref _throwNext, 0);
            var run = await inner.SyncAsync(request, cancellationToken);
            Report(new ObservedRun(request.TenantId, calledAt, request, run, null));
            return run;
        }
        catch (Exception ex)
        {
            Report(new ObservedRun(request.TenantId, calledAt, request, null, ex));
            throw;
        }
    }

    private void Report(ObservedRun observed)
    {
        _all.Enqueue(observed);
        lock (_untaken)
        {
            _untaken.Add(observed);
        }
    }

    public Task<RecordOutcome> SyncRecordAsync(LedgerKey key, string? requestedBy = null, CancellationToken cancellationToken = default) => inner.SyncRecordAsync(key, requestedBy, cancellationToken);

    public Task<SyncPreview> PreviewAsync(SyncRequest request, CancellationToken cancellationToken = default) => inner.PreviewAsync(request, cancellationToken);

    public Task<SyncRun> RetryAsync(RetryRequest request, CancellationToken cancellationToken = default) => inner.RetryAsync(request, cancellationToken);

    public Task<LedgerEntry> SkipAsync(LedgerKey key, string? reason = null, CancellationToken cancellationToken = default) => inner.SkipAsync(key, reason, cancellationToken);

    public Task<LedgerEntry> UnskipAsync(LedgerKey key, CancellationToken cancellationToken = default) => inner.UnskipAsync(key, cancellationToken);

    public Task<LedgerEntry> SendAsNewAsync(LedgerKey key, CancellationToken cancellationToken = default) => inner.SendAsNewAsync(key, cancellationToken);

    public Task<int> ReleaseAsync(IReadOnlyCollection<LedgerKey> keys, CancellationToken cancellationToken = default) => inner.ReleaseAsync(keys, cancellationToken);

    public Task<LedgerEntry> MarkResolvedAsync(LedgerKey key, string? remoteId = null, CancellationToken cancellationToken = default) => inner.MarkResolvedAsync(key, remoteId, cancellationToken);

    public Task<int> SetMappingAsync(string tenantId, MappingKind kind, string localKey, string remoteKey, CancellationToken cancellationToken = default) => inner.SetMappingAsync(tenantId, kind, localKey, remoteKey, cancellationToken);

    public Task PauseAsync(string tenantId, DateTimeOffset until, string? reason = null, CancellationToken cancellationToken = default) => inner.PauseAsync(tenantId, until, reason, cancellationToken);

    public Task ResumeAsync(string tenantId, CancellationToken cancellationToken = default) => inner.ResumeAsync(tenantId, cancellationToken);

    public Task<SyncStatus> GetStatusAsync(string tenantId, CancellationToken cancellationToken = default) => inner.GetStatusAsync(tenantId, cancellationToken);

    public Task<LedgerPage> QueryLedgerAsync(LedgerQuery query, CancellationToken cancellationToken = default) => inner.QueryLedgerAsync(query, cancellationToken);

    public Task<IReadOnlyList<SyncRun>> GetActivityAsync(string tenantId, int limit = 50, CancellationToken cancellationToken = default) => inner.GetActivityAsync(tenantId, limit, cancellationToken);

    public Task<SyncRun> PullAsync(SyncKit.Inbound.PullRequest request, CancellationToken cancellationToken = default) => inner.PullAsync(request, cancellationToken);

    public Task<IReadOnlyList<InboundRecord>> GetReconciliationListAsync(string tenantId, int limit = 100, CancellationToken cancellationToken = default) => inner.GetReconciliationListAsync(tenantId, limit, cancellationToken);

    public Task<InboundRecord> DismissPulledAsync(string tenantId, Records.RecordKind kind, string remoteId, CancellationToken cancellationToken = default) => inner.DismissPulledAsync(tenantId, kind, remoteId, cancellationToken);

    public Task<InboundRecord> LinkPulledPaymentAsync(string tenantId, string remoteId, string invoiceHostId, CancellationToken cancellationToken = default) => inner.LinkPulledPaymentAsync(tenantId, remoteId, invoiceHostId, cancellationToken);

    public Task<InboundRecord> ResolvePulledConflictAsync(string tenantId, Records.RecordKind kind, string remoteId, bool takeLedgerVersion, CancellationToken cancellationToken = default) => inner.ResolvePulledConflictAsync(tenantId, kind, remoteId, takeLedgerVersion, cancellationToken);

    public Task<Settings.TenantSettings> GetTenantSettingsAsync(string tenantId, CancellationToken cancellationToken = default) => inner.GetTenantSettingsAsync(tenantId, cancellationToken);

    public Task<Settings.TenantSettings> SaveTenantSettingsAsync(Settings.TenantSettings settings, CancellationToken cancellationToken = default) => inner.SaveTenantSettingsAsync(settings, cancellationToken);
}
