#include "storage/sqlite/sqlite_database.hpp"

#include <atomic>
#include <boost/asio/post.hpp>
#include <filesystem>

#include "storage/deadline.hpp"
#include "storage/sqlite/run_blocking.hpp"
#include "storage/sqlite/search_index.hpp"

namespace oms::storage::sqlite {
namespace {

using Executor = boost::asio::thread_pool::executor_type;

class SqliteSession final : public Session {
 public:
  SqliteSession(Executor threads, std::shared_ptr<SqlitePool> pool, std::unique_ptr<SqliteConnection> conn, bool writes)
      : threads_(std::move(threads)), pool_(std::move(pool)), conn_(std::move(conn)), writes_(writes) {}

  // Not committed: roll back on the SQLite threads, then hand the connection back. The pool
  // slot stays taken until then, so nobody can see the half-done transaction.
  // Only an allocation failure can throw here, and std::terminate is then the right end.
  ~SqliteSession() override {  // NOLINT(bugprone-exception-escape)
    if (!conn_) return;
    auto work = [pool = pool_, conn = conn_.release()]() mutable {
      std::unique_ptr<SqliteConnection> owned(conn);
      try {
        if (owned->in_transaction()) owned->exec("ROLLBACK");
      } catch (...) {
        // Still returned: begin() rolls back any transaction left open before reuse.
      }
      pool->release(std::move(owned));
    };
    boost::asio::post(threads_, std::move(work));
  }

  awaitable<Result> query(std::string_view sql, Params params) override {
    SqliteConnection* conn = live();
    auto work = [conn, sql, &params]() { return conn->execute(sql, params); };
    co_return co_await run_blocking(threads_, std::move(work));
  }

  awaitable<void> commit() override { co_await finish("COMMIT"); }
  awaitable<void> rollback() override { co_await finish("ROLLBACK"); }
  Dialect dialect() const noexcept override { return Dialect::sqlite; }

 private:
  SqliteConnection* live() const {
    if (!conn_) throw DatabaseError("the transaction is already finished");
    return conn_.get();
  }

  awaitable<void> finish(const char* statement) {
    SqliteConnection* conn = live();
    auto work = [conn, statement, writes = writes_]() {
      try {
        // The in-memory database's write sessions are plain transactions (no group commit).
        if (writes && std::string_view(statement) == "COMMIT") index_pending_search(*conn);
        conn->exec(statement);
      } catch (...) {
        if (conn->in_transaction()) conn->exec("ROLLBACK");
        throw;
      }
      return NothingReturned{};
    };
    try {
      co_await run_blocking(threads_, std::move(work));
    } catch (...) {
      pool_->release(std::move(conn_));
      throw;
    }
    pool_->release(std::move(conn_));
  }

  Executor threads_;
  std::shared_ptr<SqlitePool> pool_;
  std::unique_ptr<SqliteConnection> conn_;
  bool writes_;
};

std::string memory_uri() {
  static std::atomic<int> counter{0};
  return "file:oms-memory-" + std::to_string(++counter) + "?mode=memory&cache=shared";
}

}  // namespace

SqliteDatabase::SqliteDatabase(boost::asio::any_io_executor io, const std::string& location, std::size_t readers,
                               std::chrono::milliseconds pool_wait) {
  const bool memory = location == ":memory:";
  std::string uri;
  if (memory) {
    uri = memory_uri();
  } else {
    std::filesystem::path path(location);
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
    uri = location;
  }
  writer_ = std::make_shared<SqlitePool>(io, 1, pool_wait);
  writer_->prefill(std::make_unique<SqliteConnection>(uri, true));
  if (memory) {
    readers_ = writer_;
  } else {
    readers_ = std::make_shared<SqlitePool>(io, readers, pool_wait);
    for (std::size_t i = 0; i < readers; ++i) readers_->prefill(std::make_unique<SqliteConnection>(uri, false));
    group_ = std::make_shared<GroupCommit>(threads_.get_executor(), writer_);
  }
}

SqliteDatabase::~SqliteDatabase() {
  threads_.join();  // lets pending rollbacks finish and return their connections
  close();
}

awaitable<std::unique_ptr<Session>> SqliteDatabase::begin(Access access) {
  if (access == Access::read_write && group_) co_return co_await group_->begin();
  if (access == Access::read_one) access = Access::read_only;
  auto& pool = access == Access::read_write ? writer_ : readers_;
  std::unique_ptr<SqliteConnection> conn = co_await pool->acquire();
  if (!conn) {  // SQLite connections are opened up front and never discarded
    pool->release(nullptr);
    throw DatabaseError("SQLite connection unavailable");
  }
  SqliteConnection* raw = conn.get();
  const char* statement = access == Access::read_write ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED";
  auto work = [raw, statement]() {
    if (raw->in_transaction()) raw->exec("ROLLBACK");
    raw->exec(statement);
    return NothingReturned{};
  };
  try {
    co_await run_blocking(threads_.get_executor(), std::move(work));
  } catch (...) {
    pool->release(std::move(conn));
    throw;
  }
  co_return std::make_unique<SqliteSession>(threads_.get_executor(), pool, std::move(conn),
                                            access == Access::read_write);
}

awaitable<std::string> SqliteDatabase::check() { co_return co_await check_with_deadline(*this); }

PoolStats SqliteDatabase::pool_stats() const {
  PoolStats stats = writer_->stats();
  if (readers_ != writer_) {
    PoolStats r = readers_->stats();
    stats.size += r.size;
    stats.in_use += r.in_use;
    stats.waiting += r.waiting;
  }
  return stats;
}

void SqliteDatabase::close() {
  writer_->close();
  readers_->close();
}

}  // namespace oms::storage::sqlite
