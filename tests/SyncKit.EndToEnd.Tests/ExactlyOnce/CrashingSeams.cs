using System.Runtime.CompilerServices;
using SyncKit.Connectors;
using SyncKit.Ledger;
using SyncKit.Records;
using SyncKit.Runs;
using SyncKit.Sources;
using SyncKit.Storage;

namespace SyncKit.EndToEnd.Tests.ExactlyOnce;

/// <summary>The ledger as one node sees it: the shared store, unless the node is dead.</summary>
internal sealed class CrashingLedgerStore(LedgerStore inner, NodeLife life) : LedgerStore
{
    public override async Task<LedgerEntry?> GetAsync(LedgerKey key, CancellationToken cancellationToken = default)
    {
        life.Guard("LedgerStore.GetAsync");
        life.Passed();
        return await inner.GetAsync(key, cancellationToken);
    }

    public override async Task<IReadOnlyDictionary<string, LedgerEntry>> GetManyAsync(string tenantId, RecordKind kind, IReadOnlyCollection<string> sourceIds, CancellationToken cancellationToken = default)
    {
        life.Guard("LedgerStore.GetManyAsync");
        life.Passed();
        return await inner.GetManyAsync(tenantId, kind, sourceIds, cancellationToken);
    }

    public override async Task<IReadOnlyList<LedgerKey>> SaveAsync(IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken = default)
    {
        life.Guard("LedgerStore.SaveAsync");
        life.Passed();
        var conflicts = await inner.SaveAsync(entries, cancellationToken);
        life.AfterLedgerSave(entries);
        return conflicts;
    }

    public override async Task<LedgerPage> QueryAsync(LedgerQuery query, CancellationToken cancellationToken = default)
    {
        life.Guard("LedgerStore.QueryAsync");
        life.Passed();
        return await inner.QueryAsync(query, cancellationToken);
    }

    public override async Task<IReadOnlyDictionary<string, LedgerKey>> FindOwnersAsync(string tenantId, RecordKind kind, IReadOnlyCollection<string> remoteIds, CancellationToken cancellationToken = default)
    {
        life.Guard("LedgerStore.FindOwnersAsync");
        life.Passed();
        return await inner.FindOwnersAsync(tenantId, kind, remoteIds, cancellationToken);
    }

    public override async Task AcknowledgeOutcomesAsync(IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken = default)
    {
        life.Guard("LedgerStore.AcknowledgeOutcomesAsync");
        life.Passed();
        await inner.AcknowledgeOutcomesAsync(entries, cancellationToken);
    }

    public override async Task<LedgerCounts> CountAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        life.Guard("LedgerStore.CountAsync");
        life.Passed();
        return await inner.CountAsync(tenantId, cancellationToken);
    }
}

/// <summary>Tenant state and leases as one node sees them: a dead node neither renews nor releases its lease.</summary>
internal sealed class CrashingTenantStore(TenantStore inner, NodeLife life) : TenantStore
{
    public override async Task<TenantState?> GetAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        life.Guard("TenantStore.GetAsync");
        life.Passed();
        return await inner.GetAsync(tenantId, cancellationToken);
    }

    public override async Task SaveAsync(TenantState state, CancellationToken cancellationToken = default)
    {
        life.Guard("TenantStore.SaveAsync");
        life.Passed();
        await inner.SaveAsync(state, cancellationToken);
    }

    public override async Task<IReadOnlyList<TenantState>> ListAsync(CancellationToken cancellationToken = default)
    {
        life.Guard("TenantStore.ListAsync");
        life.Passed();
        return await inner.ListAsync(cancellationToken);
    }

    public override async Task<SyncLease> TryAcquireLeaseAsync(SyncLease lease, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        life.Guard("TenantStore.TryAcquireLeaseAsync");
        life.Passed();
        return await inner.TryAcquireLeaseAsync(lease, now, cancellationToken);
    }

    public override async Task<bool> RenewLeaseAsync(SyncLease lease, CancellationToken cancellationToken = default)
    {
        life.Guard("TenantStore.RenewLeaseAsync");
        life.Passed();
        return await inner.RenewLeaseAsync(lease, cancellationToken);
    }

    public override async Task ReleaseLeaseAsync(SyncLease lease, CancellationToken cancellationToken = default)
    {
        life.Guard("TenantStore.ReleaseLeaseAsync");
        life.Passed();
        await inner.ReleaseLeaseAsync(lease, cancellationToken);
    }

    public override async Task<SyncLease?> GetLeaseAsync(string tenantId, string scope, CancellationToken cancellationToken = default)
    {
        life.Guard("TenantStore.GetLeaseAsync");
        life.Passed();
        return await inner.GetLeaseAsync(tenantId, scope, cancellationToken);
    }
}

/// <summary>The activity log as one node sees it: a dead node's run is never finished.</summary>
internal sealed class CrashingRunLog(RunLog inner, NodeLife life) : RunLog
{
    public override async Task SaveAsync(SyncRun run, CancellationToken cancellationToken = default)
    {
        life.Guard("RunLog.SaveAsync");
        life.Passed();
        await inner.SaveAsync(run, cancellationToken);
    }

    public override async Task<SyncRun?> GetAsync(string runId, CancellationToken cancellationToken = default)
    {
        life.Guard("RunLog.GetAsync");
        life.Passed();
        return await inner.GetAsync(runId, cancellationToken);
    }

