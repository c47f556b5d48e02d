using Npgsql;
using SyncKit.Ledger;
using SyncKit.Storage.Relational;

namespace SyncKit.Storage.PostgreSql;

/// <summary>The ledger in PostgreSQL: a batch of guarded inserts and updates (or acknowledgements) in one transaction and one round trip per 500.</summary>
internal sealed class PostgreSqlLedgerStore(PostgreSqlDatabase database) : RelationalLedgerStore(database)
{
    /// <summary>Entries per round trip; a larger save is several batches in the same transaction.</summary>
    private const int BatchSize = 500;

    private readonly RelationalSql _sql = database.Sql;
    private readonly RelationalDialect _dialect = database.Dialect;

    protected override async Task SaveEntriesAsync(RelationalWrite write, IReadOnlyList<LedgerEntry> entries, List<LedgerKey> conflicts, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)write.Connection;
        var transaction = (NpgsqlTransaction?)write.Transaction;
        for (var start = 0; start < entries.Count; start += BatchSize)
        {
            var count = Math.Min(BatchSize, entries.Count - start);
            using var batch = new NpgsqlBatch(connection, transaction);
            for (var i = start; i < start + count; i++)
            {
                var entry = entries[i];
                ArgumentNullException.ThrowIfNull(entry);
                var command = new NpgsqlBatchCommand(entry.Version == 0 ? _sql.LedgerInsert : _sql.LedgerUpdate);
                var parameters = RelationalRows.AddLedgerParameters(_dialect, command.Parameters, withExpectedVersion: entry.Version != 0, positional: true);
                RelationalRows.BindEntry(_dialect, parameters, entry);
                batch.BatchCommands.Add(command);
            }

            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < count; i++)
            {
                if (batch.BatchCommands[i].RecordsAffected == 0)
                {
                    conflicts.Add(entries[start + i].Key);
                }
            }
        }
    }

    protected override async Task AcknowledgeEntriesAsync(RelationalWrite write, IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)write.Connection;
        var transaction = (NpgsqlTransaction?)write.Transaction;
        for (var start = 0; start < entries.Count; start += BatchSize)
        {
            var count = Math.Min(BatchSize, entries.Count - start);
            using var batch = new NpgsqlBatch(connection, transaction);
            for (var i = start; i < start + count; i++)
            {
                var command = new NpgsqlBatchCommand(_sql.LedgerAcknowledgeOutcome);
                var parameters = RelationalRows.AddAcknowledgeParameters(_dialect, command.Parameters, positional: true);
                RelationalRows.BindAcknowledge(parameters, entries[i]);
                batch.BatchCommands.Add(command);
            }

            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
