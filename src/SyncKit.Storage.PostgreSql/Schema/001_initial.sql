-- SyncKit PostgreSQL schema, version 1. {s} is the configured schema (validated: ^[a-z_][a-z0-9_]*$).
-- Keys use COLLATE "C" so keyset paging orders by code point, as every SyncKit provider does.

CREATE TABLE {s}.ledger_entries (
    tenant_id        text COLLATE "C" NOT NULL,
    kind             integer          NOT NULL,
    source_id        text COLLATE "C" NOT NULL,
    state            integer          NOT NULL,
    display_name     text,
    remote_id        text,
    synced_hash      text,
    content_hash     text,
    idempotency_key  text,
    attempts         integer          NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz,
    error_category   text,
    error_json       jsonb,
    warnings_json    jsonb,
    missing_mapping  text,
    run_id           text,
    previous_state   integer,
    created_at       timestamptz      NOT NULL,
    updated_at       timestamptz      NOT NULL,
    synced_at        timestamptz,
    version          bigint           NOT NULL,
    PRIMARY KEY (tenant_id, kind, source_id)
);

CREATE INDEX ledger_entries_state ON {s}.ledger_entries (tenant_id, state, kind, source_id);
CREATE INDEX ledger_entries_error_category ON {s}.ledger_entries (tenant_id, error_category) WHERE error_category IS NOT NULL;
CREATE INDEX ledger_entries_missing_mapping ON {s}.ledger_entries (tenant_id, missing_mapping) WHERE missing_mapping IS NOT NULL;

CREATE TABLE {s}.mappings (
    tenant_id   text COLLATE "C" NOT NULL,
    kind        integer          NOT NULL,
    local_key   text COLLATE "C" NOT NULL,
    remote_key  text             NOT NULL,
    PRIMARY KEY (tenant_id, kind, local_key)
);

CREATE TABLE {s}.runs (
    run_id        text COLLATE "C" NOT NULL PRIMARY KEY,
    tenant_id     text COLLATE "C" NOT NULL,
    trigger_kind  integer          NOT NULL,
    requested_by  text,
    kinds_json    jsonb,
    record_key    text,
    started_at    timestamptz      NOT NULL,
    completed_at  timestamptz,
    outcome       integer          NOT NULL,
    counts_json   jsonb            NOT NULL,
    paused_until  timestamptz,
    message       text
);

CREATE INDEX runs_tenant_started ON {s}.runs (tenant_id, started_at DESC, run_id DESC);

CREATE TABLE {s}.tenants (
    tenant_id           text COLLATE "C" NOT NULL PRIMARY KEY,
    name                text,
    connection          integer          NOT NULL,
    connection_message  text,
    paused_until        timestamptz,
    pause_reason        text,
    updated_at          timestamptz      NOT NULL
);

CREATE TABLE {s}.leases (
    tenant_id   text COLLATE "C" NOT NULL,
    scope       text COLLATE "C" NOT NULL,
    holder      text             NOT NULL,
    run_id      text             NOT NULL,
    expires_at  timestamptz      NOT NULL,
    PRIMARY KEY (tenant_id, scope)
);

CREATE TABLE {s}.tokens (
    connection_key     text COLLATE "C" NOT NULL PRIMARY KEY,
    protected_payload  text             NOT NULL,
    updated_at         timestamptz      NOT NULL,
    version            bigint           NOT NULL
);

CREATE TABLE {s}.reference_data (
    tenant_id   text COLLATE "C" NOT NULL PRIMARY KEY,
    json        text             NOT NULL,
    fetched_at  timestamptz      NOT NULL
);
