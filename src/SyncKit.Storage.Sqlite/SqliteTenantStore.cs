using SyncKit.Storage.Relational;

namespace SyncKit.Storage.Sqlite;

/// <summary>Tenant state and leases in SQLite. A lease is taken by one upsert guarded on expiry, inside a write transaction.</summary>
internal sealed class SqliteTenantStore(SqliteDatabase database) : RelationalTenantStore(database)
{
    public override async Task<SyncLease> TryAcquireLeaseAsync(SyncLease lease, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var write = await Database.BeginWriteAsync(atomic: true, cancellationToken).ConfigureAwait(false);
        await using (write.ConfigureAwait(false))
        {
            using var command = write.CreateCommand(Sql.LeaseAcquire);
            AddLease(command, lease, now);
            var current = await ReadLeaseAsync(command, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The lease row vanished inside its own transaction.");
            await write.CommitAsync(cancellationToken).ConfigureAwait(false);
            return current;
        }
    }
}
