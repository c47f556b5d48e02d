namespace SyncKit.Storage.Relational;

/// <summary>Usage in a relational database: egress counters added to in place, one day window row per tenant.</summary>
internal class RelationalUsageStore(RelationalDatabase database) : UsageStore
{
    private readonly RelationalSql _sql = database.Sql;
    private readonly RelationalDialect _dialect = database.Dialect;

    public override async Task AddEgressAsync(IReadOnlyCollection<EgressCounter> increments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(increments);
        if (increments.Count == 0)
        {
            return;
        }

        // One transaction for the flush: a statement per counter, not per call.
        var write = await database.BeginWriteAsync(atomic: true, cancellationToken).ConfigureAwait(false);
        await using (write.ConfigureAwait(false))
        {
            foreach (var i in increments)
            {
                using var command = write.CreateCommand(_sql.EgressAdd);
                _dialect.AddText(command, "tenant_id", i.TenantId);
                _dialect.AddText(command, "month", i.Month);
                _dialect.AddText(command, "endpoint", i.Endpoint);
                _dialect.AddBigInt(command, "bytes", i.Bytes);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await write.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public override async Task<IReadOnlyList<EgressCounter>> GetEgressAsync(string tenantId, string month, CancellationToken cancellationToken = default)
    {
        var counters = new List<EgressCounter>();
        await database.ReadAllAsync(
            _sql.EgressGet,
            c =>
            {
                _dialect.AddText(c, "tenant_id", tenantId);
                _dialect.AddText(c, "month", month);
            },
            r => counters.Add(new EgressCounter { TenantId = tenantId, Month = month, Endpoint = r.GetString(0), Bytes = r.GetInt64(1) }),
            cancellationToken).ConfigureAwait(false);
        return counters;
    }

    public override async Task SaveCallWindowAsync(CallWindow window, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(window);
        await database.WriteAsync(
            _sql.CallWindowSave,
            c =>
            {
                _dialect.AddText(c, "tenant_id", window.TenantId);
                _dialect.AddTime(c, "resets_at", window.ResetsAt);
                _dialect.AddInteger(c, "remaining", window.Remaining);
                _dialect.AddTime(c, "updated_at", window.UpdatedAt);
            },
            cancellationToken).ConfigureAwait(false);
    }

    public override Task<CallWindow?> GetCallWindowAsync(string tenantId, CancellationToken cancellationToken = default) =>
        database.ReadOneAsync(
            _sql.CallWindowGet,
            c => _dialect.AddText(c, "tenant_id", tenantId),
            r => new CallWindow { TenantId = tenantId, ResetsAt = _dialect.ReadTime(r, 0), Remaining = r.GetInt32(1), UpdatedAt = _dialect.ReadTime(r, 2) },
            cancellationToken);
}
