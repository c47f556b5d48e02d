namespace SyncKit.Storage.Relational;

/// <summary>Token sets in a relational database, saved with compare-and-swap on the version.</summary>
internal class RelationalTokenStore(RelationalDatabase database) : TokenStore
{
    private readonly RelationalSql _sql = database.Sql;
    private readonly RelationalDialect _dialect = database.Dialect;

    public override Task<StoredToken?> GetAsync(string connectionKey, CancellationToken cancellationToken = default) =>
        database.ReadOneAsync(_sql.TokenGet, c => _dialect.AddText(c, "connection_key", connectionKey), r => RelationalRows.ReadToken(_dialect, r), cancellationToken);

    public override async Task<bool> TrySaveAsync(StoredToken token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        var saved = await database.WriteAsync(
            token.Version == 0 ? _sql.TokenInsert : _sql.TokenUpdate,
            c =>
            {
                _dialect.AddText(c, "connection_key", token.ConnectionKey);
                _dialect.AddText(c, "protected_payload", token.ProtectedPayload);
                _dialect.AddTime(c, "updated_at", token.UpdatedAt);
                _dialect.AddBigInt(c, "new_version", token.Version + 1);
                if (token.Version != 0)
                {
                    _dialect.AddBigInt(c, "version", token.Version);
                }
            },
            cancellationToken).ConfigureAwait(false);
        return saved > 0;
    }

    public override async Task<bool> DeleteAsync(string connectionKey, CancellationToken cancellationToken = default) =>
        await database.WriteAsync(_sql.TokenDelete, c => _dialect.AddText(c, "connection_key", connectionKey), cancellationToken).ConfigureAwait(false) > 0;
}
