using System.Data.Common;
using SyncKit.Ledger;
using SyncKit.Records;
using SyncKit.Runs;
using SyncKit.Storage.Internal;

namespace SyncKit.Storage.Relational;

/// <summary>Rows to records and records to parameters, in the column orders every provider's SQL follows.</summary>
internal static class RelationalRows
{
    /// <summary>The ledger entry's parameters, in the order of <see cref="RelationalSql.LedgerInsert"/>; the update adds <c>version</c>.</summary>
    public static readonly IReadOnlyList<(string Name, RelationalType Type)> LedgerParameterNames =
    [
        ("tenant_id", RelationalType.Text), ("kind", RelationalType.Integer), ("source_id", RelationalType.Text), ("state", RelationalType.Integer),
        ("display_name", RelationalType.Text), ("remote_id", RelationalType.Text), ("synced_hash", RelationalType.Text),
        ("content_hash", RelationalType.Text), ("idempotency_key", RelationalType.Text), ("attempts", RelationalType.Integer),
        ("next_attempt_at", RelationalType.Time), ("error_category", RelationalType.Text), ("error_json", RelationalType.Json),
        ("warnings_json", RelationalType.Json), ("missing_mapping", RelationalType.Text), ("run_id", RelationalType.Text),
        ("previous_state", RelationalType.Integer), ("created_at", RelationalType.Time), ("updated_at", RelationalType.Time),
        ("synced_at", RelationalType.Time), ("outcome_pending", RelationalType.Boolean), ("new_version", RelationalType.BigInt),
    ];

    /// <summary>The parameters of <see cref="RelationalSql.LedgerUpdate"/>: the entry's, then the version it was read at.</summary>
    public static readonly IReadOnlyList<(string Name, RelationalType Type)> LedgerUpdateParameterNames =
        [.. LedgerParameterNames, ("version", RelationalType.BigInt)];

    /// <summary>The parameters of <see cref="RelationalSql.LedgerAcknowledgeOutcome"/>, in order: the entry's key and the version it was read at.</summary>
    public static readonly IReadOnlyList<(string Name, RelationalType Type)> AcknowledgeParameterNames =
    [
        ("tenant_id", RelationalType.Text), ("kind", RelationalType.Integer), ("source_id", RelationalType.Text), ("version", RelationalType.BigInt),
    ];

    /// <summary>Adds an entry's parameters (named, or positional when <paramref name="positional"/>) without values.</summary>
    public static DbParameter[] AddLedgerParameters(RelationalDialect dialect, DbParameterCollection parameters, bool withExpectedVersion, bool positional) =>
        AddParameters(dialect, parameters, withExpectedVersion ? LedgerUpdateParameterNames : LedgerParameterNames, positional);

    /// <summary>Adds the parameters of <see cref="RelationalSql.LedgerAcknowledgeOutcome"/> (named, or positional when <paramref name="positional"/>) without values.</summary>
    public static DbParameter[] AddAcknowledgeParameters(RelationalDialect dialect, DbParameterCollection parameters, bool positional) =>
        AddParameters(dialect, parameters, AcknowledgeParameterNames, positional);

    /// <summary>Sets parameters added by <see cref="AddAcknowledgeParameters"/> to <paramref name="e"/>'s key and version.</summary>
    public static void BindAcknowledge(DbParameter[] p, LedgerEntry e)
    {
        p[0].Value = e.TenantId;
        p[1].Value = (int)e.Kind;
        p[2].Value = e.SourceId;
        p[3].Value = e.Version;
    }

    /// <summary>Sets parameters added by <see cref="AddLedgerParameters"/> to <paramref name="e"/>'s values.</summary>
    public static void BindEntry(RelationalDialect dialect, DbParameter[] p, LedgerEntry e)
    {
        p[0].Value = e.TenantId;
        p[1].Value = (int)e.Kind;
        p[2].Value = e.SourceId;
        p[3].Value = (int)e.State;
        p[4].Value = RelationalDialect.ToDb(e.DisplayName);
        p[5].Value = RelationalDialect.ToDb(e.RemoteId);
        p[6].Value = RelationalDialect.ToDb(e.SyncedHash);
        p[7].Value = RelationalDialect.ToDb(e.ContentHash);
        p[8].Value = RelationalDialect.ToDb(e.IdempotencyKey);
        p[9].Value = e.Attempts;
        p[10].Value = dialect.ToDb(e.NextAttemptAt);
        p[11].Value = RelationalDialect.ToDb(e.Error?.Category);
        p[12].Value = RelationalDialect.ToDb(StorageJson.SerializeError(e.Error));
        p[13].Value = RelationalDialect.ToDb(StorageJson.SerializeWarnings(e.Warnings));
        p[14].Value = RelationalDialect.ToDb(e.MissingMapping);
        p[15].Value = RelationalDialect.ToDb(e.RunId);
        p[16].Value = e.PreviousState is { } previous ? (int)previous : DBNull.Value;
        p[17].Value = dialect.ToDb(e.CreatedAt);
        p[18].Value = dialect.ToDb(e.UpdatedAt);
        p[19].Value = dialect.ToDb(e.SyncedAt);
        p[20].Value = e.OutcomePending;
        p[21].Value = e.Version + 1;
        if (p.Length > 22)
        {
            p[22].Value = e.Version;
        }
    }

