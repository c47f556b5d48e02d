using Npgsql;

namespace SyncKit.Storage.PostgreSql;

/// <summary>Token sets in PostgreSQL, saved with compare-and-swap on the version.</summary>
internal sealed class PostgreSqlTokenStore(PostgreSqlDatabase database) : TokenStore
{
    private readonly PostgreSqlSql _sql = database.Sql;

    public override async Task<StoredToken?> GetAsync(string connectionKey, CancellationToken cancellationToken = default)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = new NpgsqlCommand(_sql.TokenGet, connection);
            command.Parameters.AddWithValue("connection_key", connectionKey);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                return new StoredToken
                {
                    ConnectionKey = reader.GetString(0),
                    ProtectedPayload = reader.GetString(1),
                    UpdatedAt = PostgreSqlValues.ReadTime(reader, 2),
                    Version = reader.GetInt64(3),
                };
            }
        }
    }

    public override async Task<bool> TrySaveAsync(StoredToken token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = new NpgsqlCommand(token.Version == 0 ? _sql.TokenInsert : _sql.TokenUpdate, connection);
            command.Parameters.AddWithValue("connection_key", token.ConnectionKey);
            command.Parameters.AddWithValue("protected_payload", token.ProtectedPayload);
            command.Parameters.Add(PostgreSqlValues.Time("updated_at", token.UpdatedAt));
            command.Parameters.AddWithValue("new_version", token.Version + 1);
            if (token.Version != 0)
            {
                command.Parameters.AddWithValue("version", token.Version);
            }

            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }
    }

    public override async Task<bool> DeleteAsync(string connectionKey, CancellationToken cancellationToken = default)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = new NpgsqlCommand(_sql.TokenDelete, connection);
            command.Parameters.AddWithValue("connection_key", connectionKey);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }
    }
}
