// Search storage (migrations 0002_search): PostgreSQL's oms_search_fold() folds exactly like the
// C++ fold SQLite calls, existing rows are backfilled by the migration, and the search text
// follows every insert, update and delete.
#include <gmock/gmock.h>
#include <sqlite3.h>

#include <algorithm>
#include <boost/asio/experimental/awaitable_operators.hpp>

#include "storage/migrations.hpp"
#include "storage/repositories/opportunity_repository.hpp"
#include "storage/search_text.hpp"
#include "storage/sqlite/search_index.hpp"
#include "storage_fixture.hpp"
#include "util/utf8.hpp"

namespace oms::storage::testing {
namespace {

using boost::asio::awaitable;

std::string utf8(char32_t cp) {
  std::string out;
  util::append_utf8(cp, out);
  return out;
}

std::vector<EmbeddedMigration> only_first() {
  std::vector<EmbeddedMigration> out;
  for (const auto& m : embedded_migrations()) {
    if (m.name == "0001_init") out.push_back(m);
  }
  return out;
}

awaitable<void> exec(Database& db, std::string sql) {
  auto s = co_await db.begin(Access::read_write);
  co_await s->query(sql);
  co_await s->commit();
}

// Titles of the opportunities whose search text holds every word of `text`, sorted.
awaitable<std::vector<std::string>> titles(Database& db, std::string text) {
  auto s = co_await db.begin(Access::read_only);
  OpportunityFilter f;
  f.text = std::move(text);
  f.limit = 100;
  auto rows = co_await OpportunityRepository::list(*s, f);
  co_await s->commit();
  std::vector<std::string> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(r.opportunity.title);
  std::sort(out.begin(), out.end());
  co_return out;
}

std::string insert_opportunity(const std::string& uuid_suffix, const std::string& title,
                               const std::string& description) {
  return "INSERT INTO opportunities (id, title, description, customer_id, sales_manager_id, priority, priority_rank, "
         "arr_cents, currency, region, requires_physical_presence, allows_remote_work, status, created_at, "
         "updated_at, version) VALUES ('00000000-0000-4000-8000-" +
         uuid_suffix + "', '" + title + "', '" + description +
         "', '00000000-0000-4000-8000-000000000001', 'sm-1', 'LOW', 0, 100, 'EUR', 'EMEA', false, true, 'DRAFT', "
         "'2026-03-02T09:00:00Z', '2026-03-02T09:00:00Z', 1)";
}

// The sales manager and the customer insert_opportunity's rows name.
awaitable<void> insert_owners(Database& db) {
  co_await exec(db,
                "INSERT INTO users (id, name, email, role, first_seen_at, last_seen_at) VALUES ('sm-1', 'Sally', "
                "'s@example.com', 'SALES_MANAGER', '2026-03-02T09:00:00Z', '2026-03-02T09:00:00Z')");
  co_await exec(db,
                "INSERT INTO customers (id, name, industry, created_by, created_at, updated_at) VALUES "
                "('00000000-0000-4000-8000-000000000001', 'Contoso', 'Finance', 'sm-1', '2026-03-02T09:00:00Z', "
                "'2026-03-02T09:00:00Z')");
}

class SearchStorageTest : public StorageTest {};

awaitable<std::string> database_fold(Database& db, std::string text) {
  auto s = co_await db.begin(Access::read_only);
  Params p{std::move(text)};
  Result r = co_await s->query("SELECT oms_search_fold($1)", std::move(p));
  co_await s->commit();
  co_return r.rows.at(0).str(0);
}

// Text of the code points [1, end), then `extra`.
std::string code_points_below(char32_t end, const std::string& extra = "") {
  std::string out;
  for (char32_t cp = 1; cp < end; ++cp) out += utf8(cp);
  return out + extra;
}

TEST_P(SearchStorageTest, DatabaseFoldIsTheCxxFoldOnEveryCodePoint) {
  auto db = open();
  auto migrated = [&]() { return migrate(*db); };
  run(migrated);
  std::string beyond;
  for (char32_t cp : {0x1E9E, 0x1EBF, 0x2126, 0x212A, 0x4E2D, 0xFF21, 0x1F600}) beyond += utf8(cp);
  // PostgreSQL folds pure ASCII, Latin-1 and other text with three slices of one table: each
  // input below stays within one of them. Decomposed input folds like composed input.
  const std::vector<std::pair<char32_t, std::string>> inputs{
      {0x80, ""},
      {0x100, ""},
      {0x530, beyond + "Cafe\xCC\x81 CAF\xC3\x89 Z\xC3\xBCrich \xC3\x98resund \xC3\x9F \xC5\x93"},
  };
  for (const auto& [end, extra] : inputs) {
    const std::string text = code_points_below(end, extra);
    auto fold = [&]() { return database_fold(*db, text); };
    const std::string folded = run(fold);
    EXPECT_EQ(folded, search_fold(text)) << "code points below U+" << std::hex << static_cast<std::uint32_t>(end);
    if (folded == search_fold(text)) continue;
    for (char32_t cp = 1; cp < end; ++cp) {  // name the code points that differ
      auto one = [&]() { return database_fold(*db, utf8(cp)); };
      EXPECT_EQ(run(one), search_fold(utf8(cp))) << "code point U+" << std::hex << static_cast<std::uint32_t>(cp);
    }
  }
  EXPECT_EQ(search_fold("Cafe\xCC\x81 CAF\xC3\x89 Z\xC3\xBCrich \xC3\x98resund"), "cafe cafe zurich oresund");
}

TEST_P(SearchStorageTest, MigrationBackfillsAndWritesKeepTheSearchTextInStep) {
  auto db = open();
  std::vector<std::string> backfilled, after_insert, renamed, old_name, deleted;
  auto body = [&]() -> awaitable<void> {
    const auto first = only_first();
    co_await migrate(*db, first);
    co_await insert_owners(*db);
    co_await exec(*db, insert_opportunity("000000000010", "Opportunity-4e7b2a91c0", "Written before 0002."));
    co_await migrate(*db);  // 0002_search and any later ones
    backfilled = co_await titles(*db, "4E7B");

    co_await exec(*db, insert_opportunity("000000000011", "Caf\xC3\xA9 rollout", "Inserted after 0002."));
    after_insert = co_await titles(*db, "cafe");

    co_await exec(*db,
                  "UPDATE opportunities SET title = 'Renamed 0x1F' WHERE id = '00000000-0000-4000-8000-000000000011'");
    renamed = co_await titles(*db, "0x1f");
    old_name = co_await titles(*db, "cafe");

    co_await exec(*db, "DELETE FROM opportunities WHERE id = '00000000-0000-4000-8000-000000000011'");
    deleted = co_await titles(*db, "renamed");
  };
  run(body);
  EXPECT_THAT(backfilled, ::testing::ElementsAre("Opportunity-4e7b2a91c0"));
  EXPECT_THAT(after_insert, ::testing::ElementsAre("Caf\xC3\xA9 rollout"));
  EXPECT_THAT(renamed, ::testing::ElementsAre("Renamed 0x1F"));
  EXPECT_TRUE(old_name.empty());
  EXPECT_TRUE(deleted.empty());
}

// SQLite indexes a transaction's rows once, just before its COMMIT (migrations/sqlite/0010): rows
// written, changed and deleted within one session, and sessions sharing a group-commit batch,
// leave exactly their committed state in the index.
TEST_P(SearchStorageTest, OneTransactionsWritesReachTheIndexAsCommitted) {
  using namespace boost::asio::experimental::awaitable_operators;
  auto db = open();
  std::vector<std::string> kept, gone, batch;
  auto body = [&]() -> awaitable<void> {
    co_await migrate(*db);
    co_await insert_owners(*db);
    {
      auto s = co_await db->begin(Access::read_write);
      co_await s->query(insert_opportunity("000000000021", "Draft 7c1d", "Kept, renamed."));
      co_await s->query(
          "UPDATE opportunities SET title = 'Final 9e2f' WHERE id = '00000000-0000-4000-8000-000000000021'");
      co_await s->query(insert_opportunity("000000000022", "Gone 5a3b", "Inserted and deleted."));
      co_await s->query("DELETE FROM opportunities WHERE id = '00000000-0000-4000-8000-000000000022'");
      co_await s->commit();
    }
    kept = co_await titles(*db, "7c1d");
    const auto final_title = co_await titles(*db, "9e2f");
    kept.insert(kept.end(), final_title.begin(), final_title.end());
    gone = co_await titles(*db, "5a3b");
    // Two sessions at once: on SQLite the second waits for the writer and joins the first's batch.
    co_await (exec(*db, insert_opportunity("000000000023", "Batch b8e1 one", "First of a batch.")) &&
              exec(*db, insert_opportunity("000000000024", "Batch b8e1 two", "Second of a batch.")));
    batch = co_await titles(*db, "b8e1");
  };
  run(body);
  EXPECT_THAT(kept, ::testing::ElementsAre("Final 9e2f"));
  EXPECT_TRUE(gone.empty());
  EXPECT_THAT(batch, ::testing::UnorderedElementsAre("Batch b8e1 one", "Batch b8e1 two"));
}

// Rows another program writes into the SQLite file (an import) only queue: no search finds them
// until `oms search-index` (index_search_backlog) indexes the queue, a chunk at a time, with oms's
// fold; a changed row then has only its new text, a deleted one none.
// (SQLite only: PostgreSQL indexes as it writes.)
class SqliteSearchQueueTest : public StorageTest {};

TEST_P(SqliteSearchQueueTest, ABacklogWrittenBehindOmssBackIsIndexedInChunks) {
  auto db = open();
  std::vector<std::string> before, renamed, deleted, imported;
  auto setup = [&]() -> awaitable<void> {
    co_await migrate(*db);
    co_await insert_owners(*db);
    co_await exec(*db, insert_opportunity("000000000031", "Old d4f1", "Renamed by the import."));
    co_await exec(*db, insert_opportunity("000000000032", "Doomed d4f1", "Deleted by the import."));
  };
  run(setup);
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(file_.c_str(), &other), SQLITE_OK);
  std::string script = "BEGIN;";
  for (const char* n : {"33", "34", "35"}) {
    script += insert_opportunity(std::string("0000000000") + n, std::string("Imported \xC3\xA9t\xC3\xA9 e6a") + n,
                                 "Written by another program.") +
              ";";
  }
  script +=
      "UPDATE opportunities SET title = 'New c9b2' WHERE id = '00000000-0000-4000-8000-000000000031';"
      "DELETE FROM opportunities WHERE id = '00000000-0000-4000-8000-000000000032';"
      "COMMIT;";
  ASSERT_EQ(sqlite3_exec(other, script.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(other);
  sqlite3_close(other);
  auto stale = [&]() { return titles(*db, "ete e6a"); };
  before = run(stale);

  const sqlite::SearchBacklogReport report = sqlite::index_search_backlog(file_, 2);
  auto after = [&]() -> awaitable<void> {
    imported = co_await titles(*db, "ETE e6a");
    renamed = co_await titles(*db, "d4f1");
    const auto new_title = co_await titles(*db, "c9b2");
    renamed.insert(renamed.end(), new_title.begin(), new_title.end());
    deleted = co_await titles(*db, "doomed");
  };
  run(after);
  EXPECT_TRUE(before.empty());
  EXPECT_EQ(report.indexed, 5);
  EXPECT_TRUE(report.merged);
  EXPECT_THAT(imported, ::testing::ElementsAre("Imported \xC3\xA9t\xC3\xA9 e6a33", "Imported \xC3\xA9t\xC3\xA9 e6a34",
                                               "Imported \xC3\xA9t\xC3\xA9 e6a35"));
  EXPECT_THAT(renamed, ::testing::ElementsAre("New c9b2"));
  EXPECT_TRUE(deleted.empty());
  const sqlite::SearchBacklogReport again = sqlite::index_search_backlog(file_, 2);
  EXPECT_EQ(again.indexed, 0);
  EXPECT_FALSE(again.merged);
}

TEST(SearchText, WordsArePrecise) {
  EXPECT_THAT(search_words("  Opportunity-4E7\t caf\xC3\xA9\xC2\xA0X  "),
              ::testing::ElementsAre("opportunity-4e7", "cafe", "x"));
  EXPECT_TRUE(search_words(" \xCC\x81 ").empty());
  EXPECT_EQ(search_like_pattern("a%b_c\\d'"), "%a\\%b\\_c\\\\d'%");
  EXPECT_EQ(search_fts5_phrase("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(search_code_points("caf\xC3\xA9"), 4u);
  EXPECT_EQ(search_fold("\xFF\xC3"), "\xFF\xC3");  // invalid UTF-8 passes through
}

INSTANTIATE_TEST_SUITE_P(Stores, SearchStorageTest, ::testing::Values("sqlite", "postgres"), engine_name);
INSTANTIATE_TEST_SUITE_P(Stores, SqliteSearchQueueTest, ::testing::Values("sqlite"), engine_name);

}  // namespace
}  // namespace oms::storage::testing
