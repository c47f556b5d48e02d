-- SyncKit SQLite schema, version 5: the webhook inbox. {p} is the configured table prefix.
-- Self-contained: one new table, nothing else changes, so it can be renumbered beside another branch's migration.

-- Every webhook event received, by its identity (a redelivery is stored once); claimed by one processor at a time.
CREATE TABLE {p}webhook_events (
    event_id      TEXT    NOT NULL PRIMARY KEY,
    tenant_id     TEXT    NOT NULL,
    category      TEXT    NOT NULL,
    event_type    TEXT    NOT NULL,
    resource_id   TEXT    NOT NULL,
    occurred_at   TEXT,
    received_at   TEXT    NOT NULL,
    state         INTEGER NOT NULL DEFAULT 1,
    attempts      INTEGER NOT NULL DEFAULT 0,
    completed_at  TEXT,
    message       TEXT,
    claim_id      TEXT,
    claim_until   TEXT
) WITHOUT ROWID;

-- The processor claims received events oldest first; the health check reads the newest per tenant.
CREATE INDEX {p}webhook_events_state ON {p}webhook_events (state, received_at);
CREATE INDEX {p}webhook_events_tenant ON {p}webhook_events (tenant_id, received_at);
