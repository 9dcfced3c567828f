-- Exports (issue 11): a user's export of the opportunities they may list, or an admin's export of
-- the audit log, written by the worker to the exports store; data-subject requests (access and
-- erasure, by an admin about one user) are tracked in the same table and read through the same
-- route (dataset 'subject'). A request is PENDING until the worker takes it, RUNNING while it
-- streams (rows_done of rows_total), then COMPLETED (object_key holds the result until
-- expires_at) or FAILED (error holds a coarse reason). The retention job deletes expired objects and marks them purged.
CREATE TABLE exports (
  id              uuid PRIMARY KEY,
  kind            text NOT NULL CHECK (kind IN ('export', 'data_subject_access', 'data_subject_erasure')),
  requested_by    text NOT NULL REFERENCES users (id),
  subject_user_id text,  -- data-subject requests: whom it is about (no foreign key: erasure may remove the user)
  dataset         text NOT NULL CHECK (dataset IN ('opportunities', 'audit', 'subject')),
  format          text NOT NULL CHECK (format IN ('csv', 'json')),
  filters         jsonb NOT NULL DEFAULT '{}',  -- the list route's filters
  status          text NOT NULL CHECK (status IN ('PENDING', 'RUNNING', 'COMPLETED', 'FAILED')),
  rows_done       bigint NOT NULL DEFAULT 0 CHECK (rows_done >= 0),
  rows_total      bigint CHECK (rows_total >= 0),
  object_key      text,
  error           text,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  completed_at    timestamptz,
  expires_at      timestamptz,
  purged_at       timestamptz,
  CHECK ((kind = 'export') = (subject_user_id IS NULL))
);
-- A user's own requests, newest first.
CREATE INDEX exports_requested_by ON exports (requested_by, created_at, id);
-- Data-subject requests about one person.
CREATE INDEX exports_subject ON exports (subject_user_id, created_at) WHERE subject_user_id IS NOT NULL;
-- The retention job's sweep of finished exports whose object has expired.
CREATE INDEX exports_expiring ON exports (expires_at) WHERE object_key IS NOT NULL AND purged_at IS NULL;
