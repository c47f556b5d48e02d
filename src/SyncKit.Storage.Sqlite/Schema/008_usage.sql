-- SyncKit SQLite schema, version 8: what each tenant has spent of the ledger's limits. {p} is the table prefix.
-- Self-contained (two new tables), so it sits beside other branches' migrations.

-- Bytes received per tenant, month (yyyy-MM, UTC) and endpoint ("GET Invoices"); flushes add to a row in place.
CREATE TABLE {p}usage_egress (
    tenant_id  TEXT    NOT NULL,
    month      TEXT    NOT NULL,
    endpoint   TEXT    NOT NULL,
    bytes      INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, month, endpoint)
) WITHOUT ROWID;

-- The day's call window per tenant: calls left and when it resets, so a restart keeps the day's budget.
CREATE TABLE {p}usage_call_windows (
    tenant_id   TEXT    NOT NULL PRIMARY KEY,
    resets_at   TEXT    NOT NULL,
    remaining   INTEGER NOT NULL,
    updated_at  TEXT    NOT NULL
) WITHOUT ROWID;
