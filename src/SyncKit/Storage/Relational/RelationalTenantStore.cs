using System.Data.Common;

namespace SyncKit.Storage.Relational;

/// <summary>
/// Tenant state and leases in a relational database. Taking a lease is the provider's own
/// (<see cref="TenantStore.TryAcquireLeaseAsync"/>): how it is made race-free differs between databases.
/// </summary>
internal abstract class RelationalTenantStore(RelationalDatabase database) : TenantStore
{
    protected RelationalDatabase Database { get; } = database;

    protected RelationalSql Sql { get; } = database.Sql;

    protected RelationalDialect Dialect { get; } = database.Dialect;

    public override Task<TenantState?> GetAsync(string tenantId, CancellationToken cancellationToken = default) =>
        Database.ReadOneAsync(Sql.TenantGet, c => Dialect.AddText(c, "tenant_id", tenantId), r => RelationalRows.ReadTenant(Dialect, r), cancellationToken);

    public override async Task SaveAsync(TenantState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        await Database.WriteAsync(
            Sql.TenantSave,
            c =>
            {
                Dialect.AddText(c, "tenant_id", state.TenantId);
                Dialect.AddText(c, "name", state.Name);
                Dialect.AddInteger(c, "connection", (int)state.Connection);
                Dialect.AddText(c, "connection_message", state.ConnectionMessage);
                Dialect.AddTime(c, "paused_until", state.PausedUntil);
                Dialect.AddText(c, "pause_reason", state.PauseReason);
                Dialect.AddTime(c, "updated_at", state.UpdatedAt);
                Dialect.AddText(c, "connection_key", state.ConnectionKey);
                Dialect.AddText(c, "connection_id", state.ConnectionId);
                Dialect.AddInteger(c, "tenant_type", (int)state.Type);
                Dialect.AddTime(c, "connected_at", state.ConnectedAt);
            },
            cancellationToken).ConfigureAwait(false);
    }

    public override async Task<IReadOnlyList<TenantState>> ListAsync(CancellationToken cancellationToken = default)
    {
        var tenants = new List<TenantState>();
        await Database.ReadAllAsync(Sql.TenantList, _ => { }, r => tenants.Add(RelationalRows.ReadTenant(Dialect, r)), cancellationToken).ConfigureAwait(false);
        return tenants;
    }

