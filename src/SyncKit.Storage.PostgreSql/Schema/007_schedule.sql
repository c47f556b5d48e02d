-- SyncKit PostgreSQL schema, version 7: the scheduler's rota. {s} is the configured schema.
-- Self-contained: one new table, nothing else changes, so it can be renumbered beside another branch's migration.

-- When each tenant's next scheduled run is due, and which node has claimed it until when (a claim that ran out is free).
CREATE TABLE {s}.tenant_schedule (
    tenant_id      text COLLATE "C" NOT NULL PRIMARY KEY,
    due_at         timestamptz      NOT NULL,
    claimed_by     text,
    claimed_until  timestamptz
);

-- Nodes claim the earliest due tenants first.
CREATE INDEX tenant_schedule_due ON {s}.tenant_schedule (due_at);