    public override async Task<IReadOnlyList<SyncRun>> ListAsync(string tenantId, int limit, DateTimeOffset? startedBefore = null, CancellationToken cancellationToken = default)
    {
        life.Guard("RunLog.ListAsync");
        life.Passed();
        return await inner.ListAsync(tenantId, limit, startedBefore, cancellationToken);
    }
}

/// <summary>The connector as one node sees it: Xero is shared; a dead node sends nothing more and hears no answer.</summary>
internal sealed class CrashingConnector(LedgerConnector inner, NodeLife life) : LedgerConnector
{
    public override string Name => inner.Name;

    public override bool Supports(RecordKind kind) => inner.Supports(kind);

    public override int MaxBatchSize(RecordKind kind) => inner.MaxBatchSize(kind);

    public override async Task<ReferenceData> LoadReferenceDataAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        life.Guard("LedgerConnector.LoadReferenceDataAsync");
        life.Passed();
        return await inner.LoadReferenceDataAsync(tenantId, cancellationToken);
    }

    public override async Task<PushResult> PushAsync(PushBatch batch, CancellationToken cancellationToken = default)
    {
        life.Guard("LedgerConnector.PushAsync");
        life.Passed();
        var diesBeforeAnswer = life.DiesAtPush(batch, CrashStep.AfterSendBeforeAnswer);
        var diesBeforeSettle = life.DiesAtPush(batch, CrashStep.AfterAnswerBeforeSettle);
        var result = await inner.PushAsync(batch, cancellationToken);
        if (diesBeforeAnswer && life.Trip($"after sending {batch.Elements.Count} {batch.Kind} element(s) ({string.Join(", ", batch.Elements.Select(e => e.Key.SourceId))}), before the answer"))
        {
            throw new NodeCrashedException(life.NodeId, "LedgerConnector.PushAsync (Xero committed; the answer was never read)");
        }

        if (diesBeforeSettle)
        {
            // The answer reaches the engine, but the node is dead: the settle save that follows is refused.
            life.Trip($"after the answer to {batch.Elements.Count} {batch.Kind} element(s) ({string.Join(", ", batch.Elements.Select(e => e.Key.SourceId))}), before the settle save");
        }

        return result;
    }

    public override async Task<IReadOnlyList<RemoteMatch>> FindCandidatesAsync(string tenantId, PushElement element, CancellationToken cancellationToken = default)
    {
        life.Guard("LedgerConnector.FindCandidatesAsync");
        life.Passed();
        var diesDuring = life.DiesAtLookup([element], CrashStep.DuringReconcileLookup);
        var diesAfter = life.DiesAtLookup([element], CrashStep.AfterReconcileLookupBeforeSettle);
        var found = await inner.FindCandidatesAsync(tenantId, element, cancellationToken);
        AfterLookup(diesDuring, diesAfter, [element]);
        return found;
    }

    public override async Task<IReadOnlyDictionary<string, IReadOnlyList<RemoteMatch>>> FindCandidatesManyAsync(string tenantId, IReadOnlyList<PushElement> elements, CancellationToken cancellationToken = default)
    {
        life.Guard("LedgerConnector.FindCandidatesManyAsync");
        life.Passed();
        var diesDuring = life.DiesAtLookup(elements, CrashStep.DuringReconcileLookup);
        var diesAfter = life.DiesAtLookup(elements, CrashStep.AfterReconcileLookupBeforeSettle);
        var found = await inner.FindCandidatesManyAsync(tenantId, elements, cancellationToken);
        AfterLookup(diesDuring, diesAfter, elements);
        return found;
    }

    private void AfterLookup(bool diesDuring, bool diesAfter, IReadOnlyList<PushElement> elements)
    {
        var which = $"{elements.Count} {elements[0].Key.Kind} element(s) ({string.Join(", ", elements.Select(e => e.Key.SourceId))})";
        if (diesDuring && life.Trip($"during the reconcile lookup of {which}"))
        {
            throw new NodeCrashedException(life.NodeId, "LedgerConnector.FindCandidates (the node died during the lookup)");
        }

        if (diesAfter)
        {
            life.Trip($"after the reconcile lookup of {which}, before its settle save");
        }
    }
}

/// <summary>The host's source as one node sees it: the host's data is shared; a dead node reads nothing and tells nothing.</summary>
internal sealed class CrashingSource<TRecord>(SyncSource<TRecord> inner, NodeLife life) : SyncSource<TRecord>
    where TRecord : SyncRecord
{
    public override RecordKind Kind => inner.Kind;

    public override async IAsyncEnumerable<TRecord> GetChangedAsync(string tenantId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        life.Guard($"{Kind} source GetChangedAsync");
        await foreach (var record in inner.GetChangedAsync(tenantId, cancellationToken))
        {
            life.Guard($"{Kind} source GetChangedAsync (next record)");
            life.Passed();
            yield return record;
        }
    }

    public override async Task<TRecord?> GetAsync(string tenantId, string sourceId, CancellationToken cancellationToken = default)
    {
        life.Guard($"{Kind} source GetAsync");
        life.Passed();
        return await inner.GetAsync(tenantId, sourceId, cancellationToken);
    }

    public override async Task OnOutcomesAsync(string tenantId, IReadOnlyList<RecordOutcome> outcomes, CancellationToken cancellationToken = default)
    {
        life.Guard($"{Kind} source OnOutcomesAsync");
        life.BeforeOutcomes(outcomes);
        life.Passed();
        await inner.OnOutcomesAsync(tenantId, outcomes, cancellationToken);
    }
}
