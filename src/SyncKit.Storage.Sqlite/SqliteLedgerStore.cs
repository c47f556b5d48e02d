using SyncKit.Ledger;
using SyncKit.Storage.Relational;

namespace SyncKit.Storage.Sqlite;

/// <summary>The ledger in SQLite: prepared writes re-bound per entry, in one transaction with optimistic concurrency.</summary>
/// <remarks>SQLite runs in process, so a statement per entry costs no round trip.</remarks>
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

    protected override async Task AcknowledgeEntriesAsync(RelationalWrite write, IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken)
    {
        using var acknowledge = write.CreateCommand(_sql.LedgerAcknowledgeOutcome);
        var parameters = RelationalRows.AddAcknowledgeParameters(_dialect, acknowledge.Parameters, positional: false);
        acknowledge.Prepare();

        foreach (var entry in entries)
        {
            RelationalRows.BindAcknowledge(parameters, entry);
            await acknowledge.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
