using SyncKit.Storage.Relational;

namespace SyncKit.Storage.PostgreSql;

/// <summary>
/// Tenant state and leases in PostgreSQL. A lease is taken by one <c>INSERT ... ON CONFLICT DO UPDATE ... WHERE expired</c>:
/// the conflicting row is locked while the condition is judged, so two nodes never both hold a lease.
/// </summary>
internal sealed class PostgreSqlTenantStore(PostgreSqlDatabase database) : RelationalTenantStore(database)
{
    public override async Task<SyncLease> TryAcquireLeaseAsync(SyncLease lease, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var connection = await Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // Refused → read the holder's lease. If it was released in between, try again.
            for (var attempt = 0; ; attempt++)
            {
                using (var acquire = RelationalDatabase.Command(connection, Sql.LeaseAcquire))
                {
                    AddLease(acquire, lease, now);
                    if (await ReadLeaseAsync(acquire, cancellationToken).ConfigureAwait(false) is { } taken)
                    {
                        return taken;
                    }
                }

                using (var read = RelationalDatabase.Command(connection, Sql.LeaseGet))
                {
                    AddLeaseKey(read, lease.TenantId, lease.Scope);
                    if (await ReadLeaseAsync(read, cancellationToken).ConfigureAwait(false) is { } current)
                    {
                        return current;
                    }
                }

                if (attempt >= 10)
                {
                    throw new InvalidOperationException($"The lease on {lease.TenantId}/{lease.Scope} changed hands too often to be read.");
                }
            }
        }
    }
}
