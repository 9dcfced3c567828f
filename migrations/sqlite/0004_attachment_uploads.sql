-- Attachment uploads (issue 11): an upload intent is recorded when oms signs the upload URL, and
-- becomes an attachment only when its object was verified (size and SHA-256). Soft-deleted
-- attachments keep their object until the retention job purges it (purged_at).
CREATE TABLE attachment_uploads (
  id              TEXT PRIMARY KEY,
  opportunity_id  TEXT NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,
  object_key      TEXT NOT NULL UNIQUE,
  file_name       TEXT NOT NULL,
  content_type    TEXT NOT NULL,
  size_bytes      INTEGER NOT NULL CHECK (size_bytes > 0),
  checksum_sha256 TEXT NOT NULL,
  created_by      TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  expires_at      TEXT NOT NULL,
  completed_at    TEXT
);
-- The retention job's sweep of abandoned uploads.
CREATE INDEX attachment_uploads_open ON attachment_uploads (expires_at) WHERE completed_at IS NULL;
ALTER TABLE attachments ADD COLUMN removed_by TEXT;
ALTER TABLE attachments ADD COLUMN purged_at TEXT;
CREATE INDEX attachments_removed ON attachments (removed_at) WHERE removed_at IS NOT NULL AND purged_at IS NULL;
