using Microsoft.Data.Sqlite;
using SyncKit.Ledger;
using SyncKit.Storage.Relational;

namespace SyncKit.Storage.Sqlite;

/// <summary>The ledger in SQLite: natively prepared writes re-bound per entry, in one transaction with optimistic concurrency.</summary>
/// <remarks>SQLite runs in process, so a statement per entry costs no round trip; what is left to save is the driver's work per execution.</remarks>
internal sealed class SqliteLedgerStore(SqliteDatabase database) : RelationalLedgerStore(database)
{
    private readonly RelationalSql _sql = database.Sql;
    private readonly RelationalDialect _dialect = database.Dialect;

    protected override Task SaveEntriesAsync(RelationalWrite write, IReadOnlyList<LedgerEntry> entries, List<LedgerKey> conflicts, CancellationToken cancellationToken)
    {
        var connection = (SqliteConnection)write.Connection;
        SqliteStatement? insert = null;
        SqliteStatement? update = null;
        try
        {
            // Holders for the values, filled by the shared binder; the statements read them by position.
            var values = new SqliteParameter[RelationalRows.LedgerUpdateParameterNames.Count];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = new SqliteParameter();
            }

            foreach (var entry in entries)
            {
                ArgumentNullException.ThrowIfNull(entry);
                cancellationToken.ThrowIfCancellationRequested();
                var statement = entry.Version == 0
                    ? insert ??= new SqliteStatement(connection, _sql.LedgerInsert, RelationalRows.LedgerParameterNames)
                    : update ??= new SqliteStatement(connection, _sql.LedgerUpdate, RelationalRows.LedgerUpdateParameterNames);
                RelationalRows.BindEntry(_dialect, values, entry);
                if (statement.Execute(values) == 0)
                {
                    conflicts.Add(entry.Key);
                }
            }
        }
        finally
        {
            insert?.Dispose();
            update?.Dispose();
        }

        return Task.CompletedTask;
    }

    protected override Task AcknowledgeEntriesAsync(RelationalWrite write, IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken)
    {
        using var acknowledge = new SqliteStatement((SqliteConnection)write.Connection, _sql.LedgerAcknowledgeOutcome, RelationalRows.AcknowledgeParameterNames);
        var values = new SqliteParameter[RelationalRows.AcknowledgeParameterNames.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = new SqliteParameter();
        }

        foreach (var entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            RelationalRows.BindAcknowledge(values, entry);
            acknowledge.Execute(values);
        }

        return Task.CompletedTask;
    }
}
