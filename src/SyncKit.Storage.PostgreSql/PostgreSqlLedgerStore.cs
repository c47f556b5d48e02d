using System.Data.Common;
using Npgsql;
using NpgsqlTypes;
using SyncKit.Ledger;
using SyncKit.Records;
using SyncKit.Storage.Relational;

namespace SyncKit.Storage.PostgreSql;

/// <summary>
/// The ledger in PostgreSQL: a save is one statement over arrays per 500 inserts and per 500 guarded updates, in one
/// transaction; acknowledgements are a batch of statements per 500.
/// </summary>
internal sealed class PostgreSqlLedgerStore(PostgreSqlDatabase database) : RelationalLedgerStore(database)
{
    /// <summary>Entries per round trip; a larger save is several batches in the same transaction.</summary>
    private const int BatchSize = 500;

    private readonly RelationalSql _sql = database.Sql;
    private readonly PostgreSqlSql _pgSql = (PostgreSqlSql)database.Sql;
    private readonly RelationalDialect _dialect = database.Dialect;

    protected override async Task SaveEntriesAsync(RelationalWrite write, IReadOnlyList<LedgerEntry> entries, List<LedgerKey> conflicts, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)write.Connection;
        var transaction = (NpgsqlTransaction?)write.Transaction;
        var keys = new HashSet<LedgerKey>();
        foreach (var entry in entries)
        {
            ArgumentNullException.ThrowIfNull(entry);
            if (!keys.Add(entry.Key))
            {
                // The same key twice in one save: each write must see the one before it, as a statement per entry does.
                await SaveOneByOneAsync(connection, transaction, entries, conflicts, cancellationToken).ConfigureAwait(false);
                return;
            }
        }

        // One statement per chunk of inserts and of updates, over arrays: a command and its parameters per entry cost
        // the client more than the database's work.
        var written = new HashSet<LedgerKey>();
        foreach (var chunk in entries.Where(e => e.Version == 0).Chunk(BatchSize))
        {
            await WriteManyAsync(connection, transaction, _pgSql.LedgerInsertMany, RelationalRows.LedgerParameterNames, chunk, written, cancellationToken).ConfigureAwait(false);
        }

        foreach (var chunk in entries.Where(e => e.Version != 0).Chunk(BatchSize))
        {
            await WriteManyAsync(connection, transaction, _pgSql.LedgerUpdateMany, RelationalRows.LedgerUpdateParameterNames, chunk, written, cancellationToken).ConfigureAwait(false);
        }

        foreach (var entry in entries)
        {
            if (!written.Contains(entry.Key))
            {
                conflicts.Add(entry.Key);
            }
        }
    }

    /// <summary>Binds each entry with the shared binder, gathers the values into one array per column, and adds the keys written.</summary>
    private async Task WriteManyAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        string sql,
        IReadOnlyList<(string Name, RelationalType Type)> columns,
        LedgerEntry[] chunk,
        HashSet<LedgerKey> written,
        CancellationToken cancellationToken)
    {
        var values = new DbParameter[RelationalRows.LedgerUpdateParameterNames.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = new NpgsqlParameter();
        }

        var arrays = new Array[columns.Count];
        for (var i = 0; i < arrays.Length; i++)
        {
            arrays[i] = columns[i].Type switch
            {
                RelationalType.Text or RelationalType.Json => new string?[chunk.Length],
                RelationalType.Integer => new int?[chunk.Length],
                RelationalType.BigInt => new long[chunk.Length],
                RelationalType.Boolean => new bool[chunk.Length],
                RelationalType.Time => new DateTimeOffset?[chunk.Length],
                _ => throw new NotSupportedException($"A ledger column of type {columns[i].Type} has no array form."),
            };
        }

        for (var row = 0; row < chunk.Length; row++)
        {
            RelationalRows.BindEntry(_dialect, values, chunk[row]);
            for (var i = 0; i < arrays.Length; i++)
            {
                arrays[i].SetValue(values[i].Value is DBNull ? null : values[i].Value, row);
            }
        }

        using var command = new NpgsqlCommand(sql, connection, transaction);
        for (var i = 0; i < arrays.Length; i++)
        {
            command.Parameters.Add(new NpgsqlParameter
            {
                Value = arrays[i],
                NpgsqlDbType = NpgsqlDbType.Array | columns[i].Type switch
                {
                    RelationalType.Integer => NpgsqlDbType.Integer,
                    RelationalType.BigInt => NpgsqlDbType.Bigint,
                    RelationalType.Boolean => NpgsqlDbType.Boolean,
                    RelationalType.Time => NpgsqlDbType.TimestampTz,
                    _ => NpgsqlDbType.Text,
                },
            });
        }

        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                written.Add(new LedgerKey(reader.GetString(0), (RecordKind)reader.GetInt32(1), reader.GetString(2)));
            }
        }
    }

    private async Task SaveOneByOneAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyList<LedgerEntry> entries, List<LedgerKey> conflicts, CancellationToken cancellationToken)
    {
        for (var start = 0; start < entries.Count; start += BatchSize)
        {
            var count = Math.Min(BatchSize, entries.Count - start);
            using var batch = new NpgsqlBatch(connection, transaction);
            for (var i = start; i < start + count; i++)
            {
                var entry = entries[i];
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
