-- oms schema, SQLite dialect. Same tables and columns as migrations/postgres/0001_init.sql.
-- Timestamps are RFC 3339 text with microseconds and 'Z' (sortable as text); dates are
-- YYYY-MM-DD; money is integer cents plus currency; JSON is stored as text.

CREATE TABLE users (
  id            TEXT PRIMARY KEY,          -- the identity provider's `sub`
  name          TEXT NOT NULL,             -- PII
  email         TEXT NOT NULL,             -- PII
  role          TEXT NOT NULL,
  employee_id   TEXT,                      -- PII
  department    TEXT,
  is_active     INTEGER NOT NULL DEFAULT 1,
  first_seen_at TEXT NOT NULL,
  last_seen_at  TEXT NOT NULL
);
CREATE INDEX users_name ON users (name, id);

CREATE TABLE customers (
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  industry      TEXT NOT NULL,
  website       TEXT,
  description   TEXT,
  contact_name  TEXT,                      -- PII
  contact_email TEXT,                      -- PII
  contact_phone TEXT,                      -- PII
  is_active     INTEGER NOT NULL DEFAULT 1,
  created_by    TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
);
CREATE UNIQUE INDEX customers_name_lower ON customers (lower(name));
CREATE INDEX customers_name ON customers (name, id);

CREATE TABLE skills (
  id                TEXT PRIMARY KEY,
  name              TEXT NOT NULL,
  category          TEXT NOT NULL,
  subcategory       TEXT,
  description       TEXT NOT NULL,
  is_active         INTEGER NOT NULL DEFAULT 1,
  synonyms          TEXT NOT NULL DEFAULT '[]',   -- JSON array of strings
  related_skill_ids TEXT NOT NULL DEFAULT '[]',   -- JSON array of skill ids
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL
);
CREATE UNIQUE INDEX skills_name_lower ON skills (lower(name));
CREATE INDEX skills_name ON skills (name, id);
CREATE INDEX skills_category ON skills (category, name, id);

CREATE TABLE opportunities (
  id                         TEXT PRIMARY KEY,
  title                      TEXT NOT NULL,
  description                TEXT NOT NULL,
  customer_id                TEXT NOT NULL REFERENCES customers (id),
  sales_manager_id           TEXT NOT NULL REFERENCES users (id),
  priority                   TEXT NOT NULL,
  priority_rank              INTEGER NOT NULL,      -- LOW=0 .. CRITICAL=3, for sorting
  arr_cents                  INTEGER NOT NULL,
  currency                   TEXT NOT NULL,
  region                     TEXT NOT NULL,
  requires_physical_presence INTEGER NOT NULL,
  allows_remote_work         INTEGER NOT NULL,
  status                     TEXT NOT NULL,
  status_before_cancellation TEXT,
  selected_architect_id      TEXT,
  created_at                 TEXT NOT NULL,
  updated_at                 TEXT NOT NULL,
  submitted_at               TEXT,
  completed_at               TEXT,
  cancelled_at               TEXT,
  cancellation_reason        TEXT,
  version                    INTEGER NOT NULL
);
CREATE INDEX opportunities_status ON opportunities (status, updated_at);
CREATE INDEX opportunities_sales_manager ON opportunities (sales_manager_id, created_at, id);
CREATE INDEX opportunities_customer ON opportunities (customer_id, created_at, id);
CREATE INDEX opportunities_created_at ON opportunities (created_at, id);
CREATE INDEX opportunities_updated_at ON opportunities (updated_at, id);
CREATE INDEX opportunities_priority_rank ON opportunities (priority_rank, id);
CREATE INDEX opportunities_title ON opportunities (title, id);

-- Full-text search over title and description: an external-content FTS5 index on the
-- opportunities table's rowid, kept in sync by triggers. (A VACUUM may renumber implicit
-- rowids: run INSERT INTO opportunity_fts(opportunity_fts) VALUES('rebuild') after one.)
CREATE VIRTUAL TABLE opportunity_fts USING fts5 (title, description, content = 'opportunities', content_rowid = 'rowid');
CREATE TRIGGER opportunities_fts_insert AFTER INSERT ON opportunities BEGIN
  INSERT INTO opportunity_fts (rowid, title, description) VALUES (new.rowid, new.title, new.description);
END;
CREATE TRIGGER opportunities_fts_delete AFTER DELETE ON opportunities BEGIN
  INSERT INTO opportunity_fts (opportunity_fts, rowid, title, description)
  VALUES ('delete', old.rowid, old.title, old.description);
END;
CREATE TRIGGER opportunities_fts_update AFTER UPDATE OF title, description ON opportunities BEGIN
  INSERT INTO opportunity_fts (opportunity_fts, rowid, title, description)
  VALUES ('delete', old.rowid, old.title, old.description);
  INSERT INTO opportunity_fts (rowid, title, description) VALUES (new.rowid, new.title, new.description);
END;

