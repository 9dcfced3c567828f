-- Search over title and description that finds codes, prefixes and parts of words, the same
-- as on PostgreSQL (src/storage/search_text.hpp has the rules).
--
-- The FTS5 table `opportunity_search` holds, under each opportunity's rowid, the folded title
-- and description (oms_search_fold, a function every connection of the service registers; the
-- same fold as PostgreSQL's). Its trigram tokenizer indexes every three-code-point substring,
-- case-sensitively because the text is already folded, so a quoted query word matches wherever
-- it occurs. Triggers keep it in step with inserts, updates and deletes. (A VACUUM may renumber
-- implicit rowids; afterwards run:
--   DELETE FROM opportunity_search;
--   INSERT INTO opportunity_search (rowid, search_text)
--     SELECT rowid, oms_search_fold(title || ' ' || description) FROM opportunities;)
--
-- Expand only: the previous release's opportunity_fts and its triggers stay until a later
-- migration drops them, so that release still runs on this schema after a rollback.

CREATE VIRTUAL TABLE IF NOT EXISTS opportunity_search USING fts5 (search_text, tokenize = 'trigram case_sensitive 1');
DELETE FROM opportunity_search;
INSERT INTO opportunity_search (rowid, search_text)
  SELECT rowid, oms_search_fold(title || ' ' || description) FROM opportunities;

CREATE TRIGGER IF NOT EXISTS opportunities_search_insert AFTER INSERT ON opportunities BEGIN
  INSERT INTO opportunity_search (rowid, search_text) VALUES (new.rowid, oms_search_fold(new.title || ' ' || new.description));
END;
CREATE TRIGGER IF NOT EXISTS opportunities_search_delete AFTER DELETE ON opportunities BEGIN
  DELETE FROM opportunity_search WHERE rowid = old.rowid;
END;
CREATE TRIGGER IF NOT EXISTS opportunities_search_update AFTER UPDATE OF title, description ON opportunities BEGIN
  UPDATE opportunity_search SET search_text = oms_search_fold(new.title || ' ' || new.description)
   WHERE rowid = new.rowid;
END;