    public static LedgerEntry ReadEntry(RelationalDialect d, DbDataReader r) => new()
    {
        TenantId = r.GetString(0),
        Kind = (RecordKind)r.GetInt32(1),
        SourceId = r.GetString(2),
        State = (LedgerState)r.GetInt32(3),
        DisplayName = RelationalDialect.ReadNullableString(r, 4),
        RemoteId = RelationalDialect.ReadNullableString(r, 5),
        SyncedHash = RelationalDialect.ReadNullableString(r, 6),
        ContentHash = RelationalDialect.ReadNullableString(r, 7),
        IdempotencyKey = RelationalDialect.ReadNullableString(r, 8),
        Attempts = r.GetInt32(9),
        NextAttemptAt = d.ReadNullableTime(r, 10),
        Error = StorageJson.DeserializeError(RelationalDialect.ReadNullableString(r, 11)),
        Warnings = StorageJson.DeserializeWarnings(RelationalDialect.ReadNullableString(r, 12)),
        MissingMapping = RelationalDialect.ReadNullableString(r, 13),
        RunId = RelationalDialect.ReadNullableString(r, 14),
        PreviousState = r.IsDBNull(15) ? null : (LedgerState)r.GetInt32(15),
        CreatedAt = d.ReadTime(r, 16),
        UpdatedAt = d.ReadTime(r, 17),
        SyncedAt = d.ReadNullableTime(r, 18),
        Version = r.GetInt64(19),
        OutcomePending = r.GetBoolean(20),
    };

    public static SyncRun ReadRun(RelationalDialect d, DbDataReader r) => new()
    {
        RunId = r.GetString(0),
        TenantId = r.GetString(1),
        Trigger = (SyncTrigger)r.GetInt32(2),
        RequestedBy = RelationalDialect.ReadNullableString(r, 3),
        Kinds = StorageJson.DeserializeKinds(RelationalDialect.ReadNullableString(r, 4)),
        RecordKey = RelationalDialect.ReadNullableString(r, 5),
        StartedAt = d.ReadTime(r, 6),
        CompletedAt = d.ReadNullableTime(r, 7),
        Outcome = (RunOutcome)r.GetInt32(8),
        Counts = StorageJson.DeserializeCounts(r.GetString(9)),
        PausedUntil = d.ReadNullableTime(r, 10),
        Message = RelationalDialect.ReadNullableString(r, 11),
    };

    public static TenantState ReadTenant(RelationalDialect d, DbDataReader r) => new()
    {
        TenantId = r.GetString(0),
        Name = RelationalDialect.ReadNullableString(r, 1),
        Connection = (ConnectionState)r.GetInt32(2),
        ConnectionMessage = RelationalDialect.ReadNullableString(r, 3),
        PausedUntil = d.ReadNullableTime(r, 4),
        PauseReason = RelationalDialect.ReadNullableString(r, 5),
        UpdatedAt = d.ReadTime(r, 6),
        ConnectionKey = RelationalDialect.ReadNullableString(r, 7),
        ConnectionId = RelationalDialect.ReadNullableString(r, 8),
        Type = (TenantType)r.GetInt32(9),
        ConnectedAt = d.ReadNullableTime(r, 10),
    };

    public static SyncLease ReadLease(RelationalDialect d, DbDataReader r) => new()
    {
        TenantId = r.GetString(0),
        Scope = r.GetString(1),
        Holder = r.GetString(2),
        RunId = r.GetString(3),
        ExpiresAt = d.ReadTime(r, 4),
    };

    public static StoredToken ReadToken(RelationalDialect d, DbDataReader r) => new()
    {
        ConnectionKey = r.GetString(0),
        ProtectedPayload = r.GetString(1),
        UpdatedAt = d.ReadTime(r, 2),
        Version = r.GetInt64(3),
    };

    public static CachedReferenceData ReadReferenceData(RelationalDialect d, DbDataReader r) =>
        new() { TenantId = r.GetString(0), Json = r.GetString(1), FetchedAt = d.ReadTime(r, 2) };

    /// <summary>Runs <paramref name="command"/> and reads its first row, or null when there is none.</summary>
    public static async Task<T?> ReadOneAsync<T>(DbCommand command, Func<DbDataReader, T> read, CancellationToken cancellationToken)
        where T : class
    {
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? read(reader) : null;
        }
    }

    /// <summary>Runs <paramref name="command"/> and reads every row into <paramref name="into"/>.</summary>
    public static async Task ReadAllAsync(DbCommand command, Action<DbDataReader> into, CancellationToken cancellationToken)
    {
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                into(reader);
            }
        }
    }

    private static DbParameter[] AddParameters(RelationalDialect dialect, DbParameterCollection parameters, IReadOnlyList<(string Name, RelationalType Type)> names, bool positional)
    {
        var added = new DbParameter[names.Count];
        for (var i = 0; i < names.Count; i++)
        {
            var (name, type) = names[i];
            added[i] = dialect.CreateParameter(positional ? string.Empty : name, type);
            added[i].Value = DBNull.Value;
            parameters.Add(added[i]);
        }

        return added;
    }
}
