-- oms schema, PostgreSQL dialect. Same tables and columns as migrations/sqlite/0001_init.sql.
-- User ids are text (the identity provider's `sub` need not be a UUID); every other id is uuid.

CREATE TABLE users (
  id            text PRIMARY KEY,
  name          text NOT NULL,              -- PII
  email         text NOT NULL,              -- PII
  role          text NOT NULL,
  employee_id   text,                       -- PII
  department    text,
  is_active     boolean NOT NULL DEFAULT true,
  first_seen_at timestamptz NOT NULL,
  last_seen_at  timestamptz NOT NULL
);
CREATE INDEX users_name ON users (name, id);
COMMENT ON COLUMN users.name IS 'PII';
COMMENT ON COLUMN users.email IS 'PII';
COMMENT ON COLUMN users.employee_id IS 'PII';

CREATE TABLE customers (
  id            uuid PRIMARY KEY,
  name          text NOT NULL,
  industry      text NOT NULL,
  website       text,
  description   text,
  contact_name  text,                       -- PII
  contact_email text,                       -- PII
  contact_phone text,                       -- PII
  is_active     boolean NOT NULL DEFAULT true,
  created_by    text NOT NULL,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL
);
CREATE UNIQUE INDEX customers_name_lower ON customers (lower(name));
CREATE INDEX customers_name ON customers (name, id);
COMMENT ON COLUMN customers.contact_name IS 'PII';
COMMENT ON COLUMN customers.contact_email IS 'PII';
COMMENT ON COLUMN customers.contact_phone IS 'PII';

CREATE TABLE skills (
  id                uuid PRIMARY KEY,
  name              text NOT NULL,
  category          text NOT NULL,
  subcategory       text,
  description       text NOT NULL,
  is_active         boolean NOT NULL DEFAULT true,
  synonyms          jsonb NOT NULL DEFAULT '[]',
  related_skill_ids jsonb NOT NULL DEFAULT '[]',
  created_at        timestamptz NOT NULL,
  updated_at        timestamptz NOT NULL
);
CREATE UNIQUE INDEX skills_name_lower ON skills (lower(name));
CREATE INDEX skills_name ON skills (name, id);
CREATE INDEX skills_category ON skills (category, name, id);

CREATE TABLE opportunities (
  id                         uuid PRIMARY KEY,
  title                      text NOT NULL,
  description                text NOT NULL,
  customer_id                uuid NOT NULL REFERENCES customers (id),
  sales_manager_id           text NOT NULL REFERENCES users (id),
  priority                   text NOT NULL,
  priority_rank              integer NOT NULL,      -- LOW=0 .. CRITICAL=3, for sorting
  arr_cents                  bigint NOT NULL,
  currency                   text NOT NULL,
  region                     text NOT NULL,
  requires_physical_presence boolean NOT NULL,
  allows_remote_work         boolean NOT NULL,
  status                     text NOT NULL,
  status_before_cancellation text,
  selected_architect_id      text,
  created_at                 timestamptz NOT NULL,
  updated_at                 timestamptz NOT NULL,
  submitted_at               timestamptz,
  completed_at               timestamptz,
  cancelled_at               timestamptz,
  cancellation_reason        text,
  version                    bigint NOT NULL
);
CREATE INDEX opportunities_status ON opportunities (status, updated_at);
CREATE INDEX opportunities_sales_manager ON opportunities (sales_manager_id, created_at, id);
CREATE INDEX opportunities_customer ON opportunities (customer_id, created_at, id);
CREATE INDEX opportunities_created_at ON opportunities (created_at, id);
CREATE INDEX opportunities_updated_at ON opportunities (updated_at, id);
CREATE INDEX opportunities_priority_rank ON opportunities (priority_rank, id);
CREATE INDEX opportunities_title ON opportunities (title, id);
-- Full-text search over title and description (queried with plainto_tsquery('simple', ...)).
CREATE INDEX opportunities_fts ON opportunities USING gin (to_tsvector('simple', title || ' ' || description));

CREATE TABLE problem_statements (
  opportunity_id uuid PRIMARY KEY REFERENCES opportunities (id) ON DELETE CASCADE,
  content        text NOT NULL,
  updated_at     timestamptz NOT NULL
);

CREATE TABLE skill_requirements (
  id                  uuid PRIMARY KEY,
  opportunity_id      uuid NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,
  skill_id            uuid NOT NULL REFERENCES skills (id),
  skill_name          text NOT NULL,
  skill_type          text NOT NULL,
  importance          text NOT NULL,
  minimum_proficiency text NOT NULL,
  created_at          timestamptz NOT NULL,
  UNIQUE (opportunity_id, skill_id)
);
CREATE INDEX skill_requirements_skill ON skill_requirements (skill_id);

CREATE TABLE timelines (
  opportunity_id         uuid PRIMARY KEY REFERENCES opportunities (id) ON DELETE CASCADE,
  expected_start_date    date NOT NULL,
  expected_end_date      date NOT NULL,
  specific_required_days jsonb NOT NULL DEFAULT '[]',
  is_flexible            boolean NOT NULL
);
CREATE INDEX timelines_start ON timelines (expected_start_date);

CREATE TABLE attachments (
  id              uuid PRIMARY KEY,
  opportunity_id  uuid NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,
  file_name       text NOT NULL,
  content_type    text NOT NULL,
  size_bytes      bigint NOT NULL,
  object_key      text NOT NULL,
  checksum_sha256 text NOT NULL,
  uploaded_by     text NOT NULL,
  uploaded_at     timestamptz NOT NULL,
  removed_at      timestamptz
);
CREATE INDEX attachments_opportunity ON attachments (opportunity_id, uploaded_at);

-- Ordered by the opportunity version the change produced (oldest first).
CREATE TABLE status_records (
  id             uuid PRIMARY KEY,
  opportunity_id uuid NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,
  version        bigint NOT NULL,
  from_status    text,
  to_status      text NOT NULL,
  changed_at     timestamptz NOT NULL,
  changed_by     text NOT NULL,
  reason         text
);
CREATE INDEX status_records_opportunity ON status_records (opportunity_id, version, id);

CREATE TABLE change_records (
  id             uuid PRIMARY KEY,
  opportunity_id uuid NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,
  version        bigint NOT NULL,
  field          text NOT NULL,
  old_value      jsonb,
  new_value      jsonb,
  changed_at     timestamptz NOT NULL,
  changed_by     text NOT NULL,
  reason         text
);
CREATE INDEX change_records_opportunity ON change_records (opportunity_id, version, id);

-- Append-only, hash-chained: hash = sha256_hex(prev_hash || '\n' || canonical JSON of the entry).
CREATE TABLE audit_log (
  seq         bigint PRIMARY KEY,
  id          uuid NOT NULL UNIQUE,
  at          timestamptz NOT NULL,
  actor_id    text NOT NULL,
  action      text NOT NULL,
  entity_type text NOT NULL,
  entity_id   text NOT NULL,
  request_id  text NOT NULL,
  before      jsonb,                       -- may hold PII
  after       jsonb,                       -- may hold PII
  prev_hash   text NOT NULL,
  hash        text NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id, seq);
CREATE INDEX audit_log_actor ON audit_log (actor_id, seq);
CREATE INDEX audit_log_at ON audit_log (at);
COMMENT ON COLUMN audit_log.before IS 'PII';
COMMENT ON COLUMN audit_log.after IS 'PII';

-- The head of the chain: one row, locked FOR UPDATE by every append so the chain never forks.
CREATE TABLE audit_head (
  id        integer PRIMARY KEY CHECK (id = 1),
  last_seq  bigint NOT NULL,
  last_hash text NOT NULL
);
INSERT INTO audit_head (id, last_seq, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE outbox_events (
  id           uuid PRIMARY KEY,
  event_type   text NOT NULL,
  aggregate_id text NOT NULL,
  version      bigint NOT NULL,
  occurred_at  timestamptz NOT NULL,
  actor_id     text NOT NULL,
  payload      jsonb NOT NULL,
  published_at timestamptz
);
CREATE INDEX outbox_events_unpublished ON outbox_events (occurred_at) WHERE published_at IS NULL;
CREATE INDEX outbox_events_aggregate ON outbox_events (aggregate_id, version);

CREATE TABLE idempotency_keys (
  actor_id     text NOT NULL,
  key          text NOT NULL,
  route        text NOT NULL,
  request_hash text NOT NULL,
  resource_id  text NOT NULL,
  created_at   timestamptz NOT NULL,
  PRIMARY KEY (actor_id, key)
);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);

CREATE TABLE jobs (
  id         uuid PRIMARY KEY,
  kind       text NOT NULL,
  payload    jsonb NOT NULL,
  status     text NOT NULL,
  run_after  timestamptz NOT NULL,
  attempts   integer NOT NULL DEFAULT 0,
  last_error text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX jobs_ready ON jobs (status, run_after);
