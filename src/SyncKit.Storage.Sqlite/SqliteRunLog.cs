using Microsoft.Data.Sqlite;
using SyncKit.Runs;
using SyncKit.Storage.Internal;

namespace SyncKit.Storage.Sqlite;

/// <summary>The run log in SQLite.</summary>
internal sealed class SqliteRunLog(SqliteDatabase database) : RunLog
{
    private readonly SqliteSql _sql = database.Sql;

    public override async Task SaveAsync(SyncRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var write = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (write.ConfigureAwait(false))
        {
            using var command = write.CreateCommand(_sql.RunSave);
            command.Parameters.AddWithValue("@run_id", run.RunId);
            command.Parameters.AddWithValue("@tenant_id", run.TenantId);
            command.Parameters.AddWithValue("@trigger_kind", (int)run.Trigger);
            command.Parameters.AddWithValue("@requested_by", SqliteValues.ToDb(run.RequestedBy));
            command.Parameters.AddWithValue("@kinds_json", SqliteValues.ToDb(StorageJson.SerializeKinds(run.Kinds)));
            command.Parameters.AddWithValue("@record_key", SqliteValues.ToDb(run.RecordKey));
            command.Parameters.AddWithValue("@started_at", SqliteValues.ToText(run.StartedAt));
            command.Parameters.AddWithValue("@completed_at", SqliteValues.ToDb(run.CompletedAt));
            command.Parameters.AddWithValue("@outcome", (int)run.Outcome);
            command.Parameters.AddWithValue("@counts_json", StorageJson.SerializeCounts(run.Counts));
            command.Parameters.AddWithValue("@paused_until", SqliteValues.ToDb(run.PausedUntil));
            command.Parameters.AddWithValue("@message", SqliteValues.ToDb(run.Message));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await write.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public override async Task<SyncRun?> GetAsync(string runId, CancellationToken cancellationToken = default)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = SqliteValues.Command(connection, _sql.RunGet);
            command.Parameters.AddWithValue("@run_id", runId);
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadRun(reader) : null;
        }
    }

    public override async Task<IReadOnlyList<SyncRun>> ListAsync(string tenantId, int limit, DateTimeOffset? startedBefore = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var runs = new List<SyncRun>();
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = SqliteValues.Command(connection, _sql.RunList);
            command.Parameters.AddWithValue("@tenant_id", tenantId);
            command.Parameters.AddWithValue("@started_before", SqliteValues.ToDb(startedBefore));
            command.Parameters.AddWithValue("@limit", limit);
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                runs.Add(ReadRun(reader));
            }
        }

        return runs;
    }

    private static SyncRun ReadRun(SqliteDataReader r) => new()
    {
        RunId = r.GetString(0),
        TenantId = r.GetString(1),
        Trigger = (SyncTrigger)r.GetInt32(2),
        RequestedBy = SqliteValues.ReadNullableString(r, 3),
        Kinds = StorageJson.DeserializeKinds(SqliteValues.ReadNullableString(r, 4)),
        RecordKey = SqliteValues.ReadNullableString(r, 5),
        StartedAt = SqliteValues.ReadTime(r, 6),
        CompletedAt = SqliteValues.ReadNullableTime(r, 7),
        Outcome = (RunOutcome)r.GetInt32(8),
        Counts = StorageJson.DeserializeCounts(r.GetString(9)),
        PausedUntil = SqliteValues.ReadNullableTime(r, 10),
        Message = SqliteValues.ReadNullableString(r, 11),
    };
}
