#pragma once
// The SQLite search index, brought up to date once per write transaction.
//
// migrations/sqlite/0010 has each row written to opportunities queue its rowid in search_pending;
// `index_pending_search` moves the queued rows into opportunity_search (FTS5). The writer calls it
// just before every COMMIT, outside the sessions' savepoints, so a transaction's rows and their
// index entries commit together and FTS5 writes one segment a transaction instead of one a session.
//
// Rows another program writes into the file wait in the queue for oms's next write transaction,
// which would index all of them inside some request; `index_search_backlog` (`oms search-index`)
// indexes such a backlog first, out of band.
#include <cstdint>
#include <string>

#include "storage/sqlite/sqlite_connection.hpp"

namespace oms::storage::sqlite {

// Indexes the queued rows in `writer`'s open transaction; nothing before migration 0010.
void index_pending_search(SqliteConnection& writer);

struct SearchBacklogReport {
  std::int64_t indexed = 0;  // queued rows handled (a deleted opportunity counts: its entry was removed)
  bool merged = false;       // the index's segments were merged into one
};

// Opens the database at `file` and, in one write transaction, indexes its queued rows a chunk of
// `chunk` rows a statement (one FTS5 segment each, as oms's own transactions write them), then
// merges the index's segments into one (FTS5 'optimize'), which later merges then leave alone;
// a backlog indexed in one statement would be a single large segment that every later merge
// rewrites. Writers of other processes wait while it runs (their busy timeout). Throws
// DatabaseError, also when the database predates migration 0010.
SearchBacklogReport index_search_backlog(const std::string& file, std::int64_t chunk = 500);

}  // namespace oms::storage::sqlite
