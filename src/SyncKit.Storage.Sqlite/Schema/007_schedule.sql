-- SyncKit SQLite schema, version 7: the scheduler's rota. {p} is the configured table prefix.
-- Self-contained: one new table, nothing else changes, so it can be renumbered beside another branch's migration.

-- When each tenant's next scheduled run is due, and which node has claimed it until when (a claim that ran out is free).
CREATE TABLE {p}tenant_schedule (
    tenant_id      TEXT NOT NULL PRIMARY KEY,
    due_at         TEXT NOT NULL,
    claimed_by     TEXT,
    claimed_until  TEXT
) WITHOUT ROWID;

-- Nodes claim the earliest due tenants first.
CREATE INDEX {p}tenant_schedule_due ON {p}tenant_schedule (due_at);
