-- The durable job queue (src/jobs, src/storage/repositories/job_repository.cpp). Replaces the
-- unused placeholder table of 0001. A job is QUEUED until claimed; a claim sets RUNNING with a
-- lease (lease_owner, lease_expires_at); a RUNNING job whose lease expired is claimable again.
-- Failures go back to QUEUED with run_after in the future (backoff) until max_attempts, then DEAD.
DROP TABLE IF EXISTS jobs;
CREATE TABLE jobs (
  id               TEXT PRIMARY KEY,
  type             TEXT NOT NULL,
  idempotency_key  TEXT NOT NULL,
  payload          TEXT NOT NULL,  -- JSON
  state            TEXT NOT NULL CHECK (state IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'DEAD')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  max_attempts     INTEGER NOT NULL CHECK (max_attempts >= 1),
  run_after        TEXT NOT NULL,
  lease_owner      TEXT,
  lease_expires_at TEXT,
  last_error       TEXT,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  finished_at      TEXT,
  UNIQUE (type, idempotency_key)
);
-- The claim scans ready jobs; the reclaim scans expired leases.
CREATE INDEX jobs_ready ON jobs (run_after) WHERE state = 'QUEUED';
CREATE INDEX jobs_leased ON jobs (lease_expires_at) WHERE state = 'RUNNING';
-- The admin listing (newest first) and the depth gauge.
CREATE INDEX jobs_state_type ON jobs (state, type, created_at, id);
