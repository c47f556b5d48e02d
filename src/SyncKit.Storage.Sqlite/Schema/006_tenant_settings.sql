-- SyncKit SQLite schema, version 6: per-tenant settings, and the page token of a token-paged pull. {p} is the table prefix.
-- Self-contained (one new table, one new nullable column), so it renumbers freely beside other branches' migrations.

-- A tenant's settings as the host last saved them (direction and conflict policy per kind), one JSON document per tenant.
CREATE TABLE {p}tenant_settings (
    tenant_id      TEXT NOT NULL PRIMARY KEY,
    settings_json  TEXT NOT NULL,
    updated_at     TEXT NOT NULL
) WITHOUT ROWID;

-- Practice Manager's paged-list continues by an opaque token, not a page number: a stopped pull resumes from it.
ALTER TABLE {p}pull_cursors ADD COLUMN page_token TEXT;
