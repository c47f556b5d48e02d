-- SyncKit PostgreSQL schema, version 3: the inbound direction (pulls). {s} is the configured schema.
-- Self-contained: two new tables, nothing else changes, so it can be renumbered beside another branch's migration.

-- Where a pull of one kind for one tenant stands: its watermark and, while a pull is under way, its since and page.
CREATE TABLE {s}.pull_cursors (
    tenant_id          text COLLATE "C" NOT NULL,
    kind               integer          NOT NULL,
    watermark          timestamptz,
    in_progress        boolean          NOT NULL DEFAULT false,
    in_progress_since  timestamptz,
    next_page          integer          NOT NULL DEFAULT 1,
    max_seen           timestamptz,
    updated_at         timestamptz      NOT NULL,
    PRIMARY KEY (tenant_id, kind)
);

-- Every record pulled, by the ledger's id: imported exactly once, and the reconciliation list.
CREATE TABLE {s}.inbound_records (
    tenant_id          text COLLATE "C" NOT NULL,
    kind               integer          NOT NULL,
    remote_id          text COLLATE "C" NOT NULL,
    state              integer          NOT NULL,
    host_id            text,
    parent_host_id     text,
    candidates_json    jsonb,
    message            text,
    display_name       text,
    remote_updated_at  timestamptz      NOT NULL,
    payload_json       text,
    attempts           integer          NOT NULL DEFAULT 0,
    created_at         timestamptz      NOT NULL,
    updated_at         timestamptz      NOT NULL,
    PRIMARY KEY (tenant_id, kind, remote_id)
);

-- The reconciliation list and the retry of every run read by state.
CREATE INDEX inbound_records_state ON {s}.inbound_records (tenant_id, state, kind, remote_id);
