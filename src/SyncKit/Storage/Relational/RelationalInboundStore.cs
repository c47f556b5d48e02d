using System.Data.Common;
using SyncKit.Records;
using SyncKit.Storage.Internal;

namespace SyncKit.Storage.Relational;

/// <summary>Pull cursors and pulled records in a relational database.</summary>
internal class RelationalInboundStore(RelationalDatabase database) : InboundStore
{
    private static readonly int[] s_allStates = [.. Enum.GetValues<InboundState>().Select(s => (int)s)];

    private readonly RelationalSql _sql = database.Sql;
    private readonly RelationalDialect _dialect = database.Dialect;

    public override Task<PullCursor?> GetCursorAsync(string tenantId, RecordKind kind, CancellationToken cancellationToken = default) =>
        database.ReadOneAsync(
            _sql.InboundCursorGet,
            c =>
            {
                _dialect.AddText(c, "tenant_id", tenantId);
                _dialect.AddInteger(c, "kind", (int)kind);
            },
            ReadCursor,
            cancellationToken);

    public override async Task SaveCursorAsync(PullCursor cursor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        await database.WriteAsync(
            _sql.InboundCursorSave,
            c =>
            {
                _dialect.AddText(c, "tenant_id", cursor.TenantId);
                _dialect.AddInteger(c, "kind", (int)cursor.Kind);
                _dialect.AddTime(c, "watermark", cursor.Watermark);
                _dialect.AddBoolean(c, "in_progress", cursor.InProgress);
                _dialect.AddTime(c, "in_progress_since", cursor.InProgressSince);
                _dialect.AddInteger(c, "next_page", cursor.NextPage);
                _dialect.AddTime(c, "max_seen", cursor.MaxSeen);
                _dialect.AddTime(c, "updated_at", cursor.UpdatedAt);
                _dialect.AddText(c, "page_token", cursor.PageToken);
            },
            cancellationToken).ConfigureAwait(false);
    }

    public override async Task<IReadOnlyDictionary<string, InboundRecord>> GetRecordsAsync(string tenantId, RecordKind kind, IReadOnlyCollection<string> remoteIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(remoteIds);
        var found = new Dictionary<string, InboundRecord>(StringComparer.Ordinal);
        if (remoteIds.Count == 0)
        {
            return found;
        }

        await database.ReadAllAsync(
            _sql.InboundRecordGetMany,
            c =>
            {
                _dialect.AddText(c, "tenant_id", tenantId);
                _dialect.AddInteger(c, "kind", (int)kind);
                _dialect.AddTexts(c, "remote_ids", remoteIds);
            },
            r =>
            {
                var record = ReadRecord(r);
                found[record.RemoteId] = record;
            },
            cancellationToken).ConfigureAwait(false);
        return found;
    }

    public override async Task SaveRecordAsync(InboundRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await database.WriteAsync(
            _sql.InboundRecordSave,
            c =>
            {
                _dialect.AddText(c, "tenant_id", record.TenantId);
                _dialect.AddInteger(c, "kind", (int)record.Kind);
                _dialect.AddText(c, "remote_id", record.RemoteId);
                _dialect.AddInteger(c, "state", (int)record.State);
                _dialect.AddText(c, "host_id", record.HostId);
                _dialect.AddText(c, "parent_host_id", record.ParentHostId);
                _dialect.AddJson(c, "candidates_json", record.Candidates.Count == 0 ? null : StorageJson.StringArray(record.Candidates));
                _dialect.AddText(c, "message", record.Message);
                _dialect.AddText(c, "display_name", record.DisplayName);
                _dialect.AddTime(c, "remote_updated_at", record.RemoteUpdatedAt);
                _dialect.AddText(c, "payload_json", record.PayloadJson);
                _dialect.AddInteger(c, "attempts", record.Attempts);
                _dialect.AddTime(c, "created_at", record.CreatedAt);
                _dialect.AddTime(c, "updated_at", record.UpdatedAt);
            },
            cancellationToken).ConfigureAwait(false);
    }

    public override async Task<IReadOnlyList<InboundRecord>> ListRecordsAsync(string tenantId, IReadOnlyCollection<InboundState> states, int limit, (RecordKind Kind, string RemoteId)? after = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(states);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var records = new List<InboundRecord>();
        await database.ReadAllAsync(
            _sql.InboundRecordList,
            c =>
            {
                _dialect.AddText(c, "tenant_id", tenantId);
                _dialect.AddIntegers(c, "states", states.Count == 0 ? s_allStates : [.. states.Select(s => (int)s)]);
                _dialect.Add(c, "after_kind", RelationalType.Integer, after is { } a ? (int)a.Kind : DBNull.Value);
                _dialect.AddText(c, "after_remote_id", after?.RemoteId);
                _dialect.AddInteger(c, "limit", limit);
            },
            r => records.Add(ReadRecord(r)),
            cancellationToken).ConfigureAwait(false);
        return records;
    }

    private PullCursor ReadCursor(DbDataReader r) => new()
    {
        TenantId = r.GetString(0),
        Kind = (RecordKind)r.GetInt32(1),
        Watermark = _dialect.ReadNullableTime(r, 2),
        InProgress = r.GetBoolean(3),
        InProgressSince = _dialect.ReadNullableTime(r, 4),
        NextPage = r.GetInt32(5),
        MaxSeen = _dialect.ReadNullableTime(r, 6),
        UpdatedAt = _dialect.ReadTime(r, 7),
        PageToken = RelationalDialect.ReadNullableString(r, 8),
    };

    private InboundRecord ReadRecord(DbDataReader r) => new()
    {
        TenantId = r.GetString(0),
        Kind = (RecordKind)r.GetInt32(1),
        RemoteId = r.GetString(2),
        State = (InboundState)r.GetInt32(3),
        HostId = RelationalDialect.ReadNullableString(r, 4),
        ParentHostId = RelationalDialect.ReadNullableString(r, 5),
        Candidates = StorageJson.DeserializeStrings(RelationalDialect.ReadNullableString(r, 6)),
        Message = RelationalDialect.ReadNullableString(r, 7),
        DisplayName = RelationalDialect.ReadNullableString(r, 8),
        RemoteUpdatedAt = _dialect.ReadTime(r, 9),
        PayloadJson = RelationalDialect.ReadNullableString(r, 10),
        Attempts = r.GetInt32(11),
        CreatedAt = _dialect.ReadTime(r, 12),
        UpdatedAt = _dialect.ReadTime(r, 13),
    };

    public override Task<int> DeleteTenantAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        return database.WriteAsync(database.Sql.InboundDeleteTenant, c => database.Dialect.AddText(c, "tenant_id", tenantId), cancellationToken);
    }
}