    public override async Task<bool> DeleteAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        var before = await GetAsync(tenantId, cancellationToken).ConfigureAwait(false);
        await Database.WriteAsync(Sql.TenantDelete, c => Dialect.AddText(c, "tenant_id", tenantId), cancellationToken).ConfigureAwait(false);
        return before is not null;
    }

    public override async Task<bool> RenewLeaseAsync(SyncLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var renewed = await Database.WriteAsync(
            Sql.LeaseRenew,
            c =>
            {
                AddLease(c, lease);
                Dialect.AddTime(c, "expires_at", lease.ExpiresAt);
            },
            cancellationToken).ConfigureAwait(false);
        return renewed > 0;
    }

    public override async Task ReleaseLeaseAsync(SyncLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await Database.WriteAsync(Sql.LeaseRelease, c => AddLease(c, lease), cancellationToken).ConfigureAwait(false);
    }

    public override Task<SyncLease?> GetLeaseAsync(string tenantId, string scope, CancellationToken cancellationToken = default) =>
        Database.ReadOneAsync(Sql.LeaseGet, c => AddLeaseKey(c, tenantId, scope), r => RelationalRows.ReadLease(Dialect, r), cancellationToken);

    /// <summary>Adds <see cref="RelationalSql.LeaseGet"/>'s parameters: the lease's tenant and scope.</summary>
    protected void AddLeaseKey(DbCommand command, string tenantId, string scope)
    {
        Dialect.AddText(command, "tenant_id", tenantId);
        Dialect.AddText(command, "scope", scope);
    }

    /// <summary>Runs <paramref name="command"/> and reads the lease it returns, if any.</summary>
    protected Task<SyncLease?> ReadLeaseAsync(DbCommand command, CancellationToken cancellationToken) =>
        RelationalRows.ReadOneAsync(command, r => RelationalRows.ReadLease(Dialect, r), cancellationToken);

    /// <summary>Adds the lease's identity (tenant, scope, holder, run), and with <paramref name="now"/> its expiry and the time it is judged at.</summary>
    protected void AddLease(DbCommand command, SyncLease lease, DateTimeOffset? now = null)
    {
        AddLeaseKey(command, lease.TenantId, lease.Scope);
        Dialect.AddText(command, "holder", lease.Holder);
        Dialect.AddText(command, "run_id", lease.RunId);
        if (now is { } at)
        {
            Dialect.AddTime(command, "expires_at", lease.ExpiresAt);
            Dialect.AddTime(command, "now", at);
        }
    }

    public override async Task<IReadOnlyList<TenantDue>> GetScheduleAsync(CancellationToken cancellationToken = default)
    {
        var rota = new List<TenantDue>();
        await Database.ReadAllAsync(Sql.ScheduleList, _ => { }, r => rota.Add(ReadDue(r)), cancellationToken).ConfigureAwait(false);
        return rota;
    }

    public override async Task<bool> AddToScheduleAsync(string tenantId, DateTimeOffset dueAt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        var added = await Database.WriteAsync(
            Sql.ScheduleAdd,
            c =>
            {
                Dialect.AddText(c, "tenant_id", tenantId);
                Dialect.AddTime(c, "due_at", dueAt);
            },
            cancellationToken).ConfigureAwait(false);
        return added > 0;
    }

    public override async Task<IReadOnlyList<TenantDue>> ClaimDueAsync(string claimedBy, DateTimeOffset now, DateTimeOffset claimUntil, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(claimedBy);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var claimed = new List<TenantDue>();
        await Database.ReadAllAsync(
            Sql.ScheduleClaim,
            c =>
            {
                Dialect.AddText(c, "claimed_by", claimedBy);
                Dialect.AddTime(c, "claimed_until", claimUntil);
                Dialect.AddTime(c, "now", now);
                Dialect.AddInteger(c, "limit", limit);
            },
            r => claimed.Add(ReadDue(r)),
            cancellationToken).ConfigureAwait(false);
        return [.. claimed.OrderBy(d => d.DueAt).ThenBy(d => d.TenantId, StringComparer.Ordinal)];
    }

    public override async Task<bool> RenewDueAsync(TenantDue claim, DateTimeOffset claimUntil, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var renewed = await Database.WriteAsync(
            Sql.ScheduleRenew,
            c =>
            {
                AddClaim(c, claim);
                Dialect.AddTime(c, "claimed_until", claimUntil);
            },
            cancellationToken).ConfigureAwait(false);
        return renewed > 0;
    }

    public override async Task<bool> CompleteDueAsync(TenantDue claim, DateTimeOffset nextDueAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var completed = await Database.WriteAsync(
            Sql.ScheduleComplete,
            c =>
            {
                AddClaim(c, claim);
                Dialect.AddTime(c, "next_due_at", nextDueAt);
            },
            cancellationToken).ConfigureAwait(false);
        return completed > 0;
    }

    public override async Task<bool> ReleaseDueAsync(TenantDue claim, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return await Database.WriteAsync(Sql.ScheduleRelease, c => AddClaim(c, claim), cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <summary>Adds a claim's identity: tenant, claiming node and the due time it claimed.</summary>
    private void AddClaim(DbCommand command, TenantDue claim)
    {
        Dialect.AddText(command, "tenant_id", claim.TenantId);
        Dialect.AddText(command, "claimed_by", claim.ClaimedBy);
        Dialect.AddTime(command, "due_at", claim.DueAt);
    }

    private TenantDue ReadDue(DbDataReader r) => new()
    {
        TenantId = r.GetString(0),
        DueAt = Dialect.ReadTime(r, 1),
        ClaimedBy = RelationalDialect.ReadNullableString(r, 2),
        ClaimedUntil = Dialect.ReadNullableTime(r, 3),
    };
}
