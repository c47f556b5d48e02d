-- SyncKit SQLite schema, version 1. {p} is the configured table prefix (validated: ^[a-z_][a-z0-9_]*$).
-- Times are ISO-8601 UTC text with seven fractional digits (yyyy-MM-ddTHH:mm:ss.fffffffZ), so text order is time order.

CREATE TABLE {p}ledger_entries (
    tenant_id        TEXT    NOT NULL,
    kind             INTEGER NOT NULL,
    source_id        TEXT    NOT NULL,
    state            INTEGER NOT NULL,
    display_name     TEXT,
    remote_id        TEXT,
    synced_hash      TEXT,
    content_hash     TEXT,
    idempotency_key  TEXT,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT,
    error_category   TEXT,
    error_json       TEXT,
    warnings_json    TEXT,
    missing_mapping  TEXT,
    run_id           TEXT,
    previous_state   INTEGER,
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL,
    synced_at        TEXT,
    version          INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, kind, source_id)
) WITHOUT ROWID;

CREATE INDEX {p}ledger_entries_state ON {p}ledger_entries (tenant_id, state, kind, source_id);
CREATE INDEX {p}ledger_entries_error_category ON {p}ledger_entries (tenant_id, error_category) WHERE error_category IS NOT NULL;
CREATE INDEX {p}ledger_entries_missing_mapping ON {p}ledger_entries (tenant_id, missing_mapping) WHERE missing_mapping IS NOT NULL;

CREATE TABLE {p}mappings (
    tenant_id   TEXT    NOT NULL,
    kind        INTEGER NOT NULL,
    local_key   TEXT    NOT NULL,
    remote_key  TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, kind, local_key)
) WITHOUT ROWID;

CREATE TABLE {p}runs (
    run_id        TEXT    NOT NULL PRIMARY KEY,
    tenant_id     TEXT    NOT NULL,
    trigger_kind  INTEGER NOT NULL,
    requested_by  TEXT,
    kinds_json    TEXT,
    record_key    TEXT,
    started_at    TEXT    NOT NULL,
    completed_at  TEXT,
    outcome       INTEGER NOT NULL,
    counts_json   TEXT    NOT NULL,
    paused_until  TEXT,
    message       TEXT
);

CREATE INDEX {p}runs_tenant_started ON {p}runs (tenant_id, started_at DESC, run_id DESC);

CREATE TABLE {p}tenants (
    tenant_id           TEXT    NOT NULL PRIMARY KEY,
    name                TEXT,
    connection          INTEGER NOT NULL,
    connection_message  TEXT,
    paused_until        TEXT,
    pause_reason        TEXT,
    updated_at          TEXT    NOT NULL
) WITHOUT ROWID;

CREATE TABLE {p}leases (
    tenant_id   TEXT NOT NULL,
    scope       TEXT NOT NULL,
    holder      TEXT NOT NULL,
    run_id      TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, scope)
) WITHOUT ROWID;

CREATE TABLE {p}tokens (
    connection_key     TEXT    NOT NULL PRIMARY KEY,
    protected_payload  TEXT    NOT NULL,
    updated_at         TEXT    NOT NULL,
    version            INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE {p}reference_data (
    tenant_id   TEXT NOT NULL PRIMARY KEY,
    json        TEXT NOT NULL,
    fetched_at  TEXT NOT NULL
) WITHOUT ROWID;
