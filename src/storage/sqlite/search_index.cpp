#include "storage/sqlite/search_index.hpp"

namespace oms::storage::sqlite {
namespace {

// Changed and deleted rows leave their old entry first; deleted ones find no row to index again.
constexpr const char* k_remove_old =
    "DELETE FROM opportunity_search WHERE rowid IN (SELECT opportunity_rowid FROM search_pending)";
// CROSS JOIN keeps SQLite's order (the queue, then a rowid lookup each): with statistics for
// opportunities and none for the queue, it scanned every opportunity instead.
constexpr const char* k_add_new =
    "INSERT INTO opportunity_search (rowid, search_text) "
    "SELECT o.rowid, oms_search_fold(o.title || ' ' || o.description) "
    "FROM search_pending p CROSS JOIN opportunities o ON o.rowid = p.opportunity_rowid";
constexpr const char* k_clear = "DELETE FROM search_pending";
constexpr const char* k_any = "SELECT EXISTS (SELECT 1 FROM search_pending)";

}  // namespace

void index_pending_search(SqliteConnection& writer) {
  // Before migration 0010 (while `oms migrate` brings a database up to it) the old triggers index.
  if (!writer.has_table("search_pending")) return;
  const Params none;
  if (writer.execute(k_any, none).rows.at(0).i64(0) == 0) return;
  writer.execute(k_remove_old, none);
  writer.execute(k_add_new, none);
  writer.execute(k_clear, none);
}

}  // namespace oms::storage::sqlite
