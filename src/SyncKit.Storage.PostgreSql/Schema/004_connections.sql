-- SyncKit PostgreSQL schema, version 4: connections. {s} is the configured schema.
-- Self-contained: four nullable or defaulted columns on tenants, so it can be renumbered beside another branch's migration.

-- Which stored connection (token set) serves the tenant, Xero's id of that connection (what disconnecting deletes),
-- whether it is an organisation or a practice (0 unknown, 1 organisation, 2 practice), and when it was connected.
ALTER TABLE {s}.tenants ADD COLUMN connection_key text;
ALTER TABLE {s}.tenants ADD COLUMN connection_id text;
ALTER TABLE {s}.tenants ADD COLUMN tenant_type integer NOT NULL DEFAULT 0;
ALTER TABLE {s}.tenants ADD COLUMN connected_at timestamptz;
