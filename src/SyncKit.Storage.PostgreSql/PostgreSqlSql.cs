using SyncKit.Storage.Relational;

namespace SyncKit.Storage.PostgreSql;

/// <summary>
/// Every SQL statement of the PostgreSQL provider (the schema itself lives in the embedded <c>Schema/NNN_*.sql</c> scripts).
/// Templates use <c>{s}</c> for the schema name, which is validated before it is substituted; values are always parameters.
/// </summary>
internal sealed class PostgreSqlSql : RelationalSql
{
    /// <summary>The first half of the advisory lock key that serialises migrations ("SYNC").</summary>
    public const int MigrationLockClass = 0x53594E43;

    public const string MigrationLock = "SELECT pg_advisory_lock(@lock_class, hashtext(@schema));";

    public const string MigrationUnlock = "SELECT pg_advisory_unlock(@lock_class, hashtext(@schema));";

    private const string LedgerColumns =
        "tenant_id, kind, source_id, state, display_name, remote_id, synced_hash, content_hash, idempotency_key, attempts, " +
        "next_attempt_at, error_json::text, warnings_json::text, missing_mapping, run_id, previous_state, created_at, updated_at, synced_at, version, outcome_pending";

    private PostgreSqlSql(string schema)
    {
        Schema = schema;
    }

