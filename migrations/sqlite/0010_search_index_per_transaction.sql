-- The search index is brought up to date once per write transaction, not by each row's trigger.
--
-- A row written to opportunities queues its rowid in search_pending, and the writer moves the
-- queued rows into opportunity_search just before each COMMIT, outside the sessions' savepoints
-- (src/storage/sqlite/search_index.cpp). A transaction's rows and their index entries still
-- commit together, so a search sees exactly the opportunities that are committed. Written from the
-- triggers, FTS5 flushed its pending terms at every session's savepoint of the group commit (a new
-- index segment a create) and merged those segments inside the next create's INSERT, on an I/O
-- thread: creates stalled for up to 0.1 s and spent a quarter of their time there
-- (docs/performance.md).
--
-- Not expand-only (SQLite serves one process, so no older release runs beside this one): an older
-- release run on this schema would queue rows that nothing indexes. docs/operations.md ("Notes on
-- particular migrations") has the statements that put 0002's triggers back for one.
CREATE TABLE IF NOT EXISTS search_pending (opportunity_rowid INTEGER PRIMARY KEY);

DROP TRIGGER IF EXISTS opportunities_search_insert;
DROP TRIGGER IF EXISTS opportunities_search_delete;
DROP TRIGGER IF EXISTS opportunities_search_update;

CREATE TRIGGER IF NOT EXISTS opportunities_search_queue_insert AFTER INSERT ON opportunities BEGIN
  INSERT OR IGNORE INTO search_pending (opportunity_rowid) VALUES (new.rowid);
END;
CREATE TRIGGER IF NOT EXISTS opportunities_search_queue_delete AFTER DELETE ON opportunities BEGIN
  INSERT OR IGNORE INTO search_pending (opportunity_rowid) VALUES (old.rowid);
END;
CREATE TRIGGER IF NOT EXISTS opportunities_search_queue_update AFTER UPDATE OF title, description ON opportunities BEGIN
  INSERT OR IGNORE INTO search_pending (opportunity_rowid) VALUES (new.rowid);
END;
