// SQLite's group commit (src/storage/sqlite/group_commit.hpp): a committed session answers only
// once its batch is committed, readers see its work only then, a batch-mate that rolls back
// undoes only its own work, many concurrent writers all land, and a batch waits for another
// process's write lock.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <future>
#include <thread>

#include "storage_fixture.hpp"

namespace oms::storage::testing {
namespace {

using boost::asio::awaitable;
using namespace std::chrono_literals;

class GroupCommitTest : public StorageTest {
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
  // Waits (bounded: 10 s) until `flag` reaches `value`; false if it never did.
  static awaitable<bool> wait_for(const std::atomic<int>& flag, int value) {
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
    for (int i = 0; i < 10000 && flag.load() != value; ++i) {
      timer.expires_after(1ms);
      co_await timer.async_wait(boost::asio::use_awaitable);
    }
    co_return flag.load() == value;
  }
  static awaitable<void> pause(std::chrono::milliseconds how_long) {
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, how_long);
    co_await timer.async_wait(boost::asio::use_awaitable);
  }
  // Commits `s`, then sets `done` to 1.
  static awaitable<void> commit_then_mark(std::unique_ptr<Session> s, std::atomic<int>& done) {
    co_await s->commit();
    done = 1;
  }
  // Takes the writer after the first session, inserts 2, reports stage 1, waits for stage 2 and
  // is then dropped uncommitted.
  static awaitable<void> second_writer(Database& db, std::atomic<int>& stage) {
    auto s = co_await db.begin(Access::read_write);
    co_await insert(*s, 2);
    stage = 1;
    co_await wait_for(stage, 2);
  }
  static awaitable<void> one_writer(Database& db, std::int64_t id) {
    auto s = co_await db.begin(Access::read_write);
    co_await insert(*s, id);
    co_await s->commit();
  }
};

TEST_P(GroupCommitTest, CommitAnswersOnlyWithItsBatchAndABatchMatesRollbackUndoesOnlyItsOwnWork) {
  auto db = open();
  auto body = [&]() -> awaitable<void> {
    co_await create_table(*db);
    auto first = co_await db->begin(Access::read_write);
    co_await insert(*first, 1);
    std::atomic<int> stage{0};
    std::atomic<int> first_done{0};
    auto& io = io_.io();
    // The second writer waits for the writer connection; the first's commit hands it over.
    auto second = boost::asio::co_spawn(io, second_writer(*db, stage), boost::asio::use_future);
    auto committed = boost::asio::co_spawn(io, commit_then_mark(std::move(first), first_done), boost::asio::use_future);
    // (Results bound to locals: g++ 12 miscompiles braced temporaries beside a co_await.)
    const bool second_has_writer = co_await wait_for(stage, 1);
    EXPECT_TRUE(second_has_writer);
    EXPECT_EQ(first_done.load(), 0);  // its batch is still open: no answer yet
    const std::vector<std::int64_t> before = co_await ids(*db);
    EXPECT_TRUE(before.empty());  // and no reader sees its row
    stage = 2;                    // the second writer ends uncommitted: the batch (the first alone) commits
    const bool answered = co_await wait_for(first_done, 1);
    EXPECT_TRUE(answered);
    const std::vector<std::int64_t> after = co_await ids(*db);
    const std::vector<std::int64_t> only_first{1};
    EXPECT_EQ(after, only_first);
    second.get();
    committed.get();
  };
  run(body);
  EXPECT_EQ(db->pool_stats().in_use, 0u);
}

TEST_P(GroupCommitTest, ManyConcurrentWritersAllLand) {
  auto db = open();
  auto setup = [&]() { return create_table(*db); };
  run(setup);
  std::vector<std::future<void>> writers;
  for (std::int64_t i = 1; i <= 40; ++i) {
    writers.push_back(boost::asio::co_spawn(io_.io(), one_writer(*db, i), boost::asio::use_future));
  }
  for (auto& w : writers) EXPECT_NO_THROW(w.get());
  auto read = [&]() { return ids(*db); };
  std::vector<std::int64_t> expected;
  for (std::int64_t i = 1; i <= 40; ++i) expected.push_back(i);
  EXPECT_EQ(run(read), expected);
  EXPECT_EQ(db->pool_stats().in_use, 0u);
  EXPECT_EQ(db->pool_stats().waiting, 0u);
}

TEST_P(GroupCommitTest, AFailedStatementLeavesTheSessionAndItsBatchUsable) {
  auto db = open();
  auto body = [&]() -> awaitable<std::vector<std::int64_t>> {
    co_await create_table(*db);
    auto s = co_await db->begin(Access::read_write);
    co_await insert(*s, 1);
    bool duplicate = false;
    try {
      co_await insert(*s, 1);
    } catch (const UniqueViolation&) {
      duplicate = true;
    }
    EXPECT_TRUE(duplicate);
    co_await insert(*s, 2);
    co_await s->commit();
    co_return co_await ids(*db);
  };
  EXPECT_EQ(run(body), (std::vector<std::int64_t>{1, 2}));
}

// Another process holding SQLite's write lock (here another connection to the file): a new
// batch's BEGIN IMMEDIATE waits for it on the SQLite threads (the busy timeout) instead of
// failing or holding an I/O thread — with one of the two I/O threads kept busy, the other still
// runs a timer while the writer waits — and the session goes on once the lock is free.
TEST_P(GroupCommitTest, ANewBatchWaitsForAnotherProcesssWriteLockOffTheIoThreads) {
  auto db = open();
  auto setup = [&]() { return create_table(*db); };
  run(setup);
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(file_.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  std::promise<void> unblock;
  std::shared_future<void> unblocked = unblock.get_future().share();
  std::atomic<int> blocking{0};
  boost::asio::post(io_.io(), [unblocked, &blocking]() {
    blocking = 1;
    unblocked.wait();
  });
  while (blocking.load() == 0) std::this_thread::sleep_for(1ms);
  auto writer = boost::asio::co_spawn(io_.io(), one_writer(*db, 7), boost::asio::use_future);
  auto ticked = boost::asio::co_spawn(io_.io(), pause(50ms), boost::asio::use_future);
  EXPECT_EQ(ticked.wait_for(1s), std::future_status::ready);       // an I/O thread was free
  EXPECT_EQ(writer.wait_for(300ms), std::future_status::timeout);  // still waiting for the lock
  EXPECT_EQ(sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
  EXPECT_NO_THROW(writer.get());
  unblock.set_value();
  sqlite3_close(other);
  auto read = [&]() { return ids(*db); };
  const std::vector<std::int64_t> only_seven{7};
  EXPECT_EQ(run(read), only_seven);
  EXPECT_EQ(db->pool_stats().in_use, 0u);
}

// A waiter that gives up (its pool deadline passes) just as the writer is passed on to it: the
// pool counted it as waiting, so the batch was left open for it, and the writer goes back to the
// pool idle with the batch open. The batch must still be committed, though no other writer comes.
TEST_P(GroupCommitTest, ABatchPassedOnToAWriterThatGaveUpIsStillCommitted) {
  DatabaseOptions options;
  options.pool_wait = 2ms;
  auto db = open(options);
  auto setup = [&]() { return create_table(*db); };
  run(setup);
  auto begin_with = [&](std::int64_t id) -> awaitable<std::unique_ptr<Session>> {
    auto s = co_await db->begin(Access::read_write);
    co_await insert(*s, id);
    co_return s;
  };
  boost::asio::io_context stepped;  // the second writer's, run a step at a time by this thread
  std::unique_ptr<Session> first = boost::asio::co_spawn(io_.io(), begin_with(1), boost::asio::use_future).get();
  auto second = boost::asio::co_spawn(stepped, begin_with(2), boost::asio::use_future);
  stepped.poll();  // the second waits for the writer, 2 ms at most
  ASSERT_EQ(db->pool_stats().waiting, 1u);
  std::this_thread::sleep_for(5ms);
  ASSERT_EQ(stepped.run_one(), 1u);  // its deadline: it gives up, and resumes when `stepped` runs next
  std::atomic<int> first_done{0};
  auto committed =
      boost::asio::co_spawn(io_.io(), commit_then_mark(std::move(first), first_done), boost::asio::use_future);
  for (int i = 0; i < 10000 && db->pool_stats().in_use != 0; ++i) std::this_thread::sleep_for(1ms);
  ASSERT_EQ(db->pool_stats().in_use, 0u);  // the first's commit passed the writer on
  stepped.poll();                          // the second resumes timed out; the writer lies idle
  EXPECT_THROW(second.get(), PoolTimeout);
  // Bounded only to fail rather than hang: the batch is committed within ~2 × k_max_age.
  std::vector<std::int64_t> expected{1};
  if (committed.wait_for(20s) != std::future_status::ready) {
    ADD_FAILURE() << "the batch was left open in the idle pool: its member waited 20 s for another writer";
    auto another = [&]() { return one_writer(*db, 3); };
    run(another);  // joins the batch and commits it, so that the test can end
    expected.push_back(3);
  }
  committed.get();
  EXPECT_EQ(first_done.load(), 1);
  auto read = [&]() { return ids(*db); };
  EXPECT_EQ(run(read), expected);
  EXPECT_EQ(db->pool_stats().in_use, 0u);
}

INSTANTIATE_TEST_SUITE_P(Engines, GroupCommitTest, ::testing::Values("sqlite"), engine_name);

}  // namespace
}  // namespace oms::storage::testing
