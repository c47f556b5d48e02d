-- SyncKit PostgreSQL schema, version 8: what each tenant has spent of the ledger's limits. {s} is the schema.
-- Self-contained (two new tables), so it sits beside other branches' migrations.

-- Bytes received per tenant, month (yyyy-MM, UTC) and endpoint ("GET Invoices"); flushes add to a row in place.
CREATE TABLE {s}.usage_egress (
    tenant_id  text COLLATE "C" NOT NULL,
    month      text COLLATE "C" NOT NULL,
    endpoint   text COLLATE "C" NOT NULL,
    bytes      bigint           NOT NULL,
    PRIMARY KEY (tenant_id, month, endpoint)
);

-- The day's call window per tenant: calls left and when it resets, so a restart keeps the day's budget.
CREATE TABLE {s}.usage_call_windows (
    tenant_id   text COLLATE "C" NOT NULL PRIMARY KEY,
    resets_at   timestamptz      NOT NULL,
    remaining   integer          NOT NULL,
    updated_at  timestamptz      NOT NULL
);
