// SQLite-only behaviour: URLs, the in-memory database, FTS5, read-only readers.
#include <gmock/gmock.h>

#include <filesystem>

#include "storage_fixture.hpp"

namespace oms::storage::testing {
namespace {

using boost::asio::awaitable;

class SqliteTest : public StorageTest {};

TEST_P(SqliteTest, Fts5IsAvailable) {
  auto db = open();
  auto body = [&]() -> awaitable<std::vector<std::string>> {
    auto s = co_await db->begin(Access::read_write);
    co_await s->query("CREATE VIRTUAL TABLE docs USING fts5(title, body)");
    Params a{std::string("Cloud migration"), std::string("Move the data warehouse")};
    co_await s->query("INSERT INTO docs (title, body) VALUES ($1, $2)", std::move(a));
    Params b{std::string("Security review"), std::string("Audit the network")};
    co_await s->query("INSERT INTO docs (title, body) VALUES ($1, $2)", std::move(b));
    co_await s->commit();
    auto r = co_await db->begin(Access::read_only);
    Params q{std::string("warehouse")};
    Result found = co_await r->query("SELECT title FROM docs WHERE docs MATCH $1", std::move(q));
    co_await r->commit();
    std::vector<std::string> titles;
    for (const Row& row : found.rows) titles.push_back(row.str(0));
    co_return titles;
  };
  EXPECT_EQ(run(body), (std::vector<std::string>{"Cloud migration"}));
}

TEST_P(SqliteTest, ReadOnlySessionsCannotWrite) {
  auto db = open();
  auto body = [&]() -> awaitable<bool> {
    auto s = co_await db->begin(Access::read_write);
    co_await s->query("CREATE TABLE t (id INTEGER)");
    co_await s->commit();
    auto r = co_await db->begin(Access::read_only);
    try {
      co_await r->query("INSERT INTO t (id) VALUES (1)");
    } catch (const DatabaseError&) {
      co_return true;
    }
    co_return false;
  };
  EXPECT_TRUE(run(body));
}

// SQLite's temporary files ("etilqs_" is its prefix) are unlinked as they are opened, so only
// /proc/self/fd still shows them.
int open_sqlite_temporary_files() {
  int n = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code error;
    const auto target = std::filesystem::read_symlink(entry.path(), error);
    if (!error && target.filename().string().starts_with("etilqs_")) ++n;
  }
  return n;
}

// A write session is a savepoint of the group commit's batch, and the pages it changes are copied
// to the savepoint's sub-journal, which stays in memory (src/storage/sqlite/sqlite_connection.cpp):
// no pwrite calls on the writer's critical path. 100 rows of 4,000 bytes rewritten in one session:
// ~400 KiB, past the 64 KiB at which a file-backed journal spills.
TEST_P(SqliteTest, AWriteSessionsSavepointJournalStaysInMemory) {
  auto db = open();
  auto body = [&]() -> awaitable<int> {
    auto s = co_await db->begin(Access::read_write);
    co_await s->query("CREATE TABLE blobs (id INTEGER PRIMARY KEY, data BLOB)");
    co_await s->query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100) "
        "INSERT INTO blobs (id, data) SELECT i, zeroblob(4000) FROM n");
    co_await s->commit();
    auto w = co_await db->begin(Access::read_write);
    co_await w->query("UPDATE blobs SET data = randomblob(4000)");
    const int during = open_sqlite_temporary_files();
    co_await w->commit();
    co_return during;
  };
  EXPECT_EQ(run(body), 0);
}

TEST_P(SqliteTest, InMemoryDatabaseServesBothKindsOfSession) {
  DatabaseOptions options;
  options.url = "sqlite::memory:";
  auto db = open_database(io_.io().get_executor(), options);
  auto body = [&]() -> awaitable<std::int64_t> {
    auto s = co_await db->begin(Access::read_write);
    co_await s->query("CREATE TABLE t (id INTEGER); INSERT INTO t VALUES (1); INSERT INTO t VALUES (2);");
    co_await s->commit();
    auto r = co_await db->begin(Access::read_only);
    Result n = co_await r->query("SELECT count(*) FROM t");
    co_await r->commit();
    co_return n.rows.at(0).i64(0);
  };
  EXPECT_EQ(run(body), 2);
  // Another in-memory database is a different one.
  auto other = open_database(io_.io().get_executor(), options);
  auto missing = [&]() -> awaitable<void> {
    auto r = co_await other->begin(Access::read_only);
    co_await r->query("SELECT count(*) FROM t");
  };
  EXPECT_THROW(run(missing), DatabaseError);
}

TEST_P(SqliteTest, UrlsAreValidated) {
  auto ex = io_.io().get_executor();
  DatabaseOptions bad;
  bad.url = "mysql://localhost/oms";
  EXPECT_THROW(open_database(ex, bad), std::invalid_argument);
  bad.url = "sqlite://";
  EXPECT_THROW(open_database(ex, bad), std::invalid_argument);
  bad.url = "sqlite::memory:";
  bad.pool_size = 0;
  EXPECT_THROW(open_database(ex, bad), std::invalid_argument);
  bad.pool_size = 1;
  bad.replica_url = "sqlite::memory:";
  EXPECT_THROW(open_database(ex, bad), std::invalid_argument);

  // sqlite:///absolute and sqlite://relative both name files; missing directories are created.
  auto dir = std::filesystem::path(file_).parent_path() / unique_name("dir");
  DatabaseOptions absolute;
  absolute.url = "sqlite://" + (dir / "nested" / "a.db").string();
  ASSERT_EQ(absolute.url.rfind("sqlite:///", 0), 0u);
  open_database(ex, absolute)->close();
  EXPECT_TRUE(std::filesystem::exists(dir / "nested" / "a.db"));
  auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir);
  DatabaseOptions relative;
  relative.url = "sqlite://rel/b.db";
  open_database(ex, relative)->close();
  std::filesystem::current_path(cwd);
  EXPECT_TRUE(std::filesystem::exists(dir / "rel" / "b.db"));
  std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Engines, SqliteTest, ::testing::Values("sqlite"), engine_name);

}  // namespace
}  // namespace oms::storage::testing
