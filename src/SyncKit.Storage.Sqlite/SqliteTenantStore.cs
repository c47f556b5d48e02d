using Microsoft.Data.Sqlite;

namespace SyncKit.Storage.Sqlite;

/// <summary>Tenant state and leases in SQLite. A lease is taken by one upsert guarded on expiry, inside a write transaction.</summary>
internal sealed class SqliteTenantStore(SqliteDatabase database) : TenantStore
{
    private readonly SqliteSql _sql = database.Sql;

    public override async Task<TenantState?> GetAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = SqliteValues.Command(connection, _sql.TenantGet);
            command.Parameters.AddWithValue("@tenant_id", tenantId);
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadTenant(reader) : null;
        }
    }

    public override async Task SaveAsync(TenantState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        var write = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (write.ConfigureAwait(false))
        {
            using var command = write.CreateCommand(_sql.TenantSave);
            command.Parameters.AddWithValue("@tenant_id", state.TenantId);
            command.Parameters.AddWithValue("@name", SqliteValues.ToDb(state.Name));
            command.Parameters.AddWithValue("@connection", (int)state.Connection);
            command.Parameters.AddWithValue("@connection_message", SqliteValues.ToDb(state.ConnectionMessage));
            command.Parameters.AddWithValue("@paused_until", SqliteValues.ToDb(state.PausedUntil));
            command.Parameters.AddWithValue("@pause_reason", SqliteValues.ToDb(state.PauseReason));
            command.Parameters.AddWithValue("@updated_at", SqliteValues.ToText(state.UpdatedAt));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await write.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public override async Task<IReadOnlyList<TenantState>> ListAsync(CancellationToken cancellationToken = default)
    {
        var tenants = new List<TenantState>();
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = SqliteValues.Command(connection, _sql.TenantList);
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                tenants.Add(ReadTenant(reader));
            }
        }

        return tenants;
    }

    public override async Task<SyncLease> TryAcquireLeaseAsync(SyncLease lease, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var write = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (write.ConfigureAwait(false))
        {
            using var command = write.CreateCommand(_sql.LeaseAcquire);
            AddLease(command, lease);
            command.Parameters.AddWithValue("@expires_at", SqliteValues.ToText(lease.ExpiresAt));
            command.Parameters.AddWithValue("@now", SqliteValues.ToText(now));
            SyncLease current;
            using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    throw new InvalidOperationException("The lease row vanished inside its own transaction.");
                }

                current = ReadLease(reader);
            }

            await write.CommitAsync(cancellationToken).ConfigureAwait(false);
            return current;
        }
    }

    public override async Task<bool> RenewLeaseAsync(SyncLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var write = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (write.ConfigureAwait(false))
        {
            using var command = write.CreateCommand(_sql.LeaseRenew);
            AddLease(command, lease);
            command.Parameters.AddWithValue("@expires_at", SqliteValues.ToText(lease.ExpiresAt));
            var renewed = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
            await write.CommitAsync(cancellationToken).ConfigureAwait(false);
            return renewed;
        }
    }

    public override async Task ReleaseLeaseAsync(SyncLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var write = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (write.ConfigureAwait(false))
        {
            using var command = write.CreateCommand(_sql.LeaseRelease);
            AddLease(command, lease);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await write.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public override async Task<SyncLease?> GetLeaseAsync(string tenantId, string scope, CancellationToken cancellationToken = default)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = SqliteValues.Command(connection, _sql.LeaseGet);
            command.Parameters.AddWithValue("@tenant_id", tenantId);
            command.Parameters.AddWithValue("@scope", scope);
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadLease(reader) : null;
        }
    }

    private static void AddLease(SqliteCommand command, SyncLease lease)
    {
        command.Parameters.AddWithValue("@tenant_id", lease.TenantId);
        command.Parameters.AddWithValue("@scope", lease.Scope);
        command.Parameters.AddWithValue("@holder", lease.Holder);
        command.Parameters.AddWithValue("@run_id", lease.RunId);
    }

    private static SyncLease ReadLease(SqliteDataReader r) => new()
    {
        TenantId = r.GetString(0),
        Scope = r.GetString(1),
        Holder = r.GetString(2),
        RunId = r.GetString(3),
        ExpiresAt = SqliteValues.ReadTime(r, 4),
    };

    private static TenantState ReadTenant(SqliteDataReader r) => new()
    {
        TenantId = r.GetString(0),
        Name = SqliteValues.ReadNullableString(r, 1),
        Connection = (ConnectionState)r.GetInt32(2),
        ConnectionMessage = SqliteValues.ReadNullableString(r, 3),
        PausedUntil = SqliteValues.ReadNullableTime(r, 4),
        PauseReason = SqliteValues.ReadNullableString(r, 5),
        UpdatedAt = SqliteValues.ReadTime(r, 6),
    };
}
