using System.Text;
using Microsoft.Data.Sqlite;
using SyncKit.Ledger;
using SyncKit.Records;
using SyncKit.Storage.Internal;

namespace SyncKit.Storage.Sqlite;

/// <summary>The ledger in SQLite: batched, prepared writes in one transaction with optimistic concurrency.</summary>
internal sealed class SqliteLedgerStore(SqliteDatabase database) : LedgerStore
{
    private readonly SqliteSql _sql = database.Sql;

    public override async Task<LedgerEntry?> GetAsync(LedgerKey key, CancellationToken cancellationToken = default)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = SqliteValues.Command(connection, _sql.LedgerGet);
            command.Parameters.AddWithValue("@tenant_id", key.TenantId);
            command.Parameters.AddWithValue("@kind", (int)key.Kind);
            command.Parameters.AddWithValue("@source_id", key.SourceId);
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadEntry(reader) : null;
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
            using var command = SqliteValues.Command(connection, _sql.LedgerGetMany);
            command.Parameters.AddWithValue("@tenant_id", tenantId);
            command.Parameters.AddWithValue("@kind", (int)kind);
            command.Parameters.AddWithValue("@source_ids", StorageJson.StringArray(sourceIds));
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var entry = ReadEntry(reader);
                found[entry.SourceId] = entry;
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

        var write = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (write.ConfigureAwait(false))
        {
            using var insert = write.CreateCommand(_sql.LedgerInsert);
            using var update = write.CreateCommand(_sql.LedgerUpdate);
            var insertParameters = AddEntryParameters(insert, withExpectedVersion: false);
            var updateParameters = AddEntryParameters(update, withExpectedVersion: true);
            insert.Prepare();
            update.Prepare();

            foreach (var entry in entries)
            {
                ArgumentNullException.ThrowIfNull(entry);
                var (command, parameters) = entry.Version == 0 ? (insert, insertParameters) : (update, updateParameters);
                Bind(parameters, entry);
                if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                {
                    conflicts.Add(entry.Key);
                }
            }

            await write.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        return conflicts;
    }

    public override async Task<LedgerPage> QueryAsync(LedgerQuery query, CancellationToken cancellationToken = default)
    {
        var after = LedgerContinuation.Validate(query);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            var sql = new StringBuilder(_sql.LedgerQuerySelect);
            command.Parameters.AddWithValue("@tenant_id", query.TenantId);
            if (after is { } a)
            {
                sql.Append(SqliteSql.QueryAfter);
                command.Parameters.AddWithValue("@after_kind", (int)a.Kind);
                command.Parameters.AddWithValue("@after_source_id", a.SourceId);
            }

            if (query.States.Count > 0)
            {
                sql.Append(SqliteSql.QueryStates);
                command.Parameters.AddWithValue("@states", StorageJson.IntArray(query.States.Select(s => (int)s)));
            }

            if (query.Kinds.Count > 0)
            {
                sql.Append(SqliteSql.QueryKinds);
                command.Parameters.AddWithValue("@kinds", StorageJson.IntArray(query.Kinds.Select(k => (int)k)));
            }

            if (query.ErrorCategory is not null)
            {
                sql.Append(SqliteSql.QueryErrorCategory);
                command.Parameters.AddWithValue("@error_category", query.ErrorCategory);
            }

            if (query.MissingMapping is not null)
            {
                sql.Append(SqliteSql.QueryMissingMapping);
                command.Parameters.AddWithValue("@missing_mapping", query.MissingMapping);
            }

            if (query.NotTouchedByRunId is not null)
            {
                sql.Append(SqliteSql.QueryNotTouchedBy);
                command.Parameters.AddWithValue("@not_run_id", query.NotTouchedByRunId);
            }

            if (query.DueAt is { } due)
            {
                sql.Append(SqliteSql.QueryDueAt);
                command.Parameters.AddWithValue("@due_at", SqliteValues.ToText(due));
            }

            sql.Append(SqliteSql.QueryOrderLimit);
            command.Parameters.AddWithValue("@limit", query.PageSize + 1);
            command.CommandText = sql.ToString();

            var entries = new List<LedgerEntry>(Math.Min(query.PageSize + 1, 256));
            using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
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
            using var command = SqliteValues.Command(connection, _sql.LedgerCount);
            command.Parameters.AddWithValue("@tenant_id", tenantId);
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
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

        return new LedgerCounts { ByState = byState, ByCategory = byCategory };
    }

