using System.Text;
using Npgsql;
using NpgsqlTypes;
using SyncKit.Ledger;
using SyncKit.Records;
using SyncKit.Storage.Internal;

namespace SyncKit.Storage.PostgreSql;

/// <summary>The ledger in PostgreSQL: a batch of guarded inserts and updates in one transaction and one round trip.</summary>
internal sealed class PostgreSqlLedgerStore(PostgreSqlDatabase database) : LedgerStore
{
    /// <summary>Entries per round trip; a larger save is several batches in the same transaction.</summary>
    private const int BatchSize = 500;

    private readonly PostgreSqlSql _sql = database.Sql;

    public override async Task<LedgerEntry?> GetAsync(LedgerKey key, CancellationToken cancellationToken = default)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = new NpgsqlCommand(_sql.LedgerGet, connection);
            command.Parameters.AddWithValue("tenant_id", key.TenantId);
            command.Parameters.AddWithValue("kind", (int)key.Kind);
            command.Parameters.AddWithValue("source_id", key.SourceId);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadEntry(reader) : null;
            }
        }
    }

    public override async Task<IReadOnlyDictionary<string, LedgerEntry>> GetManyAsync(string tenantId, RecordKind kind, IReadOnlyCollection<string> sourceIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sourceIds);
        var found = new Dictionary<string, LedgerEntry>(StringComparer.Ordinal);
        if (sourceIds.Count == 0)
        {
            return found;
        }

        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = new NpgsqlCommand(_sql.LedgerGetMany, connection);
            command.Parameters.AddWithValue("tenant_id", tenantId);
            command.Parameters.AddWithValue("kind", (int)kind);
            command.Parameters.Add(new NpgsqlParameter("source_ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = sourceIds.ToArray() });
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var entry = ReadEntry(reader);
                    found[entry.SourceId] = entry;
                }
            }
        }

        return found;
    }

    public override async Task<IReadOnlyList<LedgerKey>> SaveAsync(IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var conflicts = new List<LedgerKey>();
        if (entries.Count == 0)
        {
            return conflicts;
        }

        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                for (var start = 0; start < entries.Count; start += BatchSize)
                {
                    var count = Math.Min(BatchSize, entries.Count - start);
                    using var batch = new NpgsqlBatch(connection, transaction);
                    for (var i = start; i < start + count; i++)
                    {
                        var entry = entries[i];
                        ArgumentNullException.ThrowIfNull(entry);
                        batch.BatchCommands.Add(CreateSave(entry));
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

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return conflicts;
    }

    public override async Task<LedgerPage> QueryAsync(LedgerQuery query, CancellationToken cancellationToken = default)
    {
        var after = LedgerContinuation.Validate(query);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = new NpgsqlCommand { Connection = connection };
            var sql = new StringBuilder(_sql.LedgerQuerySelect);
            command.Parameters.AddWithValue("tenant_id", query.TenantId);
            if (after is { } a)
            {
                sql.Append(PostgreSqlSql.QueryAfter);
                command.Parameters.AddWithValue("after_kind", (int)a.Kind);
                command.Parameters.AddWithValue("after_source_id", a.SourceId);
            }

            if (query.States.Count > 0)
            {
                sql.Append(PostgreSqlSql.QueryStates);
                command.Parameters.AddWithValue("states", query.States.Select(s => (int)s).ToArray());
            }

            if (query.Kinds.Count > 0)
            {
                sql.Append(PostgreSqlSql.QueryKinds);
                command.Parameters.AddWithValue("kinds", query.Kinds.Select(k => (int)k).ToArray());
            }

            if (query.ErrorCategory is not null)
            {
                sql.Append(PostgreSqlSql.QueryErrorCategory);
                command.Parameters.AddWithValue("error_category", query.ErrorCategory);
            }

            if (query.MissingMapping is not null)
            {
                sql.Append(PostgreSqlSql.QueryMissingMapping);
                command.Parameters.AddWithValue("missing_mapping", query.MissingMapping);
            }

            if (query.NotTouchedByRunId is not null)
            {
                sql.Append(PostgreSqlSql.QueryNotTouchedBy);
                command.Parameters.AddWithValue("not_run_id", query.NotTouchedByRunId);
            }

            if (query.DueAt is { } due)
            {
                sql.Append(PostgreSqlSql.QueryDueAt);
                command.Parameters.Add(PostgreSqlValues.Time("due_at", due));
            }

            sql.Append(PostgreSqlSql.QueryOrderLimit);
            command.Parameters.AddWithValue("limit", query.PageSize + 1);
            command.CommandText = sql.ToString();

            var entries = new List<LedgerEntry>(Math.Min(query.PageSize + 1, 256));
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    entries.Add(ReadEntry(reader));
                }
            }

            if (entries.Count <= query.PageSize)
            {
                return new LedgerPage { Entries = entries };
            }

            entries.RemoveAt(entries.Count - 1);
            return new LedgerPage { Entries = entries, ContinuationToken = LedgerContinuation.Encode(entries[^1].Kind, entries[^1].SourceId) };
        }
    }

    public override async Task<LedgerCounts> CountAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        var byState = new Dictionary<LedgerState, int>();
        var byCategory = new Dictionary<string, int>(StringComparer.Ordinal);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var batch = new NpgsqlBatch(connection);
            var byStateCommand = new NpgsqlBatchCommand(_sql.LedgerCountByState);
            byStateCommand.Parameters.AddWithValue("tenant_id", tenantId);
            var byCategoryCommand = new NpgsqlBatchCommand(_sql.LedgerCountByCategory);
            byCategoryCommand.Parameters.AddWithValue("tenant_id", tenantId);
            batch.BatchCommands.Add(byStateCommand);
            batch.BatchCommands.Add(byCategoryCommand);
            var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    byState[(LedgerState)reader.GetInt32(0)] = reader.GetInt32(1);
                }

                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    byCategory[reader.GetString(0)] = reader.GetInt32(1);
                }
            }
        }

        return new LedgerCounts { ByState = byState, ByCategory = byCategory };
    }

    private NpgsqlBatchCommand CreateSave(LedgerEntry e)
    {
        var command = new NpgsqlBatchCommand(e.Version == 0 ? _sql.LedgerInsert : _sql.LedgerUpdate);
        var p = command.Parameters;
        p.Add(new NpgsqlParameter<string> { TypedValue = e.TenantId });
        p.Add(new NpgsqlParameter<int> { TypedValue = (int)e.Kind });
        p.Add(new NpgsqlParameter<string> { TypedValue = e.SourceId });
        p.Add(new NpgsqlParameter<int> { TypedValue = (int)e.State });
        p.Add(Text(e.DisplayName));
        p.Add(Text(e.RemoteId));
        p.Add(Text(e.SyncedHash));
        p.Add(Text(e.ContentHash));
        p.Add(Text(e.IdempotencyKey));
        p.Add(new NpgsqlParameter<int> { TypedValue = e.Attempts });
        p.Add(Time(e.NextAttemptAt));
        p.Add(Text(e.Error?.Category));
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = PostgreSqlValues.ToDb(StorageJson.SerializeError(e.Error)) });
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = PostgreSqlValues.ToDb(StorageJson.SerializeWarnings(e.Warnings)) });
        p.Add(Text(e.MissingMapping));
        p.Add(Text(e.RunId));
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = e.PreviousState is { } previous ? (int)previous : DBNull.Value });
        p.Add(Time(e.CreatedAt));
        p.Add(Time(e.UpdatedAt));
        p.Add(Time(e.SyncedAt));
        p.Add(new NpgsqlParameter<long> { TypedValue = e.Version + 1 });
        if (e.Version != 0)
        {
            p.Add(new NpgsqlParameter<long> { TypedValue = e.Version });
        }

        return command;

        static NpgsqlParameter Text(string? value) => new() { NpgsqlDbType = NpgsqlDbType.Text, Value = PostgreSqlValues.ToDb(value) };

        static NpgsqlParameter Time(DateTimeOffset? value) => new() { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = PostgreSqlValues.ToDb(value) };
    }

    private static LedgerEntry ReadEntry(NpgsqlDataReader r) => new()
    {
        TenantId = r.GetString(0),
        Kind = (RecordKind)r.GetInt32(1),
        SourceId = r.GetString(2),
        State = (LedgerState)r.GetInt32(3),
        DisplayName = PostgreSqlValues.ReadNullableString(r, 4),
        RemoteId = PostgreSqlValues.ReadNullableString(r, 5),
        SyncedHash = PostgreSqlValues.ReadNullableString(r, 6),
        ContentHash = PostgreSqlValues.ReadNullableString(r, 7),
        IdempotencyKey = PostgreSqlValues.ReadNullableString(r, 8),
        Attempts = r.GetInt32(9),
        NextAttemptAt = PostgreSqlValues.ReadNullableTime(r, 10),
        Error = StorageJson.DeserializeError(PostgreSqlValues.ReadNullableString(r, 11)),
        Warnings = StorageJson.DeserializeWarnings(PostgreSqlValues.ReadNullableString(r, 12)),
        MissingMapping = PostgreSqlValues.ReadNullableString(r, 13),
        RunId = PostgreSqlValues.ReadNullableString(r, 14),
        PreviousState = r.IsDBNull(15) ? null : (LedgerState)r.GetInt32(15),
        CreatedAt = PostgreSqlValues.ReadTime(r, 16),
        UpdatedAt = PostgreSqlValues.ReadTime(r, 17),
        SyncedAt = PostgreSqlValues.ReadNullableTime(r, 18),
        Version = r.GetInt64(19),
    };
}