CREATE TABLE problem_statements (
  opportunity_id TEXT PRIMARY KEY REFERENCES opportunities (id) ON DELETE CASCADE,
  content        TEXT NOT NULL,
  updated_at     TEXT NOT NULL
);

CREATE TABLE skill_requirements (
  id                  TEXT PRIMARY KEY,
  opportunity_id      TEXT NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,
  skill_id            TEXT NOT NULL REFERENCES skills (id),
  skill_name          TEXT NOT NULL,
  skill_type          TEXT NOT NULL,
  importance          TEXT NOT NULL,
  minimum_proficiency TEXT NOT NULL,
  created_at          TEXT NOT NULL,
  UNIQUE (opportunity_id, skill_id)
);
CREATE INDEX skill_requirements_skill ON skill_requirements (skill_id);

CREATE TABLE timelines (
  opportunity_id         TEXT PRIMARY KEY REFERENCES opportunities (id) ON DELETE CASCADE,
  expected_start_date    TEXT NOT NULL,
  expected_end_date      TEXT NOT NULL,
  specific_required_days TEXT NOT NULL DEFAULT '[]',  -- JSON array of dates
  is_flexible            INTEGER NOT NULL
);
CREATE INDEX timelines_start ON timelines (expected_start_date);

CREATE TABLE attachments (
  id              TEXT PRIMARY KEY,
  opportunity_id  TEXT NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,
  file_name       TEXT NOT NULL,
  content_type    TEXT NOT NULL,
  size_bytes      INTEGER NOT NULL,
  object_key      TEXT NOT NULL,
  checksum_sha256 TEXT NOT NULL,
  uploaded_by     TEXT NOT NULL,
  uploaded_at     TEXT NOT NULL,
  removed_at      TEXT
);
CREATE INDEX attachments_opportunity ON attachments (opportunity_id, uploaded_at);

-- Ordered by the opportunity version the change produced (oldest first).
CREATE TABLE status_records (
  id             TEXT PRIMARY KEY,
  opportunity_id TEXT NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,
  version        INTEGER NOT NULL,
  from_status    TEXT,
  to_status      TEXT NOT NULL,
  changed_at     TEXT NOT NULL,
  changed_by     TEXT NOT NULL,
  reason         TEXT
);
CREATE INDEX status_records_opportunity ON status_records (opportunity_id, version, id);

CREATE TABLE change_records (
  id             TEXT PRIMARY KEY,
  opportunity_id TEXT NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,
  version        INTEGER NOT NULL,
  field          TEXT NOT NULL,
  old_value      TEXT,                     -- JSON
  new_value      TEXT,                     -- JSON
  changed_at     TEXT NOT NULL,
  changed_by     TEXT NOT NULL,
  reason         TEXT
);
CREATE INDEX change_records_opportunity ON change_records (opportunity_id, version, id);

-- Append-only, hash-chained: hash = sha256_hex(prev_hash || '\n' || canonical JSON of the entry).
CREATE TABLE audit_log (
  seq         INTEGER PRIMARY KEY,
  id          TEXT NOT NULL UNIQUE,
  at          TEXT NOT NULL,
  actor_id    TEXT NOT NULL,
  action      TEXT NOT NULL,
  entity_type TEXT NOT NULL,
  entity_id   TEXT NOT NULL,
  request_id  TEXT NOT NULL,
  before      TEXT,                        -- JSON, may hold PII
  after       TEXT,                        -- JSON, may hold PII
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id, seq);
CREATE INDEX audit_log_actor ON audit_log (actor_id, seq);
CREATE INDEX audit_log_at ON audit_log (at);

-- The head of the chain: one row, updated by every append (writers are serialised).
CREATE TABLE audit_head (
  id        INTEGER PRIMARY KEY CHECK (id = 1),
  last_seq  INTEGER NOT NULL,
  last_hash TEXT NOT NULL
);
INSERT INTO audit_head (id, last_seq, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE outbox_events (
  id           TEXT PRIMARY KEY,
  event_type   TEXT NOT NULL,
  aggregate_id TEXT NOT NULL,
  version      INTEGER NOT NULL,
  occurred_at  TEXT NOT NULL,
  actor_id     TEXT NOT NULL,
  payload      TEXT NOT NULL,              -- JSON
  published_at TEXT
);
CREATE INDEX outbox_events_unpublished ON outbox_events (occurred_at) WHERE published_at IS NULL;
CREATE INDEX outbox_events_aggregate ON outbox_events (aggregate_id, version);

CREATE TABLE idempotency_keys (
  actor_id     TEXT NOT NULL,
  key          TEXT NOT NULL,
  route        TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  resource_id  TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  PRIMARY KEY (actor_id, key)
);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);

CREATE TABLE jobs (
  id         TEXT PRIMARY KEY,
  kind       TEXT NOT NULL,
  payload    TEXT NOT NULL,                -- JSON
  status     TEXT NOT NULL,
  run_after  TEXT NOT NULL,
  attempts   INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX jobs_ready ON jobs (status, run_after);
