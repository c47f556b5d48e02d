-- SyncKit PostgreSQL schema, version 5: the webhook inbox. {s} is the configured schema.
-- Self-contained: one new table, nothing else changes, so it can be renumbered beside another branch's migration.

-- Every webhook event received, by its identity (a redelivery is stored once); claimed by one processor at a time.
CREATE TABLE {s}.webhook_events (
    event_id      text COLLATE "C" NOT NULL PRIMARY KEY,
    tenant_id     text COLLATE "C" NOT NULL,
    category      text             NOT NULL,
    event_type    text             NOT NULL,
    resource_id   text COLLATE "C" NOT NULL,
    occurred_at   timestamptz,
    received_at   timestamptz      NOT NULL,
    state         integer          NOT NULL DEFAULT 1,
    attempts      integer          NOT NULL DEFAULT 0,
    completed_at  timestamptz,
    message       text,
    claim_id      text,
    claim_until   timestamptz
);

-- The processor claims received events oldest first; the health check reads the newest per tenant.
CREATE INDEX webhook_events_state ON {s}.webhook_events (state, received_at);
CREATE INDEX webhook_events_tenant ON {s}.webhook_events (tenant_id, received_at);
