-- Contract step of 0002: search reads the trigram index on search_text only. The first
-- release's word index (a GIN over to_tsvector of title and description) was kept for a rollback
-- to that release; no release since reads it, and every create, title or description change
-- paid for it.
DROP INDEX IF EXISTS opportunities_fts;
