-- Erasure reaches audit entries written before migration 0006 (format 1, raw PII): their PII
-- fields are rewritten to "[erased]" while their `hash` and `prev_hash` (the chain links) stay,
-- and an `audit.redact` entry appended to the chain records, per rewritten entry, its original
-- hash and the hash of its new content. `redacted_by_seq` is the seq of that entry; verification
-- checks a redacted entry's content against it (docs/data-protection.md).
ALTER TABLE audit_log ADD COLUMN redacted_by_seq INTEGER;

-- An admin's read of a list (GET /users, GET /customers) is one chained entry naming the ids it
-- showed in its `after` ({"ids": [...]}), not one entry per row (app/read_audit.hpp). This table
-- indexes those ids so that the audit query by entity_id still finds the list reads of an entity.
-- It is derived from the chained entries (not part of the chain): the entry's payload is the record.
CREATE TABLE audit_read_index (
  entity_id TEXT NOT NULL,
  seq       INTEGER NOT NULL,
  PRIMARY KEY (entity_id, seq)
) WITHOUT ROWID;
