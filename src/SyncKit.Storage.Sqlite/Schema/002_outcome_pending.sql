-- SyncKit SQLite schema, version 2. {p} is the configured table prefix (validated: ^[a-z_][a-z0-9_]*$).
-- Upgrades a version 1 file in place: existing entries read as having no outcome pending.

-- Whether the entry's latest outcome is still to be told to the host's source (0 or 1).
ALTER TABLE {p}ledger_entries ADD COLUMN outcome_pending INTEGER NOT NULL DEFAULT 0;

-- Which entry holds a remote id (LedgerStore.FindOwnersAsync): an index probe per id. Entries without one are not indexed.
CREATE INDEX {p}ledger_entries_remote_id ON {p}ledger_entries (tenant_id, kind, remote_id) WHERE remote_id IS NOT NULL;
