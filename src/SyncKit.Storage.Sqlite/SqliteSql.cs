using SyncKit.Storage.Relational;

namespace SyncKit.Storage.Sqlite;

/// <summary>
/// Every SQL statement of the SQLite provider (the schema itself lives in the embedded <c>Schema/NNN_*.sql</c> scripts).
/// Templates use <c>{p}</c> for the table prefix, which is validated before it is substituted; values are always parameters.
/// </summary>
internal sealed class SqliteSql : RelationalSql
{
    /// <summary>The ledger's columns in the order the readers expect them.</summary>
    private const string LedgerColumns =
        "tenant_id, kind, source_id, state, display_name, remote_id, synced_hash, content_hash, idempotency_key, attempts, " +
        "next_attempt_at, error_json, warnings_json, missing_mapping, run_id, previous_state, created_at, updated_at, synced_at, version, outcome_pending";

    private SqliteSql(string prefix)
    {
        Prefix = prefix;
    }

    /// <summary>The statements for the validated table prefix <paramref name="prefix"/>.</summary>
    public static SqliteSql For(string prefix)
    {
        string P(string template) => template.Replace("{p}", prefix, StringComparison.Ordinal);
        const string RunColumns = "run_id, tenant_id, trigger_kind, requested_by, kinds_json, record_key, started_at, completed_at, outcome, counts_json, paused_until, message";
        const string TenantColumns = "tenant_id, name, connection, connection_message, paused_until, pause_reason, updated_at, connection_key, connection_id, tenant_type, connected_at";
        const string LeaseColumns = "tenant_id, scope, holder, run_id, expires_at";
        const string ScheduleColumns = "tenant_id, due_at, claimed_by, claimed_until";
        return new SqliteSql(prefix)
        {
            SchemaVersionTable = prefix + "schema_version",
            SchemaVersionCreate = P("CREATE TABLE IF NOT EXISTS {p}schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL);"),
            SchemaVersionTableExists = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = @name;",
            SchemaVersionRead = P("SELECT COALESCE(MAX(version), 0) FROM {p}schema_version;"),
            SchemaVersionInsert = P("INSERT INTO {p}schema_version (version, applied_at) VALUES (@version, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));"),

            LedgerGet = P($"SELECT {LedgerColumns} FROM {{p}}ledger_entries WHERE tenant_id = @tenant_id AND kind = @kind AND source_id = @source_id;"),
            LedgerGetMany = P($"SELECT {LedgerColumns} FROM {{p}}ledger_entries WHERE tenant_id = @tenant_id AND kind = @kind AND source_id IN (SELECT value FROM json_each(@source_ids));"),
            LedgerInsert = P(
                "INSERT INTO {p}ledger_entries (tenant_id, kind, source_id, state, display_name, remote_id, synced_hash, content_hash, idempotency_key, attempts, " +
                "next_attempt_at, error_category, error_json, warnings_json, missing_mapping, run_id, previous_state, created_at, updated_at, synced_at, outcome_pending, version) " +
                "VALUES (@tenant_id, @kind, @source_id, @state, @display_name, @remote_id, @synced_hash, @content_hash, @idempotency_key, @attempts, " +
                "@next_attempt_at, @error_category, @error_json, @warnings_json, @missing_mapping, @run_id, @previous_state, @created_at, @updated_at, @synced_at, @outcome_pending, @new_version) " +
                "ON CONFLICT (tenant_id, kind, source_id) DO NOTHING;"),
            LedgerUpdate = P(
                "UPDATE {p}ledger_entries SET state = @state, display_name = @display_name, remote_id = @remote_id, synced_hash = @synced_hash, " +
                "content_hash = @content_hash, idempotency_key = @idempotency_key, attempts = @attempts, next_attempt_at = @next_attempt_at, " +
                "error_category = @error_category, error_json = @error_json, warnings_json = @warnings_json, missing_mapping = @missing_mapping, " +
                "run_id = @run_id, previous_state = @previous_state, created_at = @created_at, updated_at = @updated_at, synced_at = @synced_at, " +
                "outcome_pending = @outcome_pending, version = @new_version " +
                "WHERE tenant_id = @tenant_id AND kind = @kind AND source_id = @source_id AND version = @version;"),
            LedgerQuerySelect = P($"SELECT {LedgerColumns} FROM {{p}}ledger_entries WHERE tenant_id = @tenant_id"),
            LedgerFindOwners = P(
                "SELECT remote_id, source_id FROM {p}ledger_entries WHERE tenant_id = @tenant_id AND kind = @kind " +
                "AND remote_id IS NOT NULL AND remote_id IN (SELECT value FROM json_each(@remote_ids)) ORDER BY remote_id, source_id;"),
            LedgerAcknowledgeOutcome = P(
                "UPDATE {p}ledger_entries SET outcome_pending = 0 " +
                "WHERE tenant_id = @tenant_id AND kind = @kind AND source_id = @source_id AND version = @version AND outcome_pending <> 0;"),
            LedgerCount = P(
                "SELECT state, COUNT(*) FROM {p}ledger_entries WHERE tenant_id = @tenant_id GROUP BY state;" +
                "SELECT error_category, COUNT(*) FROM {p}ledger_entries WHERE tenant_id = @tenant_id AND error_category IS NOT NULL GROUP BY error_category;"),

            MappingGet = P("SELECT remote_key FROM {p}mappings WHERE tenant_id = @tenant_id AND kind = @kind AND local_key = @local_key;"),
            MappingGetAll = P("SELECT local_key, remote_key FROM {p}mappings WHERE tenant_id = @tenant_id AND kind = @kind;"),
            MappingSet = P(
                "INSERT INTO {p}mappings (tenant_id, kind, local_key, remote_key) VALUES (@tenant_id, @kind, @local_key, @remote_key) " +
                "ON CONFLICT (tenant_id, kind, local_key) DO UPDATE SET remote_key = excluded.remote_key;"),
            MappingRemove = P("DELETE FROM {p}mappings WHERE tenant_id = @tenant_id AND kind = @kind AND local_key = @local_key;"),

            RunSave = P(
                $"INSERT INTO {{p}}runs ({RunColumns}) VALUES (@run_id, @tenant_id, @trigger_kind, @requested_by, @kinds_json, @record_key, @started_at, @completed_at, @outcome, @counts_json, @paused_until, @message) " +
                "ON CONFLICT (run_id) DO UPDATE SET tenant_id = excluded.tenant_id, trigger_kind = excluded.trigger_kind, requested_by = excluded.requested_by, " +
                "kinds_json = excluded.kinds_json, record_key = excluded.record_key, started_at = excluded.started_at, completed_at = excluded.completed_at, " +
                "outcome = excluded.outcome, counts_json = excluded.counts_json, paused_until = excluded.paused_until, message = excluded.message;"),
            RunGet = P($"SELECT {RunColumns} FROM {{p}}runs WHERE run_id = @run_id;"),
            RunList = P($"SELECT {RunColumns} FROM {{p}}runs WHERE tenant_id = @tenant_id AND (@started_before IS NULL OR started_at < @started_before) ORDER BY started_at DESC, run_id DESC LIMIT @limit;"),

            TenantGet = P($"SELECT {TenantColumns} FROM {{p}}tenants WHERE tenant_id = @tenant_id;"),
            TenantList = P($"SELECT {TenantColumns} FROM {{p}}tenants ORDER BY tenant_id;"),
            TenantSave = P(
                $"INSERT INTO {{p}}tenants ({TenantColumns}) VALUES (@tenant_id, @name, @connection, @connection_message, @paused_until, @pause_reason, @updated_at, @connection_key, @connection_id, @tenant_type, @connected_at) " +
                "ON CONFLICT (tenant_id) DO UPDATE SET name = excluded.name, connection = excluded.connection, connection_message = excluded.connection_message, " +
                "paused_until = excluded.paused_until, pause_reason = excluded.pause_reason, updated_at = excluded.updated_at, " +
                "connection_key = excluded.connection_key, connection_id = excluded.connection_id, tenant_type = excluded.tenant_type, connected_at = excluded.connected_at;"),
            TenantDelete = P("DELETE FROM {p}tenants WHERE tenant_id = @tenant_id; DELETE FROM {p}leases WHERE tenant_id = @tenant_id; DELETE FROM {p}tenant_schedule WHERE tenant_id = @tenant_id;"),
            LedgerDeleteTenant = P("DELETE FROM {p}ledger_entries WHERE tenant_id = @tenant_id;"),
            MappingDeleteTenant = P("DELETE FROM {p}mappings WHERE tenant_id = @tenant_id;"),
            RunDeleteTenant = P("DELETE FROM {p}runs WHERE tenant_id = @tenant_id;"),
            InboundDeleteTenant = P("DELETE FROM {p}inbound_records WHERE tenant_id = @tenant_id; DELETE FROM {p}pull_cursors WHERE tenant_id = @tenant_id;"),
            ReferenceDelete = P("DELETE FROM {p}reference_data WHERE tenant_id = @tenant_id;"),

            LeaseAcquire = P(
                $"INSERT INTO {{p}}leases ({LeaseColumns}) VALUES (@tenant_id, @scope, @holder, @run_id, @expires_at) " +
                "ON CONFLICT (tenant_id, scope) DO UPDATE SET holder = excluded.holder, run_id = excluded.run_id, expires_at = excluded.expires_at " +
                "WHERE {p}leases.expires_at <= @now OR ({p}leases.holder = excluded.holder AND {p}leases.run_id = excluded.run_id);" +
                $"SELECT {LeaseColumns} FROM {{p}}leases WHERE tenant_id = @tenant_id AND scope = @scope;"),
            LeaseRenew = P("UPDATE {p}leases SET expires_at = @expires_at WHERE tenant_id = @tenant_id AND scope = @scope AND holder = @holder AND run_id = @run_id;"),
            LeaseRelease = P("DELETE FROM {p}leases WHERE tenant_id = @tenant_id AND scope = @scope AND holder = @holder AND run_id = @run_id;"),
            LeaseGet = P($"SELECT {LeaseColumns} FROM {{p}}leases WHERE tenant_id = @tenant_id AND scope = @scope;"),

            ScheduleList = P($"SELECT {ScheduleColumns} FROM {{p}}tenant_schedule ORDER BY tenant_id;"),
            ScheduleAdd = P("INSERT INTO {p}tenant_schedule (tenant_id, due_at) VALUES (@tenant_id, @due_at) ON CONFLICT (tenant_id) DO NOTHING;"),
            // One statement under SQLite's database write lock: two nodes never claim one tenant.
            ScheduleClaim = P(
                "UPDATE {p}tenant_schedule SET claimed_by = @claimed_by, claimed_until = @claimed_until WHERE tenant_id IN (" +
                "SELECT tenant_id FROM {p}tenant_schedule WHERE due_at <= @now AND (claimed_until IS NULL OR claimed_until <= @now) ORDER BY due_at, tenant_id LIMIT @limit) " +
                $"RETURNING {ScheduleColumns};"),
            ScheduleRenew = P("UPDATE {p}tenant_schedule SET claimed_until = @claimed_until WHERE tenant_id = @tenant_id AND claimed_by = @claimed_by AND due_at = @due_at;"),
            ScheduleComplete = P("UPDATE {p}tenant_schedule SET due_at = @next_due_at, claimed_by = NULL, claimed_until = NULL WHERE tenant_id = @tenant_id AND claimed_by = @claimed_by AND due_at = @due_at;"),
            ScheduleRelease = P("UPDATE {p}tenant_schedule SET claimed_by = NULL, claimed_until = NULL WHERE tenant_id = @tenant_id AND claimed_by = @claimed_by AND due_at = @due_at;"),

            TokenGet = P("SELECT connection_key, protected_payload, updated_at, version FROM {p}tokens WHERE connection_key = @connection_key;"),
            TokenInsert = P(
                "INSERT INTO {p}tokens (connection_key, protected_payload, updated_at, version) VALUES (@connection_key, @protected_payload, @updated_at, @new_version) " +
                "ON CONFLICT (connection_key) DO NOTHING;"),
            TokenUpdate = P(
                "UPDATE {p}tokens SET protected_payload = @protected_payload, updated_at = @updated_at, version = @new_version " +
                "WHERE connection_key = @connection_key AND version = @version;"),
            TokenDelete = P("DELETE FROM {p}tokens WHERE connection_key = @connection_key;"),

            ReferenceGet = P("SELECT tenant_id, json, fetched_at FROM {p}reference_data WHERE tenant_id = @tenant_id;"),
            ReferenceSet = P(
                "INSERT INTO {p}reference_data (tenant_id, json, fetched_at) VALUES (@tenant_id, @json, @fetched_at) " +
                "ON CONFLICT (tenant_id) DO UPDATE SET json = excluded.json, fetched_at = excluded.fetched_at;"),

            EgressAdd = P(
                "INSERT INTO {p}usage_egress (tenant_id, month, endpoint, bytes) VALUES (@tenant_id, @month, @endpoint, @bytes) " +
                "ON CONFLICT (tenant_id, month, endpoint) DO UPDATE SET bytes = {p}usage_egress.bytes + excluded.bytes;"),
            EgressGet = P("SELECT endpoint, bytes FROM {p}usage_egress WHERE tenant_id = @tenant_id AND month = @month ORDER BY endpoint;"),
            CallWindowSave = P(
                "INSERT INTO {p}usage_call_windows (tenant_id, resets_at, remaining, updated_at) VALUES (@tenant_id, @resets_at, @remaining, @updated_at) " +
                "ON CONFLICT (tenant_id) DO UPDATE SET resets_at = excluded.resets_at, remaining = excluded.remaining, updated_at = excluded.updated_at;"),
            CallWindowGet = P("SELECT resets_at, remaining, updated_at FROM {p}usage_call_windows WHERE tenant_id = @tenant_id;"),
            TenantSettingsGet = P("SELECT tenant_id, settings_json, updated_at FROM {p}tenant_settings WHERE tenant_id = @tenant_id;"),
            TenantSettingsSave = P(
                "INSERT INTO {p}tenant_settings (tenant_id, settings_json, updated_at) VALUES (@tenant_id, @settings_json, @updated_at) " +
                "ON CONFLICT (tenant_id) DO UPDATE SET settings_json = excluded.settings_json, updated_at = excluded.updated_at;"),
            InboundCursorGet = P("SELECT tenant_id, kind, watermark, in_progress, in_progress_since, next_page, max_seen, updated_at, page_token FROM {p}pull_cursors WHERE tenant_id = @tenant_id AND kind = @kind;"),
            InboundCursorSave = P(
                "INSERT INTO {p}pull_cursors (tenant_id, kind, watermark, in_progress, in_progress_since, next_page, max_seen, updated_at, page_token) VALUES (@tenant_id, @kind, @watermark, @in_progress, @in_progress_since, @next_page, @max_seen, @updated_at, @page_token) " +
                "ON CONFLICT (tenant_id, kind) DO UPDATE SET watermark = excluded.watermark, in_progress = excluded.in_progress, in_progress_since = excluded.in_progress_since, next_page = excluded.next_page, max_seen = excluded.max_seen, updated_at = excluded.updated_at, page_token = excluded.page_token;"),
            InboundRecordGetMany = P("SELECT tenant_id, kind, remote_id, state, host_id, parent_host_id, candidates_json, message, display_name, remote_updated_at, payload_json, attempts, created_at, updated_at FROM {p}inbound_records WHERE tenant_id = @tenant_id AND kind = @kind AND remote_id IN (SELECT value FROM json_each(@remote_ids));"),
            InboundRecordSave = P(
                "INSERT INTO {p}inbound_records (tenant_id, kind, remote_id, state, host_id, parent_host_id, candidates_json, message, display_name, remote_updated_at, payload_json, attempts, created_at, updated_at) VALUES (@tenant_id, @kind, @remote_id, @state, @host_id, @parent_host_id, @candidates_json, @message, @display_name, @remote_updated_at, @payload_json, @attempts, @created_at, @updated_at) " +
                "ON CONFLICT (tenant_id, kind, remote_id) DO UPDATE SET state = excluded.state, host_id = excluded.host_id, parent_host_id = excluded.parent_host_id, candidates_json = excluded.candidates_json, message = excluded.message, display_name = excluded.display_name, remote_updated_at = excluded.remote_updated_at, payload_json = excluded.payload_json, attempts = excluded.attempts, updated_at = excluded.updated_at;"),
            InboundRecordList = P(
                "SELECT tenant_id, kind, remote_id, state, host_id, parent_host_id, candidates_json, message, display_name, remote_updated_at, payload_json, attempts, created_at, updated_at FROM {p}inbound_records WHERE tenant_id = @tenant_id AND state IN (SELECT value FROM json_each(@states)) " +
                "AND (@after_kind IS NULL OR (kind, remote_id) > (@after_kind, @after_remote_id)) ORDER BY kind, remote_id LIMIT @limit;"),

            WebhookAdd = P(
                "INSERT INTO {p}webhook_events (event_id, tenant_id, category, event_type, resource_id, occurred_at, received_at, state, attempts) VALUES (@event_id, @tenant_id, @category, @event_type, @resource_id, @occurred_at, @received_at, 1, 0) " +
                "ON CONFLICT (event_id) DO NOTHING;"),
            WebhookClaim = P(
                "UPDATE {p}webhook_events SET claim_id = @claim_id, claim_until = @claim_until, attempts = attempts + 1 WHERE event_id IN (" +
                "SELECT event_id FROM {p}webhook_events WHERE state = 1 AND received_at <= @received_before AND (claim_until IS NULL OR claim_until < @now) ORDER BY received_at, event_id LIMIT @limit) " +
                "RETURNING event_id, tenant_id, category, event_type, resource_id, occurred_at, received_at, state, attempts, completed_at, message;"),
            WebhookComplete = P(
                "UPDATE {p}webhook_events SET state = @state, message = @message, completed_at = @now, claim_id = NULL, claim_until = NULL " +
                "WHERE claim_id = @claim_id AND state = 1 AND event_id IN (SELECT value FROM json_each(@event_ids));"),
            WebhookRelease = P("UPDATE {p}webhook_events SET claim_id = NULL, claim_until = NULL WHERE claim_id = @claim_id AND state = 1 AND event_id IN (SELECT value FROM json_each(@event_ids));"),
            WebhookGetMany = P("SELECT event_id, tenant_id, category, event_type, resource_id, occurred_at, received_at, state, attempts, completed_at, message FROM {p}webhook_events WHERE event_id IN (SELECT value FROM json_each(@event_ids));"),
            WebhookLastReceived = P("SELECT MAX(received_at) FROM {p}webhook_events WHERE @tenant_id IS NULL OR tenant_id = @tenant_id;"),

            // Query fragments appended to LedgerQuerySelect as the filter needs them.
            QueryAfter = " AND (kind, source_id) > (@after_kind, @after_source_id)",
            QueryStates = " AND state IN (SELECT value FROM json_each(@states))",
            QueryKinds = " AND kind IN (SELECT value FROM json_each(@kinds))",
            QueryErrorCategory = " AND error_category = @error_category",
            QueryMissingMapping = " AND missing_mapping = @missing_mapping",
            QueryNotTouchedBy = " AND (run_id IS NULL OR run_id <> @not_run_id)",
            QueryTouchedBy = " AND run_id = @run_id",
            QueryDueAt = " AND (next_attempt_at IS NULL OR next_attempt_at <= @due_at)",
            QueryOutcomePending = " AND outcome_pending = @outcome_pending",
            QueryOrderLimit = " ORDER BY kind, source_id LIMIT @limit;",
        };
    }

    /// <summary>Per-connection settings: wait for locks, fsync at checkpoints only (safe with WAL).</summary>
    public const string ConnectionPragmas = "PRAGMA busy_timeout = {0}; PRAGMA synchronous = NORMAL;";

    /// <summary>Switches the file to write-ahead logging (persistent; run outside a transaction).</summary>
    public const string EnableWal = "PRAGMA journal_mode = WAL;";

    public string Prefix { get; }

    /// <summary>Substitutes the prefix into a schema script.</summary>
    public override string ApplyToScript(string script) => script.Replace("{p}", Prefix, StringComparison.Ordinal);
}
