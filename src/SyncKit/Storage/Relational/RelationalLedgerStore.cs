using System.Text;
using SyncKit.Ledger;
using SyncKit.Records;
using SyncKit.Storage.Internal;

namespace SyncKit.Storage.Relational;

/// <summary>
/// The ledger in a relational database: reads, the query's filter and paging, and counts are shared; a save is one
/// transaction with optimistic concurrency whose statements the provider sends its own way (prepared or batched).
/// </summary>
internal abstract class RelationalLedgerStore(RelationalDatabase database) : LedgerStore
{
    /// <summary>Remote ids per <see cref="FindOwnersAsync"/> statement: far below any provider's limits, and a short index probe each.</summary>
    private const int FindOwnersChunkSize = 500;

    private readonly RelationalSql _sql = database.Sql;
    private readonly RelationalDialect _dialect = database.Dialect;

    public override Task<LedgerEntry?> GetAsync(LedgerKey key, CancellationToken cancellationToken = default) =>
        database.ReadOneAsync(
            _sql.LedgerGet,
            c =>
            {
                _dialect.AddText(c, "tenant_id", key.TenantId);
                _dialect.AddInteger(c, "kind", (int)key.Kind);
                _dialect.AddText(c, "source_id", key.SourceId);
            },
            r => RelationalRows.ReadEntry(_dialect, r),
            cancellationToken);

    public override async Task<IReadOnlyDictionary<string, LedgerEntry>> GetManyAsync(string tenantId, RecordKind kind, IReadOnlyCollection<string> sourceIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sourceIds);
        var found = new Dictionary<string, LedgerEntry>(StringComparer.Ordinal);
        if (sourceIds.Count == 0)
        {
            return found;
        }

        await database.ReadAllAsync(
            _sql.LedgerGetMany,
            c =>
            {
                _dialect.AddText(c, "tenant_id", tenantId);
                _dialect.AddInteger(c, "kind", (int)kind);
                _dialect.AddTexts(c, "source_ids", sourceIds);
            },
            r =>
            {
                var entry = RelationalRows.ReadEntry(_dialect, r);
                found[entry.SourceId] = entry;
            },
            cancellationToken).ConfigureAwait(false);
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