    private static Dictionary<string, SqliteParameter> AddEntryParameters(SqliteCommand command, bool withExpectedVersion)
    {
        string[] names =
        [
            "@tenant_id", "@kind", "@source_id", "@state", "@display_name", "@remote_id", "@synced_hash", "@content_hash", "@idempotency_key",
            "@attempts", "@next_attempt_at", "@error_category", "@error_json", "@warnings_json", "@missing_mapping", "@run_id",
            "@previous_state", "@created_at", "@updated_at", "@synced_at", "@new_version",
        ];
        var parameters = new Dictionary<string, SqliteParameter>(StringComparer.Ordinal);
        foreach (var name in withExpectedVersion ? [.. names, "@version"] : names)
        {
            parameters[name] = command.Parameters.Add(new SqliteParameter { ParameterName = name, Value = DBNull.Value });
        }

        return parameters;
    }

    private static void Bind(Dictionary<string, SqliteParameter> p, LedgerEntry e)
    {
        p["@tenant_id"].Value = e.TenantId;
        p["@kind"].Value = (int)e.Kind;
        p["@source_id"].Value = e.SourceId;
        p["@state"].Value = (int)e.State;
        p["@display_name"].Value = SqliteValues.ToDb(e.DisplayName);
        p["@remote_id"].Value = SqliteValues.ToDb(e.RemoteId);
        p["@synced_hash"].Value = SqliteValues.ToDb(e.SyncedHash);
        p["@content_hash"].Value = SqliteValues.ToDb(e.ContentHash);
        p["@idempotency_key"].Value = SqliteValues.ToDb(e.IdempotencyKey);
        p["@attempts"].Value = e.Attempts;
        p["@next_attempt_at"].Value = SqliteValues.ToDb(e.NextAttemptAt);
        p["@error_category"].Value = SqliteValues.ToDb(e.Error?.Category);
        p["@error_json"].Value = SqliteValues.ToDb(StorageJson.SerializeError(e.Error));
        p["@warnings_json"].Value = SqliteValues.ToDb(StorageJson.SerializeWarnings(e.Warnings));
        p["@missing_mapping"].Value = SqliteValues.ToDb(e.MissingMapping);
        p["@run_id"].Value = SqliteValues.ToDb(e.RunId);
        p["@previous_state"].Value = e.PreviousState is { } previous ? (int)previous : DBNull.Value;
        p["@created_at"].Value = SqliteValues.ToText(e.CreatedAt);
        p["@updated_at"].Value = SqliteValues.ToText(e.UpdatedAt);
        p["@synced_at"].Value = SqliteValues.ToDb(e.SyncedAt);
        p["@new_version"].Value = e.Version + 1;
        if (p.TryGetValue("@version", out var expected))
        {
            expected.Value = e.Version;
        }
    }

    private static LedgerEntry ReadEntry(SqliteDataReader r) => new()
    {
        TenantId = r.GetString(0),
        Kind = (RecordKind)r.GetInt32(1),
        SourceId = r.GetString(2),
        State = (LedgerState)r.GetInt32(3),
        DisplayName = SqliteValues.ReadNullableString(r, 4),
        RemoteId = SqliteValues.ReadNullableString(r, 5),
        SyncedHash = SqliteValues.ReadNullableString(r, 6),
        ContentHash = SqliteValues.ReadNullableString(r, 7),
        IdempotencyKey = SqliteValues.ReadNullableString(r, 8),
        Attempts = r.GetInt32(9),
        NextAttemptAt = SqliteValues.ReadNullableTime(r, 10),
        Error = StorageJson.DeserializeError(SqliteValues.ReadNullableString(r, 11)),
        Warnings = StorageJson.DeserializeWarnings(SqliteValues.ReadNullableString(r, 12)),
        MissingMapping = SqliteValues.ReadNullableString(r, 13),
        RunId = SqliteValues.ReadNullableString(r, 14),
        PreviousState = r.IsDBNull(15) ? null : (LedgerState)r.GetInt32(15),
        CreatedAt = SqliteValues.ReadTime(r, 16),
        UpdatedAt = SqliteValues.ReadTime(r, 17),
        SyncedAt = SqliteValues.ReadNullableTime(r, 18),
        Version = r.GetInt64(19),
    };
}
