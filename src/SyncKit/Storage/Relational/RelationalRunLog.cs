using SyncKit.Runs;
using SyncKit.Storage.Internal;

namespace SyncKit.Storage.Relational;

/// <summary>The run log in a relational database.</summary>
internal class RelationalRunLog(RelationalDatabase database) : RunLog
{
    private readonly RelationalSql _sql = database.Sql;
    private readonly RelationalDialect _dialect = database.Dialect;

    public override async Task SaveAsync(SyncRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        await database.WriteAsync(
            _sql.RunSave,
            c =>
            {
                _dialect.AddText(c, "run_id", run.RunId);
                _dialect.AddText(c, "tenant_id", run.TenantId);
                _dialect.AddInteger(c, "trigger_kind", (int)run.Trigger);
                _dialect.AddText(c, "requested_by", run.RequestedBy);
                _dialect.AddJson(c, "kinds_json", StorageJson.SerializeKinds(run.Kinds));
                _dialect.AddText(c, "record_key", run.RecordKey);
                _dialect.AddTime(c, "started_at", run.StartedAt);
                _dialect.AddTime(c, "completed_at", run.CompletedAt);
                _dialect.AddInteger(c, "outcome", (int)run.Outcome);
                _dialect.AddJson(c, "counts_json", StorageJson.SerializeCounts(run.Counts));
                _dialect.AddTime(c, "paused_until", run.PausedUntil);
                _dialect.AddText(c, "message", run.Message);
            },
            cancellationToken).ConfigureAwait(false);
    }

    public override Task<SyncRun?> GetAsync(string runId, CancellationToken cancellationToken = default) =>
        database.ReadOneAsync(_sql.RunGet, c => _dialect.AddText(c, "run_id", runId), r => RelationalRows.ReadRun(_dialect, r), cancellationToken);

    public override async Task<IReadOnlyList<SyncRun>> ListAsync(string tenantId, int limit, DateTimeOffset? startedBefore = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var runs = new List<SyncRun>();
        await database.ReadAllAsync(
            _sql.RunList,
            c =>
            {
                _dialect.AddText(c, "tenant_id", tenantId);
                _dialect.AddTime(c, "started_before", startedBefore);
                _dialect.AddInteger(c, "limit", limit);
            },
            r => runs.Add(RelationalRows.ReadRun(_dialect, r)),
            cancellationToken).ConfigureAwait(false);
        return runs;
    }

    public override Task<int> DeleteTenantAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        return database.WriteAsync(database.Sql.RunDeleteTenant, c => database.Dialect.AddText(c, "tenant_id", tenantId), cancellationToken);
    }
}
