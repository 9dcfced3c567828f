// PostgreSQL-only behaviour: prepared and unprepared statements, query timeouts, lost
// connections, the read replica pool and connection failures.
#include <gmock/gmock.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <csignal>
#include <thread>

#include "storage_fixture.hpp"
#include "support/tcp_relay.hpp"

namespace oms::storage::testing {
namespace {

using boost::asio::awaitable;
using namespace std::chrono_literals;

class PostgresTest : public StorageTest {};

awaitable<std::int64_t> prepared_count_after_queries(Database& db) {
  auto s = co_await db.begin(Access::read_write);
  for (std::int64_t i = 0; i < 3; ++i) {
    Params p{i, std::string("x"), true};
    Result r = co_await s->query("SELECT $1::bigint + 1, $2::text, $3::boolean", std::move(p));
    EXPECT_EQ(r.rows.at(0).i64(0), i + 1);
    EXPECT_EQ(r.rows.at(0).str(1), "x");
    EXPECT_TRUE(r.rows.at(0).boolean(2));
  }
  Result prepared = co_await s->query("SELECT count(*) FROM pg_prepared_statements");
  co_await s->commit();
  co_return prepared.rows.at(0).i64(0);
}

TEST_P(PostgresTest, PreparedModeCachesOneStatementPerSqlText) {
  DatabaseOptions options;
  options.pool_size = 1;
  options.prepared_statements = true;
  auto db = open(options);
  auto body = [&]() { return prepared_count_after_queries(*db); };
  EXPECT_EQ(run(body), 1);  // three executions, one statement
}

TEST_P(PostgresTest, UnpreparedModeLeavesNoNamedStatements) {
  DatabaseOptions options;
  options.pool_size = 1;
  options.prepared_statements = false;  // PgBouncer transaction mode
  auto db = open(options);
  auto body = [&]() { return prepared_count_after_queries(*db); };
  EXPECT_EQ(run(body), 0);
}

awaitable<std::string> read_only_setting(Database& db, Access access) {
  auto s = co_await db.begin(access);
  Result r = co_await s->query("SELECT current_setting('transaction_read_only')");
  co_await s->commit();
  co_return r.rows.at(0).str(0);
}

TEST_P(PostgresTest, ReadOneSessionRunsItsStatementWithoutATransaction) {
  DatabaseOptions options;
  options.pool_size = 1;
  auto db = open(options);
  // BEGIN READ ONLY makes the transaction read-only; a read_one session sends no BEGIN, so its
  // statement runs in autocommit (its own snapshot) and commit() is no round trip.
  auto read_one = [&]() { return read_only_setting(*db, Access::read_one); };
  EXPECT_EQ(run(read_one), "off");
  EXPECT_EQ(db->pool_stats().in_use, 0u);  // commit() gave the connection back
  auto read_only = [&]() { return read_only_setting(*db, Access::read_only); };
  EXPECT_EQ(run(read_only), "on");  // the same single connection, not left inside a transaction
  EXPECT_EQ(run(read_one), "off");
}

TEST_P(PostgresTest, QueryPlannedForValuesUsesNoNamedStatement) {
  DatabaseOptions options;
  options.pool_size = 1;
  options.prepared_statements = true;
  auto db = open(options);
  auto body = [&]() -> awaitable<std::int64_t> {
    auto s = co_await db->begin(Access::read_one);
    for (std::int64_t i = 0; i < 3; ++i) {
      Params p{i, std::string("x")};
      Result r = co_await s->query_planned_for_values("SELECT $1::bigint + 1, $2::text", std::move(p));
      EXPECT_EQ(r.rows.at(0).i64(0), i + 1);
      EXPECT_EQ(r.rows.at(0).str(1), "x");
    }
    Result prepared = co_await s->query("SELECT count(*) FROM pg_prepared_statements");
    co_await s->commit();
    co_return prepared.rows.at(0).i64(0);
  };
  EXPECT_EQ(run(body), 0);  // an unnamed statement each time: planned for its values
}

// A connection reuses the column names of its last result when the next has the same ones; a
// result with other names, or as many columns under other names, gets its own.
TEST_P(PostgresTest, EachResultCarriesItsOwnColumnNames) {
  DatabaseOptions options;
  options.pool_size = 1;
  options.prepared_statements = false;
  auto db = open(options);
  auto body = [&]() -> awaitable<std::vector<std::size_t>> {
    std::vector<std::size_t> where;
    auto s = co_await db->begin(Access::read_one);
    for (const char* sql : {"SELECT $1::int AS a, 2 AS b", "SELECT $1::int AS a, 2 AS b", "SELECT $1::int AS b, 2 AS a",
                            "SELECT $1::int AS a, 2 AS b, 3 AS c", "SELECT $1::int AS a"}) {
      Params p{std::int64_t{1}};
      Result r = co_await s->query(sql, std::move(p));
      where.push_back(r.rows.at(0).index("a"));
    }
    co_await s->commit();
    co_return where;
  };
  EXPECT_EQ(run(body), (std::vector<std::size_t>{0, 0, 1, 0, 0}));
}

TEST_P(PostgresTest, SlowQueryIsCancelledAtTheTimeoutAndTheConnectionStaysUsable) {
  DatabaseOptions options;
  options.pool_size = 1;
  options.query_timeout = 300ms;
  auto db = open(options);
  auto body = [&]() -> awaitable<std::string> {
    std::string message;
    {
      auto s = co_await db->begin(Access::read_write);
      try {
        co_await s->query("SELECT pg_sleep(10)");
      } catch (const DatabaseError& e) {
        message = e.what();
      }
    }
    auto s = co_await db->begin(Access::read_write);
    Params p{std::int64_t{41}};
    Result r = co_await s->query("SELECT $1::bigint + 1", std::move(p));
    co_await s->commit();
    EXPECT_EQ(r.rows.at(0).i64(0), 42);
    co_return message;
  };
  const auto start = std::chrono::steady_clock::now();
  std::string message = run(body);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  EXPECT_THAT(message, ::testing::HasSubstr("timed out after 300 ms"));
  EXPECT_THAT(message, ::testing::HasSubstr("statement \"SELECT pg_sleep(10)\""));  // which one, for the log
}

// A server that stops answering at all (here: its backend stopped with SIGSTOP, so the cancel
// is not acted on either) is cut off after the timeout and the cancel's grace, and the error says
// whether an answer was waiting unread (a missed wake-up) or none came (0 bytes).
TEST_P(PostgresTest, AServerThatNeverAnswersIsCutOffAndTheErrorSaysNothingWasWaiting) {
  DatabaseOptions options;
  options.pool_size = 1;
  options.query_timeout = 300ms;
  auto db = open(options);
  std::int64_t pid = 0;
  {
    auto pid_of = [&]() -> awaitable<std::int64_t> {
      auto s = co_await db->begin(Access::read_write);
      Result r = co_await s->query("SELECT pg_backend_pid()");
      co_await s->commit();
      co_return r.rows.at(0).i64(0);
    };
    pid = run(pid_of);
  }
  if (::kill(static_cast<pid_t>(pid), SIGSTOP) != 0)
    GTEST_SKIP() << "cannot stop the PostgreSQL backend " << pid << " (not a local server we may signal)";
  struct Resume {  // whatever happens below, the backend runs again (and then ends)
    pid_t pid;
    ~Resume() { ::kill(pid, SIGCONT); }
  } resume{static_cast<pid_t>(pid)};
  auto body = [&]() -> awaitable<std::string> {
    try {  // the pool's one connection: BEGIN is its first statement
      auto s = co_await db->begin(Access::read_write);
      co_await s->query("SELECT 1");
    } catch (const DatabaseError& e) {
      co_return std::string(e.what());
    }
    co_return std::string("answered");
  };
  const std::string message = run(body);
  EXPECT_THAT(message, ::testing::HasSubstr("timed out after 300 ms"));
  EXPECT_THAT(message, ::testing::HasSubstr("backend " + std::to_string(pid)));
  EXPECT_THAT(message, ::testing::HasSubstr("no answer read; 0 bytes unread when the socket was shut"));
}

// `url` (postgresql://user@host:port/...) with its port replaced by `port`; and its port.
std::string with_port(const std::string& url, std::uint16_t port) {
  const auto authority = url.find("://") + 3;
  const auto colon = url.rfind(':', url.find('/', authority));
  return url.substr(0, colon + 1) + std::to_string(port) + url.substr(url.find('/', authority));
}

std::uint16_t port_of(const std::string& url) {
  const auto authority = url.find("://") + 3;
  const auto colon = url.rfind(':', url.find('/', authority));
  return static_cast<std::uint16_t>(std::stoi(url.substr(colon + 1)));
}

// PostgreSQL's cancel request names a connection, not a statement, so a cancel sent at a
// statement's timeout that reaches the server after the statement ended on its own would stop the
// connection's next statement. The connection goes through a relay, and libpq sends its cancel to
// the same address: the relay holds the cancel until well after the slow statement answered, while
// the same session goes on with short statements. None of them may be cancelled; the slow one's
// answer waits for its cancel to be through.
TEST_P(PostgresTest, ACancelReachingTheServerAfterItsStatementEndedStopsNoOtherStatement) {
  oms::testing::TcpRelay relay(port_of(url_));
  DatabaseOptions options;
  options.url = with_port(url_, relay.port());
  options.pool_size = 1;
  options.query_timeout = 300ms;
  if (postgres_pooled()) options.prepared_statements = false;
  auto db = open_database(io_.io().get_executor(), options);
  auto connect = [&]() -> awaitable<void> {
    auto s = co_await db->begin(Access::read_write);
    co_await s->commit();
  };
  run(connect);  // the pool's one connection, through the relay
  ASSERT_EQ(relay.accepted(), 1);
  relay.hold_new_connections();

  using Clock = std::chrono::steady_clock;
  const Clock::time_point start = Clock::now();
  std::atomic<Clock::rep> released_at{0};
  std::jthread releaser([&] {  // joined however the body ends
    std::this_thread::sleep_until(start + 1500ms);
    released_at = (Clock::now() - start).count();
    relay.release();
  });
  Clock::rep slow_answered_at = 0;
  auto body = [&]() -> awaitable<std::vector<std::string>> {
    std::vector<std::string> failures;
    auto s = co_await db->begin(Access::read_write);
    try {
      co_await s->query("SELECT pg_sleep(1)");  // its cancel, sent at 300 ms, waits in the relay
    } catch (const DatabaseError& e) {
      failures.push_back(std::string("the slow statement: ") + e.what());
    }
    slow_answered_at = (Clock::now() - start).count();
    while (failures.empty() && Clock::now() < start + 2500ms) {
      try {
        co_await s->query("SELECT pg_sleep(0.05)");
      } catch (const DatabaseError& e) {
        failures.push_back(std::string("a later statement: ") + e.what());
      }
    }
    if (failures.empty()) co_await s->commit();
    co_return failures;
  };
  const std::vector<std::string> failures = run(body);
  releaser.join();
  EXPECT_THAT(failures, ::testing::IsEmpty());
  EXPECT_EQ(relay.accepted(), 2) << "the timeout sent one cancel";
  EXPECT_GE(slow_answered_at, released_at.load()) << "the slow statement answered before its cancel was through";
}

TEST_P(PostgresTest, ALostConnectionIsReplaced) {
  DatabaseOptions options;
  options.pool_size = 1;
  auto db = open(options);
  auto body = [&]() -> awaitable<std::vector<std::string>> {
    std::vector<std::string> pids;
    {
      auto s = co_await db->begin(Access::read_write);
      Result r = co_await s->query("SELECT pg_backend_pid()");
      pids.push_back(r.rows.at(0).str(0));
      bool lost = false;
      try {  // the server ends our own connection
        co_await s->query("SELECT pg_terminate_backend(pg_backend_pid())");
      } catch (const DatabaseError&) {
        lost = true;
      }
      EXPECT_TRUE(lost);
    }
    auto s = co_await db->begin(Access::read_write);
    Result r = co_await s->query("SELECT pg_backend_pid()");
    pids.push_back(r.rows.at(0).str(0));
    co_await s->commit();
    co_return pids;
  };
  auto pids = run(body);
  EXPECT_NE(pids.at(0), pids.at(1));
}

TEST_P(PostgresTest, ReadOnlySessionsGoToTheReplica) {
  // Stand-in replica: the same server seen through another schema.
  const std::string replica_schema = unique_name("r");
  auto make_tables = [&]() -> awaitable<void> {
    auto db = open();
    auto s = co_await db->begin(Access::read_write);
    co_await s->query("CREATE TABLE whoami (name TEXT); INSERT INTO whoami VALUES ('primary'); CREATE SCHEMA " +
                      replica_schema + "; CREATE TABLE " + replica_schema + ".whoami (name TEXT); INSERT INTO " +
                      replica_schema + ".whoami VALUES ('replica')");
    co_await s->commit();
  };
  run(make_tables);
  DatabaseOptions options;
  options.replica_url = with_search_path(postgres_url_or_fail(), replica_schema);
  auto db = open(options);
  auto body = [&]() -> awaitable<std::vector<std::string>> {
    auto r = co_await db->begin(Access::read_only);
    Result a = co_await r->query("SELECT name FROM whoami");
    co_await r->commit();
    auto w = co_await db->begin(Access::read_write);
    Result b = co_await w->query("SELECT name FROM whoami");
    co_await w->commit();
    co_return std::vector<std::string>{a.rows.at(0).str(0), b.rows.at(0).str(0)};
  };
  EXPECT_EQ(run(body), (std::vector<std::string>{"replica", "primary"}));
  EXPECT_EQ(db->pool_stats().size, 8u);  // two pools of 4
  db.reset();
  auto drop = [&]() -> awaitable<void> {
    auto admin = open();
    auto s = co_await admin->begin(Access::read_write);
    co_await s->query("DROP SCHEMA " + replica_schema + " CASCADE");
    co_await s->commit();
  };
  run(drop);
}

TEST_P(PostgresTest, ReadsFallBackToThePrimaryWhenTheReplicaIsDown) {
  DatabaseOptions options;
  options.replica_url = "postgresql://oms@127.0.0.1:1/oms?connect_timeout=1";
  auto db = open(options);
  auto body = [&]() -> awaitable<std::string> {
    auto r = co_await db->begin(Access::read_only);
    Result a = co_await r->query("SELECT 'served'");
    co_await r->commit();
    co_return a.rows.at(0).str(0);
  };
  EXPECT_EQ(run(body), "served");
}

TEST_P(PostgresTest, UnreachableServerFailsCheckAndBegin) {
  DatabaseOptions options;
  options.url = "postgresql://oms@127.0.0.1:1/oms?connect_timeout=1";
  auto db = open_database(io_.io().get_executor(), options);
  auto check = [&]() { return db->check(); };
  EXPECT_THAT(run(check), ::testing::HasSubstr("127.0.0.1"));
  auto begin = [&]() -> awaitable<void> { co_await db->begin(Access::read_write); };
  EXPECT_THROW(run(begin), DatabaseError);
  EXPECT_EQ(db->pool_stats().in_use, 0u);  // the failed slot went back
}

awaitable<std::int64_t> backend_pid(Database& db) {
  auto s = co_await db.begin(Access::read_one);
  Result r = co_await s->query("SELECT pg_backend_pid()");
  co_await s->commit();
  co_return r.rows.at(0).i64(0);
}

// A session begun on another I/O context than the idle connection's opens one of its own there (an
// empty slot) rather than drive the idle one from a foreign thread, and each context then gets its
// own back (storage/connection_pool.hpp). Through PgBouncer a server process belongs to no client
// connection, so there the sessions' success on both contexts is what is checked.
TEST_P(PostgresTest, EachIoContextGetsItsOwnConnectionBack) {
  boost::asio::io_context other(1);
  auto keep = boost::asio::make_work_guard(other);
  std::thread other_thread([&] { other.run(); });
  DatabaseOptions options;
  options.pool_size = 4;
  auto db = open(options);
  auto pid_on = [&](boost::asio::io_context& context) {
    return boost::asio::co_spawn(context, backend_pid(*db), boost::asio::use_future).get();
  };
  const std::int64_t here = pid_on(io_.io());
  const std::int64_t there = pid_on(other);
  const std::int64_t here_again = pid_on(io_.io());
  const std::int64_t there_again = pid_on(other);
  if (!postgres_pooled()) {
    EXPECT_NE(here, there);
    EXPECT_EQ(here_again, here);
    EXPECT_EQ(there_again, there);
  }
  EXPECT_EQ(db->pool_stats().in_use, 0u);
  db->close();  // frees the connection whose socket `other` handles, while it still runs
  keep.reset();
  other.stop();
  other_thread.join();
}

INSTANTIATE_TEST_SUITE_P(Engines, PostgresTest, ::testing::Values("postgres"), engine_name);

}  // namespace
}  // namespace oms::storage::testing
