-- Contract step of 0002: search reads opportunity_search (trigram) only. The first release's
-- word index opportunity_fts (unicode61) and its three triggers were kept for a rollback to that
-- release; no release since reads them, and every create, title or description change paid for
-- them (an FTS5 insert, ~40 µs of CPU, inside the single writer's transaction: docs/performance.md).
DROP TRIGGER IF EXISTS opportunities_fts_insert;
DROP TRIGGER IF EXISTS opportunities_fts_delete;
DROP TRIGGER IF EXISTS opportunities_fts_update;
DROP TABLE IF EXISTS opportunity_fts;
