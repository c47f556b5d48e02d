using Npgsql;

namespace SyncKit.Storage.PostgreSql;

/// <summary>
/// Tenant state and leases in PostgreSQL. A lease is taken by one <c>INSERT ... ON CONFLICT DO UPDATE ... WHERE expired</c>:
/// the conflicting row is locked while the condition is judged, so two nodes never both hold a lease.
/// </summary>
internal sealed class PostgreSqlTenantStore(PostgreSqlDatabase database) : TenantStore
{
    private readonly PostgreSqlSql _sql = database.Sql;

    public override async Task<TenantState?> GetAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = new NpgsqlCommand(_sql.TenantGet, connection);
            command.Parameters.AddWithValue("tenant_id", tenantId);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadTenant(reader) : null;
            }
        }
    }

    public override async Task SaveAsync(TenantState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = new NpgsqlCommand(_sql.TenantSave, connection);
            command.Parameters.AddWithValue("tenant_id", state.TenantId);
            command.Parameters.Add(PostgreSqlValues.Text("name", state.Name));
            command.Parameters.AddWithValue("connection", (int)state.Connection);
            command.Parameters.Add(PostgreSqlValues.Text("connection_message", state.ConnectionMessage));
            command.Parameters.Add(PostgreSqlValues.Time("paused_until", state.PausedUntil));
            command.Parameters.Add(PostgreSqlValues.Text("pause_reason", state.PauseReason));
            command.Parameters.Add(PostgreSqlValues.Time("updated_at", state.UpdatedAt));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public override async Task<IReadOnlyList<TenantState>> ListAsync(CancellationToken cancellationToken = default)
    {
        var tenants = new List<TenantState>();
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = new NpgsqlCommand(_sql.TenantList, connection);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    tenants.Add(ReadTenant(reader));
                }
            }
        }

        return tenants;
    }

    public override async Task<SyncLease> TryAcquireLeaseAsync(SyncLease lease, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // Refused → read the holder's lease. If it was released in between, try again.
            for (var attempt = 0; ; attempt++)
            {
                using (var acquire = new NpgsqlCommand(_sql.LeaseAcquire, connection))
                {
                    AddLease(acquire, lease);
                    acquire.Parameters.Add(PostgreSqlValues.Time("expires_at", lease.ExpiresAt));
                    acquire.Parameters.Add(PostgreSqlValues.Time("now", now));
                    if (await ReadLeaseAsync(acquire, cancellationToken).ConfigureAwait(false) is { } taken)
                    {
                        return taken;
                    }
                }

                using (var read = new NpgsqlCommand(_sql.LeaseGet, connection))
                {
                    read.Parameters.AddWithValue("tenant_id", lease.TenantId);
                    read.Parameters.AddWithValue("scope", lease.Scope);
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

    public override async Task<bool> RenewLeaseAsync(SyncLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = new NpgsqlCommand(_sql.LeaseRenew, connection);
            AddLease(command, lease);
            command.Parameters.Add(PostgreSqlValues.Time("expires_at", lease.ExpiresAt));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }
    }

    public override async Task ReleaseLeaseAsync(SyncLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = new NpgsqlCommand(_sql.LeaseRelease, connection);
            AddLease(command, lease);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public override async Task<SyncLease?> GetLeaseAsync(string tenantId, string scope, CancellationToken cancellationToken = default)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = new NpgsqlCommand(_sql.LeaseGet, connection);
            command.Parameters.AddWithValue("tenant_id", tenantId);
            command.Parameters.AddWithValue("scope", scope);
            return await ReadLeaseAsync(command, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<SyncLease?> ReadLeaseAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            return new SyncLease
            {
                TenantId = reader.GetString(0),
                Scope = reader.GetString(1),
                Holder = reader.GetString(2),
                RunId = reader.GetString(3),
                ExpiresAt = PostgreSqlValues.ReadTime(reader, 4),
            };
        }
    }

    private static void AddLease(NpgsqlCommand command, SyncLease lease)
    {
        command.Parameters.AddWithValue("tenant_id", lease.TenantId);
        command.Parameters.AddWithValue("scope", lease.Scope);
        command.Parameters.AddWithValue("holder", lease.Holder);
        command.Parameters.AddWithValue("run_id", lease.RunId);
    }

    private static TenantState ReadTenant(NpgsqlDataReader r) => new()
    {
        TenantId = r.GetString(0),
        Name = PostgreSqlValues.ReadNullableString(r, 1),
        Connection = (ConnectionState)r.GetInt32(2),
        ConnectionMessage = PostgreSqlValues.ReadNullableString(r, 3),
        PausedUntil = PostgreSqlValues.ReadNullableTime(r, 4),
        PauseReason = PostgreSqlValues.ReadNullableString(r, 5),
        UpdatedAt = PostgreSqlValues.ReadTime(r, 6),
    };
}
