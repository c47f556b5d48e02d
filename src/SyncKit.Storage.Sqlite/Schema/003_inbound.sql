-- SyncKit SQLite schema, version 3: the inbound direction (pulls). {p} is the configured table prefix.
-- Self-contained: two new tables, nothing else changes, so it can be renumbered beside another branch's migration.

-- Where a pull of one kind for one tenant stands: its watermark and, while a pull is under way, its since and page.
CREATE TABLE {p}pull_cursors (
    tenant_id          TEXT    NOT NULL,
    kind               INTEGER NOT NULL,
    watermark          TEXT,
    in_progress        INTEGER NOT NULL DEFAULT 0,
    in_progress_since  TEXT,
    next_page          INTEGER NOT NULL DEFAULT 1,
    max_seen           TEXT,
    updated_at         TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, kind)
) WITHOUT ROWID;

-- Every record pulled, by the ledger's id: imported exactly once, and the reconciliation list.
CREATE TABLE {p}inbound_records (
    tenant_id          TEXT    NOT NULL,
    kind               INTEGER NOT NULL,
    remote_id          TEXT    NOT NULL,
    state              INTEGER NOT NULL,
    host_id            TEXT,
    parent_host_id     TEXT,
    candidates_json    TEXT,
    message            TEXT,
    display_name       TEXT,
    remote_updated_at  TEXT    NOT NULL,
    payload_json       TEXT,
    attempts           INTEGER NOT NULL DEFAULT 0,
    created_at         TEXT    NOT NULL,
    updated_at         TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, kind, remote_id)
) WITHOUT ROWID;

-- The reconciliation list and the retry of every run read by state.
CREATE INDEX {p}inbound_records_state ON {p}inbound_records (tenant_id, state, kind, remote_id);
