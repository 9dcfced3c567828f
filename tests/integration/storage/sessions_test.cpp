// Transactions: commit and rollback visibility, abandoned sessions, pool waiting, fault
// injection and the readiness check.
#include <gmock/gmock.h>

#include <atomic>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <future>

#include "storage_fixture.hpp"
#include "support/fault_injection.hpp"

namespace oms::storage::testing {
namespace {

using boost::asio::awaitable;
using namespace std::chrono_literals;

class SessionsTest : public StorageTest {
 protected:
  static awaitable<void> create_table(Database& db) {
    auto s = co_await db.begin(Access::read_write);
    co_await s->query("CREATE TABLE t (id BIGINT PRIMARY KEY)");
    co_await s->commit();
  }
  static awaitable<void> insert(Session& s, std::int64_t id) {
    Params p{id};
    co_await s.query("INSERT INTO t (id) VALUES ($1)", std::move(p));
  }
  static awaitable<std::vector<std::int64_t>> ids(Database& db) {
    auto s = co_await db.begin(Access::read_only);
    Result r = co_await s->query("SELECT id FROM t ORDER BY id");
    co_await s->commit();
    std::vector<std::int64_t> out;
    for (const Row& row : r.rows) out.push_back(row.i64(0));
    co_return out;
  }
};

// A reader that walks data in several statements (the audit verification: batches, then the
// head) must not see a commit that lands between them.
TEST_P(SessionsTest, ReadOnlySessionIsOneSnapshotAcrossStatements) {
  auto db = open();
  auto body = [&]() -> awaitable<std::pair<std::vector<std::int64_t>, std::vector<std::int64_t>>> {
    co_await create_table(*db);
    auto w = co_await db->begin(Access::read_write);
    co_await insert(*w, 1);
    co_await w->commit();
    auto reader = co_await db->begin(Access::read_only);
    auto read = [&]() -> awaitable<std::vector<std::int64_t>> {
      Result r = co_await reader->query("SELECT id FROM t ORDER BY id");
      std::vector<std::int64_t> out;
      for (const Row& row : r.rows) out.push_back(row.i64(0));
      co_return out;
    };
    auto first = co_await read();
    auto later = co_await db->begin(Access::read_write);
    co_await insert(*later, 2);
    co_await later->commit();
    auto second = co_await read();
    co_await reader->commit();
    co_return std::pair{first, second};
  };
  const auto [first, second] = run(body);
  EXPECT_EQ(first, std::vector<std::int64_t>{1});
  EXPECT_EQ(second, std::vector<std::int64_t>{1});
}

TEST_P(SessionsTest, ReadOneSessionSeesCommittedWork) {
  auto db = open();
  auto body = [&]() -> awaitable<std::vector<std::int64_t>> {
    co_await create_table(*db);
    auto w = co_await db->begin(Access::read_write);
    co_await insert(*w, 7);
    co_await w->commit();
    auto s = co_await db->begin(Access::read_one);
    Params none;
    Result r = co_await s->query_planned_for_values("SELECT id FROM t ORDER BY id", std::move(none));
    co_await s->commit();
    std::vector<std::int64_t> out;
    for (const Row& row : r.rows) out.push_back(row.i64(0));
    co_return out;
  };
  EXPECT_EQ(run(body), std::vector<std::int64_t>{7});
  EXPECT_EQ(db->pool_stats().in_use, 0u);
}

TEST_P(SessionsTest, CommittedWorkIsVisibleAndRolledBackWorkIsNot) {
  auto db = open();
  auto body = [&]() -> awaitable<std::vector<std::int64_t>> {
    co_await create_table(*db);
    auto a = co_await db->begin(Access::read_write);
    co_await insert(*a, 1);
    co_await a->rollback();
    bool refused = false;  // finished sessions refuse work
    try {
      co_await a->query("SELECT 1");
    } catch (const DatabaseError&) {
      refused = true;
    }
    EXPECT_TRUE(refused);

    auto b = co_await db->begin(Access::read_write);
    co_await insert(*b, 2);
    // Not yet committed: a concurrent reader does not see it.
    auto seen_before = co_await ids(*db);
    EXPECT_TRUE(seen_before.empty());
    co_await b->commit();
    co_return co_await ids(*db);
  };
  EXPECT_EQ(run(body), (std::vector<std::int64_t>{2}));
}

TEST_P(SessionsTest, AbandonedSessionIsRolledBackAndItsConnectionReused) {
  DatabaseOptions options;
  options.pool_size = 1;  // the next session must get the very same connection back
  auto db = open(options);
  auto body = [&]() -> awaitable<std::vector<std::int64_t>> {
    co_await create_table(*db);
    {
      auto abandoned = co_await db->begin(Access::read_write);
      co_await insert(*abandoned, 1);
    }  // destroyed without commit
    auto next = co_await db->begin(Access::read_write);
    co_await insert(*next, 1);  // would be a duplicate if the first insert had survived
    co_await next->commit();
    co_return co_await ids(*db);
  };
  EXPECT_EQ(run(body), (std::vector<std::int64_t>{1}));
  EXPECT_EQ(db->pool_stats().in_use, 0u);
  EXPECT_EQ(db->pool_stats().waiting, 0u);
}

struct Concurrency {
  std::atomic<int> active{0};
  std::atomic<int> max_active{0};
  std::atomic<std::size_t> max_waiting{0};
};

awaitable<void> slow_writer(Database& db, std::int64_t id, Concurrency& c) {
  auto s = co_await db.begin(Access::read_write);
  int now = ++c.active;
  int seen = c.max_active.load();
  while (now > seen && !c.max_active.compare_exchange_weak(seen, now)) {
  }
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, 40ms);
  co_await timer.async_wait(boost::asio::use_awaitable);
  std::size_t waiting = db.pool_stats().waiting;
  std::size_t max_waiting = c.max_waiting.load();
  while (waiting > max_waiting && !c.max_waiting.compare_exchange_weak(max_waiting, waiting)) {
  }
  Params p{id};
  co_await s->query("INSERT INTO t (id) VALUES ($1)", std::move(p));
  --c.active;
  co_await s->commit();
}

TEST_P(SessionsTest, SessionsBeyondThePoolWaitThenProceed) {
  DatabaseOptions options;
  options.pool_size = 2;
  auto db = open(options);
  auto setup = [&]() { return create_table(*db); };
  run(setup);
  Concurrency c;
  std::vector<std::future<void>> writers;
  for (std::int64_t i = 1; i <= 6; ++i) {
    writers.push_back(boost::asio::co_spawn(io_.io(), slow_writer(*db, i, c), boost::asio::use_future));
  }
  for (auto& w : writers) EXPECT_NO_THROW(w.get());
  auto read = [&]() { return ids(*db); };
  EXPECT_EQ(run(read), (std::vector<std::int64_t>{1, 2, 3, 4, 5, 6}));
  // SQLite has one writer connection; PostgreSQL uses the whole pool.
  EXPECT_EQ(c.max_active.load(), postgres() ? 2 : 1);
  EXPECT_GE(c.max_waiting.load(), 1u);
  EXPECT_EQ(db->pool_stats().in_use, 0u);
}

TEST_P(SessionsTest, ReadersDoNotWaitForTheWriter) {
  auto db = open();
  auto body = [&]() -> awaitable<std::vector<std::int64_t>> {
    co_await create_table(*db);
    auto writer = co_await db->begin(Access::read_write);
    co_await insert(*writer, 5);
    auto r1 = co_await db->begin(Access::read_only);
    auto r2 = co_await db->begin(Access::read_only);
    Result a = co_await r1->query("SELECT count(*) FROM t");
    Result b = co_await r2->query("SELECT count(*) FROM t");
    EXPECT_EQ(a.rows.at(0).i64(0), 0);
    EXPECT_EQ(b.rows.at(0).i64(0), 0);
    co_await writer->commit();
    co_return co_await ids(*db);
  };
  EXPECT_EQ(run(body), (std::vector<std::int64_t>{5}));
}

TEST_P(SessionsTest, FaultInjectionFailsTheNthWriteQuery) {
  auto db = open();
  FaultInjectingDatabase faulty(*db);
  auto body = [&]() -> awaitable<std::vector<std::int64_t>> {
    co_await create_table(faulty);  // one write query
    faulty.fail_at_query(2);
    {
      auto s = co_await faulty.begin(Access::read_write);
      co_await insert(*s, 1);  // 1st: runs
      bool injected = false;
      try {
        co_await insert(*s, 2);  // 2nd: fails
      } catch (const DatabaseError& e) {
        injected = std::string(e.what()) == "injected fault";
      }
      EXPECT_TRUE(injected);
    }  // abandoned: the first insert is rolled back too
    auto read = co_await faulty.begin(Access::read_only);
    co_await read->query("SELECT 1");  // read-only queries are not counted
    co_await read->commit();
    auto s = co_await faulty.begin(Access::read_write);
    co_await insert(*s, 3);  // disarmed after firing
    co_await s->commit();
    co_return co_await ids(faulty);
  };
  EXPECT_EQ(run(body), (std::vector<std::int64_t>{3}));
  EXPECT_EQ(faulty.write_queries_seen(), 4);
}

TEST_P(SessionsTest, CheckReportsHealthy) {
  auto db = open();
  auto body = [&]() { return db->check(); };
  EXPECT_EQ(run(body), "");
  EXPECT_EQ(db->dialect(), postgres() ? Dialect::postgres : Dialect::sqlite);
}

TEST_P(SessionsTest, ClosedDatabaseRefusesSessions) {
  auto db = open();
  db->close();
  auto body = [&]() -> awaitable<void> { co_await db->begin(Access::read_write); };
  EXPECT_THROW(run(body), DatabaseError);
}

INSTANTIATE_TEST_SUITE_P(Engines, SessionsTest, ::testing::Values("sqlite", "postgres"), engine_name);

}  // namespace
}  // namespace oms::storage::testing