        var write = await database.BeginWriteAsync(atomic: true, cancellationToken).ConfigureAwait(false);
        await using (write.ConfigureAwait(false))
        {
            await SaveEntriesAsync(write, entries, conflicts, cancellationToken).ConfigureAwait(false);
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
            _dialect.AddText(command, "tenant_id", query.TenantId);
            if (after is { } a)
            {
                sql.Append(_sql.QueryAfter);
                _dialect.AddInteger(command, "after_kind", (int)a.Kind);
                _dialect.AddText(command, "after_source_id", a.SourceId);
            }

            if (query.States.Count > 0)
            {
                sql.Append(_sql.QueryStates);
                _dialect.AddIntegers(command, "states", [.. query.States.Select(s => (int)s)]);
            }

            if (query.Kinds.Count > 0)
            {
                sql.Append(_sql.QueryKinds);
                _dialect.AddIntegers(command, "kinds", [.. query.Kinds.Select(k => (int)k)]);
            }

            if (query.ErrorCategory is not null)
            {
                sql.Append(_sql.QueryErrorCategory);
                _dialect.AddText(command, "error_category", query.ErrorCategory);
            }

            if (query.MissingMapping is not null)
            {
                sql.Append(_sql.QueryMissingMapping);
                _dialect.AddText(command, "missing_mapping", query.MissingMapping);
            }

            if (query.NotTouchedByRunId is not null)
            {
                sql.Append(_sql.QueryNotTouchedBy);
                _dialect.AddText(command, "not_run_id", query.NotTouchedByRunId);
            }

            if (query.TouchedByRunId is not null)
            {
                sql.Append(_sql.QueryTouchedBy);
                _dialect.AddText(command, "run_id", query.TouchedByRunId);
            }

            if (query.OutcomePending is { } outcomePending)
            {
                sql.Append(_sql.QueryOutcomePending);
                _dialect.AddBoolean(command, "outcome_pending", outcomePending);
            }

            if (query.DueAt is { } due)
            {
                sql.Append(_sql.QueryDueAt);
                _dialect.AddTime(command, "due_at", due);
            }

            sql.Append(_sql.QueryOrderLimit);
            _dialect.AddInteger(command, "limit", query.PageSize + 1);
            command.CommandText = sql.ToString();

            var entries = new List<LedgerEntry>(Math.Min(query.PageSize + 1, 256));
            await RelationalRows.ReadAllAsync(command, r => entries.Add(RelationalRows.ReadEntry(_dialect, r)), cancellationToken).ConfigureAwait(false);
            if (entries.Count <= query.PageSize)
            {
                return new LedgerPage { Entries = entries };
            }

            entries.RemoveAt(entries.Count - 1);
            return new LedgerPage { Entries = entries, ContinuationToken = LedgerContinuation.Encode(entries[^1].Kind, entries[^1].SourceId) };
        }
    }

    /// <summary>One statement per <see cref="FindOwnersChunkSize"/> distinct ids, on one connection; when several entries hold an id, the lowest source id wins.</summary>
    public override async Task<IReadOnlyDictionary<string, LedgerKey>> FindOwnersAsync(string tenantId, RecordKind kind, IReadOnlyCollection<string> remoteIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenantId);
        ArgumentNullException.ThrowIfNull(remoteIds);
        var owners = new Dictionary<string, LedgerKey>(StringComparer.Ordinal);
        var wanted = new HashSet<string>(remoteIds, StringComparer.Ordinal);
        if (wanted.Count == 0)
        {
            return owners;
        }

        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            foreach (var chunk in wanted.Chunk(FindOwnersChunkSize))
            {
                using var command = RelationalDatabase.Command(connection, _sql.LedgerFindOwners);
                _dialect.AddText(command, "tenant_id", tenantId);
                _dialect.AddInteger(command, "kind", (int)kind);
                _dialect.AddTexts(command, "remote_ids", chunk);
                await RelationalRows.ReadAllAsync(
                    command,
                    r => owners.TryAdd(r.GetString(0), new LedgerKey(tenantId, kind, r.GetString(1))),
                    cancellationToken).ConfigureAwait(false);
            }
        }

        return owners;
    }

    /// <summary>One transaction; each entry's flag is cleared by a version-guarded statement that leaves the version as it is.</summary>
    public override async Task AcknowledgeOutcomesAsync(IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
        {
            ArgumentNullException.ThrowIfNull(entry, nameof(entries));
        }

        if (entries.Count == 0)
        {
            return;
        }

        var write = await database.BeginWriteAsync(atomic: true, cancellationToken).ConfigureAwait(false);
        await using (write.ConfigureAwait(false))
        {
            await AcknowledgeEntriesAsync(write, entries, cancellationToken).ConfigureAwait(false);
            await write.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public override async Task<LedgerCounts> CountAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        var byState = new Dictionary<LedgerState, int>();
        var byCategory = new Dictionary<string, int>(StringComparer.Ordinal);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = RelationalDatabase.Command(connection, _sql.LedgerCount);
            _dialect.AddText(command, "tenant_id", tenantId);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// Sends an insert (version 0) or a version-guarded update for each entry inside <paramref name="write"/>'s transaction,
    /// adding to <paramref name="conflicts"/> the key of each that changed no row. Bind with <see cref="RelationalRows.BindEntry"/>.
    /// </summary>
    protected abstract Task SaveEntriesAsync(RelationalWrite write, IReadOnlyList<LedgerEntry> entries, List<LedgerKey> conflicts, CancellationToken cancellationToken);

    /// <summary>
    /// Sends <see cref="RelationalSql.LedgerAcknowledgeOutcome"/> for each entry inside <paramref name="write"/>'s transaction.
    /// Bind with <see cref="RelationalRows.BindAcknowledge"/>.
    /// </summary>
    protected abstract Task AcknowledgeEntriesAsync(RelationalWrite write, IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken);

    public override Task<int> DeleteTenantAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        return database.WriteAsync(database.Sql.LedgerDeleteTenant, c => database.Dialect.AddText(c, "tenant_id", tenantId), cancellationToken);
    }
}
