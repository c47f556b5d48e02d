using SyncKit.Inbound;
using SyncKit.Records;
using SyncKit.Runs;
using SyncKit.Storage;

namespace SyncKit.Engine;

/// <summary>The inbound direction: pulls run under the same lease, activity log, error rules and rate governor as pushes.</summary>
internal sealed partial class SyncEngine
{
    public async Task<SyncRun> PullAsync(PullRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.TenantId);
        var store = InboundStoreOrThrow();
        var targeted = request.RemoteIds?.Where(p => p.Value.Count > 0).ToDictionary(p => p.Key, p => p.Value) ?? [];
        // A targeted pull with no kinds of its own pulls only its records (Sort would read an empty list as every kind).
        IReadOnlyList<RecordKind> kinds = request.Kinds.Count == 0 && targeted.Count > 0 ? [] : RecordKindOrder.Sort(request.Kinds.Count == 0 ? _inbound.TargetKinds : request.Kinds);
        var run = NewRun(request.TenantId, request.Trigger, request.RequestedBy, RecordKindOrder.Sort(kinds.Union(targeted.Keys)), recordKey: null);

        // The tenant's one run lease (scope "sync"), shared with pushes: a pull never runs beside a push of the same tenant,
        // so a record InFlight is never overwritten and the tenant's call budget is spent by one run at a time.
        var result = await RunAsync(
            run,
            async (executor, token) =>
            {
                var pull = new PullExecutor(_services, _inbound, store, request.TenantId, executor.Counter, executor.AddProblem, token);
                await pull.PullRecordsAsync(targeted).ConfigureAwait(false);
                await pull.PullKindsAsync(kinds).ConfigureAwait(false);
            },
            force: false,
            loadReferenceData: false,
            cancellationToken).ConfigureAwait(false);
        if (result.Outcome != RunOutcome.AlreadyRunning)
        {
            // The run log has no direction column yet: the message says it was a pull.
            var labelled = result with { Message = result.Message is null ? "Pull" : "Pull: " + result.Message };
            await _services.Runs.SaveAsync(labelled, CancellationToken.None).ConfigureAwait(false);
            return labelled;
        }

        // Every requested run is in the activity log, refused ones included (FYI shows them): under its own id, naming the run under way.
        var refused = run with
        {
            Outcome = RunOutcome.AlreadyRunning,
            CompletedAt = Time.GetUtcNow(),
            Message = $"Pull: a sync is already running for this tenant (run {result.RunId}); this request was not started.",
        };
        await _services.Runs.SaveAsync(refused, CancellationToken.None).ConfigureAwait(false);
        return refused;
    }

    public Task<IReadOnlyList<InboundRecord>> GetReconciliationListAsync(string tenantId, int limit = 100, CancellationToken cancellationToken = default) =>
        InboundStoreOrThrow().ListRecordsAsync(tenantId, [InboundState.NeedsReconciliation, InboundState.Conflict], limit, null, cancellationToken);

    public async Task<InboundRecord> DismissPulledAsync(string tenantId, RecordKind kind, string remoteId, CancellationToken cancellationToken = default)
    {
        var store = InboundStoreOrThrow();
        var found = await store.GetRecordsAsync(tenantId, kind, [remoteId], cancellationToken).ConfigureAwait(false);
        if (!found.TryGetValue(remoteId, out var record))
        {
            throw new InvalidOperationException($"No pulled {kind} {remoteId} is known for tenant {tenantId}.");
        }

        if (record.State is InboundState.Applied or InboundState.Applying)
        {
            throw new InvalidOperationException($"The pulled {kind} {remoteId} is already in the host ({record.HostId}); it cannot be dismissed.");
        }

        var dismissed = record with { State = InboundState.Dismissed, Message = "Dismissed by a user.", UpdatedAt = Time.GetUtcNow() };
        await store.SaveRecordAsync(dismissed, cancellationToken).ConfigureAwait(false);
        return dismissed;
    }

    private InboundStore InboundStoreOrThrow() =>
        _inbound.Store ?? throw new InvalidOperationException(
            "The registered storage keeps no pull cursors or pulled records; use UseInMemoryStorage, UseSqliteStorage or UsePostgreSqlStorage, or register an InboundStore.");
}
