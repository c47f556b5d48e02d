namespace SyncKit.Storage.Sqlite;

/// <summary>Token sets in SQLite, saved with compare-and-swap on the version.</summary>
internal sealed class SqliteTokenStore(SqliteDatabase database) : TokenStore
{
    private readonly SqliteSql _sql = database.Sql;

    public override async Task<StoredToken?> GetAsync(string connectionKey, CancellationToken cancellationToken = default)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = SqliteValues.Command(connection, _sql.TokenGet);
            command.Parameters.AddWithValue("@connection_key", connectionKey);
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            return new StoredToken
            {
                ConnectionKey = reader.GetString(0),
                ProtectedPayload = reader.GetString(1),
                UpdatedAt = SqliteValues.ReadTime(reader, 2),
                Version = reader.GetInt64(3),
            };
        }
    }

    public override async Task<bool> TrySaveAsync(StoredToken token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        var write = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (write.ConfigureAwait(false))
        {
            using var command = write.CreateCommand(token.Version == 0 ? _sql.TokenInsert : _sql.TokenUpdate);
            command.Parameters.AddWithValue("@connection_key", token.ConnectionKey);
            command.Parameters.AddWithValue("@protected_payload", token.ProtectedPayload);
            command.Parameters.AddWithValue("@updated_at", SqliteValues.ToText(token.UpdatedAt));
            command.Parameters.AddWithValue("@new_version", token.Version + 1);
            command.Parameters.AddWithValue("@version", token.Version);
            var saved = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
            await write.CommitAsync(cancellationToken).ConfigureAwait(false);
            return saved;
        }
    }

    public override async Task<bool> DeleteAsync(string connectionKey, CancellationToken cancellationToken = default)
    {
        var write = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (write.ConfigureAwait(false))
        {
            using var command = write.CreateCommand(_sql.TokenDelete);
            command.Parameters.AddWithValue("@connection_key", connectionKey);
            var deleted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
            await write.CommitAsync(cancellationToken).ConfigureAwait(false);
            return deleted;
        }
    }
}
