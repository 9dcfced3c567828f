-- Data-subject rights (issue 11 item 5): personal data in audit payloads is sealed under a key
-- per data subject (crypto-shredding, docs/data-protection.md). An entry's `format` says how its
-- hash is computed: 1 = written before this migration (raw payloads, hash unchanged), 2 = PII in
-- before/after sealed with AES-256-GCM under a subject key, and `format` itself hashed.
ALTER TABLE audit_log ADD COLUMN format smallint NOT NULL DEFAULT 1;

-- One key per data subject: 'user:<user id>' or 'contact:<lower-cased email>' (a customer's
-- primary contact). Erasing a subject deletes its row: what was sealed under it is unreadable,
-- while the sealed bytes, and so the audit chain, stay as they were.
CREATE TABLE subject_keys (
  id         uuid PRIMARY KEY,             -- referenced by sealed values; says nothing about the subject
  subject    text NOT NULL UNIQUE,
  secret     text NOT NULL,                -- 32 random bytes, base64url
  created_at timestamptz NOT NULL
);

-- PII tags, also listed in docs/data-protection.md: 'pii:<kind>; retention: <how long>'.
COMMENT ON COLUMN users.name IS 'pii:name; retention: until erasure';
COMMENT ON COLUMN users.email IS 'pii:email; retention: until erasure';
COMMENT ON COLUMN users.employee_id IS 'pii:identifier; retention: until erasure';
COMMENT ON COLUMN customers.contact_name IS 'pii:name; retention: until erasure or the contact changes';
COMMENT ON COLUMN customers.contact_email IS 'pii:email; retention: until erasure or the contact changes';
COMMENT ON COLUMN customers.contact_phone IS 'pii:phone; retention: until erasure or the contact changes';
COMMENT ON COLUMN audit_log.before IS 'pii:sealed (format 2) or pii:raw (format 1); retention: 7 years';
COMMENT ON COLUMN audit_log.after IS 'pii:sealed (format 2) or pii:raw (format 1); retention: 7 years';
COMMENT ON COLUMN subject_keys.subject IS 'pii:identifier; retention: until erasure';
COMMENT ON COLUMN subject_keys.secret IS 'key material; retention: until erasure';