    /// <summary>The statements for the validated schema <paramref name="schema"/>.</summary>
    public static PostgreSqlSql For(string schema)
    {
        string S(string template) => template.Replace("{s}", schema, StringComparison.Ordinal);
        const string RunColumns = "run_id, tenant_id, trigger_kind, requested_by, kinds_json, record_key, started_at, completed_at, outcome, counts_json, paused_until, message";
        const string RunSelect = "run_id, tenant_id, trigger_kind, requested_by, kinds_json::text, record_key, started_at, completed_at, outcome, counts_json::text, paused_until, message";
        const string TenantColumns = "tenant_id, name, connection, connection_message, paused_until, pause_reason, updated_at, connection_key, connection_id, tenant_type, connected_at";
        const string LeaseColumns = "tenant_id, scope, holder, run_id, expires_at";
        const string ScheduleColumns = "tenant_id, due_at, claimed_by, claimed_until";
        return new PostgreSqlSql(schema)
        {
            SchemaVersionTable = schema + ".schema_version",
            SchemaVersionCreate = S(
                "CREATE SCHEMA IF NOT EXISTS {s}; " +
                "CREATE TABLE IF NOT EXISTS {s}.schema_version (version integer NOT NULL PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());"),
            SchemaVersionTableExists = "SELECT to_regclass(@name) IS NOT NULL;",
            SchemaVersionRead = S("SELECT COALESCE(MAX(version), 0) FROM {s}.schema_version;"),
            SchemaVersionInsert = S("INSERT INTO {s}.schema_version (version) VALUES (@version);"),

            LedgerGet = S($"SELECT {LedgerColumns} FROM {{s}}.ledger_entries WHERE tenant_id = @tenant_id AND kind = @kind AND source_id = @source_id;"),
            LedgerGetMany = S($"SELECT {LedgerColumns} FROM {{s}}.ledger_entries WHERE tenant_id = @tenant_id AND kind = @kind AND source_id = ANY(@source_ids);"),
            // Positional: $1..$22 are the entry's columns with $22 the new version; the update adds $23, the expected version.
            LedgerInsert = S(
                "INSERT INTO {s}.ledger_entries (tenant_id, kind, source_id, state, display_name, remote_id, synced_hash, content_hash, idempotency_key, attempts, " +
                "next_attempt_at, error_category, error_json, warnings_json, missing_mapping, run_id, previous_state, created_at, updated_at, synced_at, outcome_pending, version) " +
                "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22) " +
                "ON CONFLICT (tenant_id, kind, source_id) DO NOTHING"),
            LedgerUpdate = S(
                "UPDATE {s}.ledger_entries SET state = $4, display_name = $5, remote_id = $6, synced_hash = $7, content_hash = $8, idempotency_key = $9, " +
                "attempts = $10, next_attempt_at = $11, error_category = $12, error_json = $13, warnings_json = $14, missing_mapping = $15, run_id = $16, " +
                "previous_state = $17, created_at = $18, updated_at = $19, synced_at = $20, outcome_pending = $21, version = $22 " +
                "WHERE tenant_id = $1 AND kind = $2 AND source_id = $3 AND version = $23"),
            LedgerQuerySelect = S($"SELECT {LedgerColumns} FROM {{s}}.ledger_entries WHERE tenant_id = @tenant_id"),
            LedgerFindOwners = S(
                "SELECT remote_id, source_id FROM {s}.ledger_entries WHERE tenant_id = @tenant_id AND kind = @kind " +
                "AND remote_id IS NOT NULL AND remote_id = ANY(@remote_ids) ORDER BY remote_id, source_id;"),
            // One statement per save over arrays, in the same column order ($1..$22; the update adds $23, the expected
            // version); JSON arrives as text. The keys come back for the rows written: the others conflicted.
            LedgerInsertMany = S(
                "INSERT INTO {s}.ledger_entries (tenant_id, kind, source_id, state, display_name, remote_id, synced_hash, content_hash, idempotency_key, attempts, " +
                "next_attempt_at, error_category, error_json, warnings_json, missing_mapping, run_id, previous_state, created_at, updated_at, synced_at, outcome_pending, version) " +
                "SELECT c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13::jsonb, c14::jsonb, c15, c16, c17, c18, c19, c20, c21, c22 " +
                "FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22) " +
                "AS v (c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, c18, c19, c20, c21, c22) " +
                "ON CONFLICT (tenant_id, kind, source_id) DO NOTHING RETURNING tenant_id, kind, source_id"),
            LedgerUpdateMany = S(
                "UPDATE {s}.ledger_entries AS l SET state = v.c4, display_name = v.c5, remote_id = v.c6, synced_hash = v.c7, content_hash = v.c8, " +
                "idempotency_key = v.c9, attempts = v.c10, next_attempt_at = v.c11, error_category = v.c12, error_json = v.c13::jsonb, " +
                "warnings_json = v.c14::jsonb, missing_mapping = v.c15, run_id = v.c16, previous_state = v.c17, created_at = v.c18, " +
                "updated_at = v.c19, synced_at = v.c20, outcome_pending = v.c21, version = v.c22 " +
                "FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23) " +
                "AS v (c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, c18, c19, c20, c21, c22, c23) " +
                "WHERE l.tenant_id = v.c1 COLLATE \"C\" AND l.kind = v.c2 AND l.source_id = v.c3 COLLATE \"C\" AND l.version = v.c23 " +
                "RETURNING l.tenant_id, l.kind, l.source_id"),

            // Positional, in a batch like the save: $1..$3 the key, $4 the version the entry was read at.
            LedgerAcknowledgeOutcome = S(
                "UPDATE {s}.ledger_entries SET outcome_pending = false " +
                "WHERE tenant_id = $1 AND kind = $2 AND source_id = $3 AND version = $4 AND outcome_pending"),
            LedgerCount = S(
                "SELECT state, COUNT(*)::integer FROM {s}.ledger_entries WHERE tenant_id = @tenant_id GROUP BY state;" +
                "SELECT error_category, COUNT(*)::integer FROM {s}.ledger_entries WHERE tenant_id = @tenant_id AND error_category IS NOT NULL GROUP BY error_category;"),

            MappingGet = S("SELECT remote_key FROM {s}.mappings WHERE tenant_id = @tenant_id AND kind = @kind AND local_key = @local_key;"),
            MappingGetAll = S("SELECT local_key, remote_key FROM {s}.mappings WHERE tenant_id = @tenant_id AND kind = @kind;"),
            MappingSet = S(
                "INSERT INTO {s}.mappings (tenant_id, kind, local_key, remote_key) VALUES (@tenant_id, @kind, @local_key, @remote_key) " +
                "ON CONFLICT (tenant_id, kind, local_key) DO UPDATE SET remote_key = excluded.remote_key;"),
            MappingRemove = S("DELETE FROM {s}.mappings WHERE tenant_id = @tenant_id AND kind = @kind AND local_key = @local_key;"),

            RunSave = S(
                $"INSERT INTO {{s}}.runs ({RunColumns}) VALUES (@run_id, @tenant_id, @trigger_kind, @requested_by, @kinds_json, @record_key, @started_at, @completed_at, @outcome, @counts_json, @paused_until, @message) " +
                "ON CONFLICT (run_id) DO UPDATE SET tenant_id = excluded.tenant_id, trigger_kind = excluded.trigger_kind, requested_by = excluded.requested_by, " +
                "kinds_json = excluded.kinds_json, record_key = excluded.record_key, started_at = excluded.started_at, completed_at = excluded.completed_at, " +
                "outcome = excluded.outcome, counts_json = excluded.counts_json, paused_until = excluded.paused_until, message = excluded.message;"),
            RunGet = S($"SELECT {RunSelect} FROM {{s}}.runs WHERE run_id = @run_id;"),
            RunList = S($"SELECT {RunSelect} FROM {{s}}.runs WHERE tenant_id = @tenant_id AND (@started_before::timestamptz IS NULL OR started_at < @started_before::timestamptz) ORDER BY started_at DESC, run_id DESC LIMIT @limit;"),

            TenantGet = S($"SELECT {TenantColumns} FROM {{s}}.tenants WHERE tenant_id = @tenant_id;"),
            TenantList = S($"SELECT {TenantColumns} FROM {{s}}.tenants ORDER BY tenant_id;"),
            TenantSave = S(
                $"INSERT INTO {{s}}.tenants ({TenantColumns}) VALUES (@tenant_id, @name, @connection, @connection_message, @paused_until, @pause_reason, @updated_at, @connection_key, @connection_id, @tenant_type, @connected_at) " +
                "ON CONFLICT (tenant_id) DO UPDATE SET name = excluded.name, connection = excluded.connection, connection_message = excluded.connection_message, " +
                "paused_until = excluded.paused_until, pause_reason = excluded.pause_reason, updated_at = excluded.updated_at, " +
                "connection_key = excluded.connection_key, connection_id = excluded.connection_id, tenant_type = excluded.tenant_type, connected_at = excluded.connected_at;"),
            TenantDelete = S("DELETE FROM {s}.tenants WHERE tenant_id = @tenant_id; DELETE FROM {s}.leases WHERE tenant_id = @tenant_id; DELETE FROM {s}.tenant_schedule WHERE tenant_id = @tenant_id;"),
            LedgerDeleteTenant = S("DELETE FROM {s}.ledger_entries WHERE tenant_id = @tenant_id;"),
            MappingDeleteTenant = S("DELETE FROM {s}.mappings WHERE tenant_id = @tenant_id;"),
            RunDeleteTenant = S("DELETE FROM {s}.runs WHERE tenant_id = @tenant_id;"),
            InboundDeleteTenant = S("DELETE FROM {s}.inbound_records WHERE tenant_id = @tenant_id; DELETE FROM {s}.pull_cursors WHERE tenant_id = @tenant_id;"),
            ReferenceDelete = S("DELETE FROM {s}.reference_data WHERE tenant_id = @tenant_id;"),

            LeaseAcquire = S(
                $"INSERT INTO {{s}}.leases AS l ({LeaseColumns}) VALUES (@tenant_id, @scope, @holder, @run_id, @expires_at) " +
                "ON CONFLICT (tenant_id, scope) DO UPDATE SET holder = excluded.holder, run_id = excluded.run_id, expires_at = excluded.expires_at " +
                "WHERE l.expires_at <= @now OR (l.holder = excluded.holder AND l.run_id = excluded.run_id) " +
                $"RETURNING {LeaseColumns};"),
            LeaseRenew = S("UPDATE {s}.leases SET expires_at = @expires_at WHERE tenant_id = @tenant_id AND scope = @scope AND holder = @holder AND run_id = @run_id;"),
            LeaseRelease = S("DELETE FROM {s}.leases WHERE tenant_id = @tenant_id AND scope = @scope AND holder = @holder AND run_id = @run_id;"),
            LeaseGet = S($"SELECT {LeaseColumns} FROM {{s}}.leases WHERE tenant_id = @tenant_id AND scope = @scope;"),

            ScheduleList = S($"SELECT {ScheduleColumns} FROM {{s}}.tenant_schedule ORDER BY tenant_id;"),
            ScheduleAdd = S("INSERT INTO {s}.tenant_schedule (tenant_id, due_at) VALUES (@tenant_id, @due_at) ON CONFLICT (tenant_id) DO NOTHING;"),
            // Rows another node is claiming are skipped, not waited for; a row claimed since this statement's snapshot is
            // re-checked against the WHERE once locked, so it drops out: two nodes never claim one tenant.
            ScheduleClaim = S(
                "UPDATE {s}.tenant_schedule t SET claimed_by = @claimed_by, claimed_until = @claimed_until FROM (" +
                "SELECT tenant_id FROM {s}.tenant_schedule WHERE due_at <= @now AND (claimed_until IS NULL OR claimed_until <= @now) ORDER BY due_at, tenant_id LIMIT @limit FOR UPDATE SKIP LOCKED) c " +
                "WHERE t.tenant_id = c.tenant_id RETURNING t.tenant_id, t.due_at, t.claimed_by, t.claimed_until;"),
            ScheduleRenew = S("UPDATE {s}.tenant_schedule SET claimed_until = @claimed_until WHERE tenant_id = @tenant_id AND claimed_by = @claimed_by AND due_at = @due_at;"),
            ScheduleComplete = S("UPDATE {s}.tenant_schedule SET due_at = @next_due_at, claimed_by = NULL, claimed_until = NULL WHERE tenant_id = @tenant_id AND claimed_by = @claimed_by AND due_at = @due_at;"),
            ScheduleRelease = S("UPDATE {s}.tenant_schedule SET claimed_by = NULL, claimed_until = NULL WHERE tenant_id = @tenant_id AND claimed_by = @claimed_by AND due_at = @due_at;"),

            TokenGet = S("SELECT connection_key, protected_payload, updated_at, version FROM {s}.tokens WHERE connection_key = @connection_key;"),
            TokenInsert = S(
                "INSERT INTO {s}.tokens (connection_key, protected_payload, updated_at, version) VALUES (@connection_key, @protected_payload, @updated_at, @new_version) " +
                "ON CONFLICT (connection_key) DO NOTHING;"),
            TokenUpdate = S(
                "UPDATE {s}.tokens SET protected_payload = @protected_payload, updated_at = @updated_at, version = @new_version " +
                "WHERE connection_key = @connection_key AND version = @version;"),
            TokenDelete = S("DELETE FROM {s}.tokens WHERE connection_key = @connection_key;"),

            ReferenceGet = S("SELECT tenant_id, json, fetched_at FROM {s}.reference_data WHERE tenant_id = @tenant_id;"),
            ReferenceSet = S(
                "INSERT INTO {s}.reference_data (tenant_id, json, fetched_at) VALUES (@tenant_id, @json, @fetched_at) " +
                "ON CONFLICT (tenant_id) DO UPDATE SET json = excluded.json, fetched_at = excluded.fetched_at;"),

            EgressAdd = S(
                "INSERT INTO {s}.usage_egress (tenant_id, month, endpoint, bytes) VALUES (@tenant_id, @month, @endpoint, @bytes) " +
                "ON CONFLICT (tenant_id, month, endpoint) DO UPDATE SET bytes = {s}.usage_egress.bytes + excluded.bytes;"),
            EgressGet = S("SELECT endpoint, bytes FROM {s}.usage_egress WHERE tenant_id = @tenant_id AND month = @month ORDER BY endpoint;"),
            CallWindowSave = S(
                "INSERT INTO {s}.usage_call_windows (tenant_id, resets_at, remaining, updated_at) VALUES (@tenant_id, @resets_at, @remaining, @updated_at) " +
                "ON CONFLICT (tenant_id) DO UPDATE SET resets_at = excluded.resets_at, remaining = excluded.remaining, updated_at = excluded.updated_at;"),
            CallWindowGet = S("SELECT resets_at, remaining, updated_at FROM {s}.usage_call_windows WHERE tenant_id = @tenant_id;"),
            TenantSettingsGet = S("SELECT tenant_id, settings_json::text, updated_at FROM {s}.tenant_settings WHERE tenant_id = @tenant_id;"),
            TenantSettingsSave = S(
                "INSERT INTO {s}.tenant_settings (tenant_id, settings_json, updated_at) VALUES (@tenant_id, @settings_json, @updated_at) " +
                "ON CONFLICT (tenant_id) DO UPDATE SET settings_json = excluded.settings_json, updated_at = excluded.updated_at;"),
            InboundCursorGet = S("SELECT tenant_id, kind, watermark, in_progress, in_progress_since, next_page, max_seen, updated_at, page_token FROM {s}.pull_cursors WHERE tenant_id = @tenant_id AND kind = @kind;"),
            InboundCursorSave = S(
                "INSERT INTO {s}.pull_cursors (tenant_id, kind, watermark, in_progress, in_progress_since, next_page, max_seen, updated_at, page_token) VALUES (@tenant_id, @kind, @watermark, @in_progress, @in_progress_since, @next_page, @max_seen, @updated_at, @page_token) " +
                "ON CONFLICT (tenant_id, kind) DO UPDATE SET watermark = excluded.watermark, in_progress = excluded.in_progress, in_progress_since = excluded.in_progress_since, next_page = excluded.next_page, max_seen = excluded.max_seen, updated_at = excluded.updated_at, page_token = excluded.page_token;"),
            InboundRecordGetMany = S("SELECT tenant_id, kind, remote_id, state, host_id, parent_host_id, candidates_json::text, message, display_name, remote_updated_at, payload_json, attempts, created_at, updated_at FROM {s}.inbound_records WHERE tenant_id = @tenant_id AND kind = @kind AND remote_id = ANY(@remote_ids);"),
            InboundRecordSave = S(
                "INSERT INTO {s}.inbound_records (tenant_id, kind, remote_id, state, host_id, parent_host_id, candidates_json, message, display_name, remote_updated_at, payload_json, attempts, created_at, updated_at) VALUES (@tenant_id, @kind, @remote_id, @state, @host_id, @parent_host_id, @candidates_json, @message, @display_name, @remote_updated_at, @payload_json, @attempts, @created_at, @updated_at) " +
                "ON CONFLICT (tenant_id, kind, remote_id) DO UPDATE SET state = excluded.state, host_id = excluded.host_id, parent_host_id = excluded.parent_host_id, candidates_json = excluded.candidates_json, message = excluded.message, display_name = excluded.display_name, remote_updated_at = excluded.remote_updated_at, payload_json = excluded.payload_json, attempts = excluded.attempts, updated_at = excluded.updated_at;"),
            InboundRecordList = S(
                "SELECT tenant_id, kind, remote_id, state, host_id, parent_host_id, candidates_json::text, message, display_name, remote_updated_at, payload_json, attempts, created_at, updated_at FROM {s}.inbound_records WHERE tenant_id = @tenant_id AND state = ANY(@states) " +
                "AND (@after_kind::integer IS NULL OR (kind, remote_id) > (@after_kind::integer, @after_remote_id::text)) ORDER BY kind, remote_id LIMIT @limit;"),

            WebhookAdd = S(
                "INSERT INTO {s}.webhook_events (event_id, tenant_id, category, event_type, resource_id, occurred_at, received_at, state, attempts) VALUES (@event_id, @tenant_id, @category, @event_type, @resource_id, @occurred_at, @received_at, 1, 0) " +
                "ON CONFLICT (event_id) DO NOTHING;"),
            WebhookClaim = S(
                "UPDATE {s}.webhook_events w SET claim_id = @claim_id, claim_until = @claim_until, attempts = w.attempts + 1 FROM (" +
                "SELECT event_id FROM {s}.webhook_events WHERE state = 1 AND received_at <= @received_before AND (claim_until IS NULL OR claim_until < @now) ORDER BY received_at, event_id LIMIT @limit FOR UPDATE SKIP LOCKED) c " +
                "WHERE w.event_id = c.event_id RETURNING w.event_id, w.tenant_id, w.category, w.event_type, w.resource_id, w.occurred_at, w.received_at, w.state, w.attempts, w.completed_at, w.message;"),
            WebhookComplete = S(
                "UPDATE {s}.webhook_events SET state = @state, message = @message, completed_at = @now, claim_id = NULL, claim_until = NULL " +
                "WHERE claim_id = @claim_id AND state = 1 AND event_id = ANY(@event_ids);"),
            WebhookRelease = S("UPDATE {s}.webhook_events SET claim_id = NULL, claim_until = NULL WHERE claim_id = @claim_id AND state = 1 AND event_id = ANY(@event_ids);"),
            WebhookGetMany = S("SELECT event_id, tenant_id, category, event_type, resource_id, occurred_at, received_at, state, attempts, completed_at, message FROM {s}.webhook_events WHERE event_id = ANY(@event_ids);"),
            WebhookLastReceived = S("SELECT MAX(received_at) FROM {s}.webhook_events WHERE @tenant_id::text IS NULL OR tenant_id = @tenant_id::text;"),

            // Query fragments appended to LedgerQuerySelect as the filter needs them.
            QueryAfter = " AND (kind, source_id) > (@after_kind, @after_source_id)",
            QueryStates = " AND state = ANY(@states)",
            QueryKinds = " AND kind = ANY(@kinds)",
            QueryErrorCategory = " AND error_category = @error_category",
            QueryMissingMapping = " AND missing_mapping = @missing_mapping",
            QueryNotTouchedBy = " AND (run_id IS NULL OR run_id <> @not_run_id)",
            QueryTouchedBy = " AND run_id = @run_id",
            QueryDueAt = " AND (next_attempt_at IS NULL OR next_attempt_at <= @due_at)",
            QueryOutcomePending = " AND outcome_pending = @outcome_pending",
            QueryOrderLimit = " ORDER BY kind, source_id LIMIT @limit;",
        };
    }

    public string Schema { get; }

    /// <summary>A save's inserts as one statement over arrays (see <see cref="RelationalRows.LedgerParameterNames"/>).</summary>
    public required string LedgerInsertMany { get; init; }

    /// <summary>A save's version-guarded updates as one statement over arrays (see <see cref="RelationalRows.LedgerUpdateParameterNames"/>).</summary>
    public required string LedgerUpdateMany { get; init; }

    /// <summary>Substitutes the schema into a schema script.</summary>
    public override string ApplyToScript(string script) => script.Replace("{s}", Schema, StringComparison.Ordinal);
}
