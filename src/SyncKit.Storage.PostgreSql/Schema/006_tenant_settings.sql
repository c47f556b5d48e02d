-- SyncKit PostgreSQL schema, version 6: per-tenant settings, and the page token of a token-paged pull. {s} is the schema.
-- Self-contained (one new table, one new nullable column), so it renumbers freely beside other branches' migrations.

-- A tenant's settings as the host last saved them (direction and conflict policy per kind), one JSON document per tenant.
CREATE TABLE {s}.tenant_settings (
    tenant_id      text COLLATE "C" NOT NULL PRIMARY KEY,
    settings_json  jsonb            NOT NULL,
    updated_at     timestamptz      NOT NULL
);

-- Practice Manager's paged-list continues by an opaque token, not a page number: a stopped pull resumes from it.
ALTER TABLE {s}.pull_cursors ADD COLUMN page_token text;
