-- SyncKit PostgreSQL schema, version 2. {s} is the configured schema (validated: ^[a-z_][a-z0-9_]*$).
-- Upgrades a version 1 schema in place: existing entries read as having no outcome pending. Adding a column with a
-- constant default rewrites no rows; building the index holds off ledger writes (not reads) until it is done.

-- Whether the entry's latest outcome is still to be told to the host's source.
ALTER TABLE {s}.ledger_entries ADD COLUMN outcome_pending boolean NOT NULL DEFAULT false;

-- Which entry holds a remote id (LedgerStore.FindOwnersAsync): an index probe per id. Entries without one are not indexed.
CREATE INDEX ledger_entries_remote_id ON {s}.ledger_entries (tenant_id, kind, remote_id) WHERE remote_id IS NOT NULL;
