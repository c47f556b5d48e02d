using SyncKit.Inbound;
using SyncKit.Records;
using SyncKit.Runs;
using SyncKit.Settings;
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
        var settings = await _inbound.SettingsForAsync(request.TenantId, cancellationToken).ConfigureAwait(false);
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
                var pull = new PullExecutor(_services, _inbound, store, request.TenantId, executor.Counter, executor.AddProblem, settings, token, request.JobsFrom, request.JobsTo);
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
        if (record.State == InboundState.Conflict && record.HostId is { } hostId)
        {
            // Dismissing an asked conflict keeps the host's version: its held push goes.
            await ConflictHold.ReleaseAsync(_services, new Ledger.LedgerKey(tenantId, kind, hostId), cancellationToken).ConfigureAwait(false);
        }

        return dismissed;
    }

    public async Task<InboundRecord> LinkPulledPaymentAsync(string tenantId, string remoteId, string invoiceHostId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(invoiceHostId);
        var record = await PulledRecordOrThrowAsync(tenantId, RecordKind.Payment, remoteId, cancellationToken).ConfigureAwait(false);
        if (record.State is not (InboundState.NeedsReconciliation or InboundState.Dismissed))
        {
            throw new InvalidOperationException($"The pulled payment {remoteId} is {record.State}; only a payment on the reconciliation list (or dismissed) can be linked by hand.");
        }

        // Applied by the next payment pull, under the run lease, exactly once like any other import.
        var linked = record with { State = InboundState.Accepted, ParentHostId = invoiceHostId, Candidates = [], Message = $"Linked to invoice {invoiceHostId} by a user.", UpdatedAt = Time.GetUtcNow() };
        await InboundStoreOrThrow().SaveRecordAsync(linked, cancellationToken).ConfigureAwait(false);
        return linked;
    }

    public async Task<InboundRecord> ResolvePulledConflictAsync(string tenantId, RecordKind kind, string remoteId, bool takeLedgerVersion, CancellationToken cancellationToken = default)
    {
        var record = await PulledRecordOrThrowAsync(tenantId, kind, remoteId, cancellationToken).ConfigureAwait(false);
        if (record.State is not (InboundState.Conflict or InboundState.Deferred))
        {
            throw new InvalidOperationException($"The pulled {kind} {remoteId} is {record.State}, not a conflict.");
        }

        if (takeLedgerVersion && string.IsNullOrEmpty(record.PayloadJson))
        {
            throw new InvalidOperationException($"The pulled {kind} {remoteId} was recorded before pulled versions were kept; pull it again after it next changes in the ledger.");
        }

        var resolved = takeLedgerVersion
            ? record with { State = InboundState.Accepted, Message = "A user chose the ledger's version; the next pull applies it, then the host's record is pushed as it then stands.", UpdatedAt = Time.GetUtcNow() }
            : record with { State = InboundState.Dismissed, Message = "A user kept the host's version; its push goes in the next sync.", UpdatedAt = Time.GetUtcNow() };
        await InboundStoreOrThrow().SaveRecordAsync(resolved, cancellationToken).ConfigureAwait(false);
        if (!takeLedgerVersion && record.HostId is { } hostId)
        {
            // The host's version stands: the push the conflict held goes. (The ledger's version releases it once applied.)
            await ConflictHold.ReleaseAsync(_services, new Ledger.LedgerKey(tenantId, kind, hostId), cancellationToken).ConfigureAwait(false);
        }

        return resolved;
    }

    public async Task<TenantSettings> GetTenantSettingsAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        return await _inbound.SettingsForAsync(tenantId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<TenantSettings> SaveTenantSettingsAsync(TenantSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentException.ThrowIfNullOrWhiteSpace(settings.TenantId);
        var store = _inbound.Settings ?? throw new InvalidOperationException(
            "The registered storage keeps no tenant settings; use UseInMemoryStorage, UseSqliteStorage or UsePostgreSqlStorage, or register a TenantSettingsStore.");
        foreach (var (kind, fields) in settings.FieldConflictPolicies)
        {
            var known = PulledFields.For(kind);
            foreach (var (field, policy) in fields)
            {
                if (!known.Contains(field))
                {
                    throw new ArgumentException($"A pulled {kind} has no field '{field}'; its fields are: {string.Join(", ", known.Order(StringComparer.Ordinal))}.", nameof(settings));
                }

                if (!ConflictDecision.IsFieldPolicy(policy))
                {
                    throw new ArgumentException($"The field {kind}.{field} cannot be {policy} on its own: a field's policy is HostWins, LedgerWins or NewestWins (the kind's policy may be {policy}).", nameof(settings));
                }
            }
        }

        if (settings.MaxRoundingAdjustment < 0m)
        {
            throw new ArgumentException("MaxRoundingAdjustment cannot be negative.", nameof(settings));
        }

        var saved = settings with { UpdatedAt = Time.GetUtcNow() };
        await store.SaveAsync(saved, cancellationToken).ConfigureAwait(false);
        return saved;
    }

    private async Task<InboundRecord> PulledRecordOrThrowAsync(string tenantId, RecordKind kind, string remoteId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        ArgumentException.ThrowIfNullOrWhiteSpace(remoteId);
        var found = await InboundStoreOrThrow().GetRecordsAsync(tenantId, kind, [remoteId], cancellationToken).ConfigureAwait(false);
        return found.TryGetValue(remoteId, out var record)
            ? record
            : throw new InvalidOperationException($"No pulled {kind} {remoteId} is known for tenant {tenantId}.");
    }

    private InboundStore InboundStoreOrThrow() =>
        _inbound.Store ?? throw new InvalidOperationException(
            "The registered storage keeps no pull cursors or pulled records; use UseInMemoryStorage, UseSqliteStorage or UsePostgreSqlStorage, or register an InboundStore.");
}
