#include "storage/sqlite/search_index.hpp"

#include <limits>

namespace oms::storage::sqlite {
namespace {

// Each statement takes the queued rows up to a rowid ($1): the writer's step takes all of them.
// Changed and deleted rows leave their old entry first; deleted ones find no row to index again.
constexpr const char* k_remove_old =
    "DELETE FROM opportunity_search WHERE rowid IN "
    "(SELECT opportunity_rowid FROM search_pending WHERE opportunity_rowid <= $1)";
// CROSS JOIN keeps SQLite's order (the queue, then a rowid lookup each): with statistics for
// opportunities and none for the queue, it scanned every opportunity instead.
constexpr const char* k_add_new =
    "INSERT INTO opportunity_search (rowid, search_text) "
    "SELECT o.rowid, oms_search_fold(o.title || ' ' || o.description) "
    "FROM search_pending p CROSS JOIN opportunities o ON o.rowid = p.opportunity_rowid "
    "WHERE p.opportunity_rowid <= $1";
constexpr const char* k_clear = "DELETE FROM search_pending WHERE opportunity_rowid <= $1";
constexpr const char* k_any = "SELECT EXISTS (SELECT 1 FROM search_pending)";
// The last rowid of the next `$1` queued rows (NULL when the queue is empty).
constexpr const char* k_chunk_end =
    "SELECT max(opportunity_rowid) FROM "
    "(SELECT opportunity_rowid FROM search_pending ORDER BY opportunity_rowid LIMIT $1)";
constexpr const char* k_merge = "INSERT INTO opportunity_search (opportunity_search) VALUES ('optimize')";

// Indexes the queued rows up to `last`; returns how many there were.
std::int64_t index_queued(SqliteConnection& writer, std::int64_t last) {
  const Params upto{last};
  writer.execute(k_remove_old, upto);
  writer.execute(k_add_new, upto);
  return writer.execute(k_clear, upto).affected;
}

}  // namespace

void index_pending_search(SqliteConnection& writer) {
  // Before migration 0010 (while `oms migrate` brings a database up to it) the old triggers index.
  if (!writer.has_table("search_pending")) return;
  const Params none;
  if (writer.execute(k_any, none).rows.at(0).i64(0) == 0) return;
  index_queued(writer, std::numeric_limits<std::int64_t>::max());
}

SearchBacklogReport index_search_backlog(const std::string& file, std::int64_t chunk) {
  SqliteConnection writer(file, true);
  if (!writer.has_table("search_pending")) {
    throw DatabaseError("the database has no search queue (before migration 0010): run oms migrate first");
  }
  SearchBacklogReport report;
  writer.exec("BEGIN IMMEDIATE");
  try {
    for (;;) {
      const Result end = writer.execute(k_chunk_end, Params{chunk});
      if (end.rows.at(0).is_null(0)) break;
      report.indexed += index_queued(writer, end.rows.at(0).i64(0));
    }
    if (report.indexed > 0) {
      writer.execute(k_merge, Params{});
      report.merged = true;
    }
    writer.exec("COMMIT");
  } catch (...) {
    if (writer.in_transaction()) writer.exec("ROLLBACK");
    throw;
  }
  return report;
}

}  // namespace oms::storage::sqlite
