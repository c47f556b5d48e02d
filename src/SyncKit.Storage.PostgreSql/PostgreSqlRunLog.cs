using Npgsql;
using SyncKit.Runs;
using SyncKit.Storage.Internal;

namespace SyncKit.Storage.PostgreSql;

/// <summary>The run log in PostgreSQL.</summary>
internal sealed class PostgreSqlRunLog(PostgreSqlDatabase database) : RunLog
{
    private readonly PostgreSqlSql _sql = database.Sql;

    public override async Task SaveAsync(SyncRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = new NpgsqlCommand(_sql.RunSave, connection);
            command.Parameters.AddWithValue("run_id", run.RunId);
            command.Parameters.AddWithValue("tenant_id", run.TenantId);
            command.Parameters.AddWithValue("trigger_kind", (int)run.Trigger);
            command.Parameters.Add(PostgreSqlValues.Text("requested_by", run.RequestedBy));
            command.Parameters.Add(PostgreSqlValues.Json("kinds_json", StorageJson.SerializeKinds(run.Kinds)));
            command.Parameters.Add(PostgreSqlValues.Text("record_key", run.RecordKey));
            command.Parameters.Add(PostgreSqlValues.Time("started_at", run.StartedAt));
            command.Parameters.Add(PostgreSqlValues.Time("completed_at", run.CompletedAt));
            command.Parameters.AddWithValue("outcome", (int)run.Outcome);
            command.Parameters.Add(PostgreSqlValues.Json("counts_json", StorageJson.SerializeCounts(run.Counts)));
            command.Parameters.Add(PostgreSqlValues.Time("paused_until", run.PausedUntil));
            command.Parameters.Add(PostgreSqlValues.Text("message", run.Message));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public override async Task<SyncRun?> GetAsync(string runId, CancellationToken cancellationToken = default)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = new NpgsqlCommand(_sql.RunGet, connection);
            command.Parameters.AddWithValue("run_id", runId);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadRun(reader) : null;
            }
        }
    }

    public override async Task<IReadOnlyList<SyncRun>> ListAsync(string tenantId, int limit, DateTimeOffset? startedBefore = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var runs = new List<SyncRun>();
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = new NpgsqlCommand(_sql.RunList, connection);
            command.Parameters.AddWithValue("tenant_id", tenantId);
            command.Parameters.Add(PostgreSqlValues.Time("started_before", startedBefore));
            command.Parameters.AddWithValue("limit", limit);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    runs.Add(ReadRun(reader));
                }
            }
        }

        return runs;
    }

    private static SyncRun ReadRun(NpgsqlDataReader r) => new()
    {
        RunId = r.GetString(0),
        TenantId = r.GetString(1),
        Trigger = (SyncTrigger)r.GetInt32(2),
        RequestedBy = PostgreSqlValues.ReadNullableString(r, 3),
        Kinds = StorageJson.DeserializeKinds(PostgreSqlValues.ReadNullableString(r, 4)),
        RecordKey = PostgreSqlValues.ReadNullableString(r, 5),
        StartedAt = PostgreSqlValues.ReadTime(r, 6),
        CompletedAt = PostgreSqlValues.ReadNullableTime(r, 7),
        Outcome = (RunOutcome)r.GetInt32(8),
        Counts = StorageJson.DeserializeCounts(r.GetString(9)),
        PausedUntil = PostgreSqlValues.ReadNullableTime(r, 10),
        Message = PostgreSqlValues.ReadNullableString(r, 11),
    };
}
