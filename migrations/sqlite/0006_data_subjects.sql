-- Data-subject rights (issue 11 item 5): personal data in audit payloads is sealed under a key
-- per data subject (crypto-shredding, docs/data-protection.md). An entry's `format` says how its
-- hash is computed: 1 = written before this migration (raw payloads, hash unchanged), 2 = PII in
-- before/after sealed with AES-256-GCM under a subject key, and `format` itself hashed.
ALTER TABLE audit_log ADD COLUMN format INTEGER NOT NULL DEFAULT 1;

-- One key per data subject: 'user:<user id>' or 'contact:<lower-cased email>' (a customer's
-- primary contact). Erasing a subject deletes its row: what was sealed under it is unreadable,
-- while the sealed bytes, and so the audit chain, stay as they were.
CREATE TABLE subject_keys (
  id         TEXT PRIMARY KEY,             -- referenced by sealed values; says nothing about the subject
  subject    TEXT NOT NULL UNIQUE,         -- pii:identifier (a contact's email); retention: until erasure
  secret     TEXT NOT NULL,                -- 32 random bytes, base64url; retention: until erasure
  created_at TEXT NOT NULL
);

-- PII tags (SQLite keeps no column comments; the same tags are COMMENTs on PostgreSQL and listed
-- in docs/data-protection.md):
--   users.name          pii:name        until erasure
--   users.email         pii:email       until erasure
--   users.employee_id   pii:identifier  until erasure
--   customers.contact_name   pii:name   until erasure or the contact changes
--   customers.contact_email  pii:email  until erasure or the contact changes
--   customers.contact_phone  pii:phone  until erasure or the contact changes
--   audit_log.before, audit_log.after  pii:sealed (format 2) / pii:raw (format 1)  7 years
--   subject_keys.subject   pii:identifier  until erasure
