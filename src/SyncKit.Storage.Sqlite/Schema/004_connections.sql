-- SyncKit SQLite schema, version 4: connections. {p} is the configured table prefix.
-- Self-contained: four nullable or defaulted columns on tenants, so it can be renumbered beside another branch's migration.

-- Which stored connection (token set) serves the tenant, Xero's id of that connection (what disconnecting deletes),
-- whether it is an organisation or a practice (0 unknown, 1 organisation, 2 practice), and when it was connected.
ALTER TABLE {p}tenants ADD COLUMN connection_key TEXT;
ALTER TABLE {p}tenants ADD COLUMN connection_id TEXT;
ALTER TABLE {p}tenants ADD COLUMN tenant_type INTEGER NOT NULL DEFAULT 0;
ALTER TABLE {p}tenants ADD COLUMN connected_at TEXT;
