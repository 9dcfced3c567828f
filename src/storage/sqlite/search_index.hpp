#pragma once
// The SQLite search index, brought up to date once per write transaction.
//
// migrations/sqlite/0010 has each row written to opportunities queue its rowid in search_pending;
// `index_pending_search` moves the queued rows into opportunity_search (FTS5). The writer calls it
// just before every COMMIT, outside the sessions' savepoints, so a transaction's rows and their
// index entries commit together and FTS5 writes one segment a transaction instead of one a session.
#include "storage/sqlite/sqlite_connection.hpp"

namespace oms::storage::sqlite {

// Indexes the queued rows in `writer`'s open transaction; nothing before migration 0010.
void index_pending_search(SqliteConnection& writer);

}  // namespace oms::storage::sqlite
