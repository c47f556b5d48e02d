using SyncKit.Ledger;
using SyncKit.Storage.Relational;

namespace SyncKit.Storage.Sqlite;

/// <summary>The ledger in SQLite: prepared writes re-bound per entry, in one transaction with optimistic concurrency.</summary>
internal sealed class SqliteLedgerStore(SqliteDatabase database) : RelationalLedgerStore(database)
{
    private readonly RelationalSql _sql = database.Sql;
    private readonly RelationalDialect _dialect = database.Dialect;

    protected override async Task SaveEntriesAsync(RelationalWrite write, IReadOnlyList<LedgerEntry> entries, List<LedgerKey> conflicts, CancellationToken cancellationToken)
    {
        using var insert = write.CreateCommand(_sql.LedgerInsert);
        using var update = write.CreateCommand(_sql.LedgerUpdate);
        var insertParameters = RelationalRows.AddLedgerParameters(_dialect, insert.Parameters, withExpectedVersion: false, positional: false);
        var updateParameters = RelationalRows.AddLedgerParameters(_dialect, update.Parameters, withExpectedVersion: true, positional: false);
        insert.Prepare();
        update.Prepare();

        foreach (var entry in entries)
        {
            ArgumentNullException.ThrowIfNull(entry);
            var (command, parameters) = entry.Version == 0 ? (insert, insertParameters) : (update, updateParameters);
            RelationalRows.BindEntry(_dialect, parameters, entry);
            if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                conflicts.Add(entry.Key);
            }
        }
    }
}
