#pragma once
// The SQLite adapter: one writer connection (read-write sessions, group-committed: see
// group_commit.hpp) and a pool of reader connections (read-only sessions, BEGIN DEFERRED) over a
// WAL database. Every sqlite3
// call runs on a small dedicated thread pool; coroutines wait without blocking their thread.
// An in-memory database (sqlite::memory:) has a single shared-cache connection serving both
// kinds of session, since shared-cache readers would fail with SQLITE_LOCKED instead of waiting.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/thread_pool.hpp>
#include <memory>
#include <string>

#include "storage/connection_pool.hpp"
#include "storage/database.hpp"
#include "storage/sqlite/group_commit.hpp"
#include "storage/sqlite/sqlite_connection.hpp"

namespace oms::storage::sqlite {

using SqlitePool = ConnectionPool<SqliteConnection>;

class SqliteDatabase final : public Database {
 public:
  // `location` is a file path or ":memory:". Opens every connection now (creating the file and
  // its parent directories if needed).
  // `pool_wait` bounds the wait for a connection (0: unbounded).
  SqliteDatabase(boost::asio::any_io_executor io, const std::string& location, std::size_t readers,
                 std::chrono::milliseconds pool_wait = std::chrono::milliseconds(0));
  ~SqliteDatabase() override;

  awaitable<std::unique_ptr<Session>> begin(Access access) override;
  Dialect dialect() const noexcept override { return Dialect::sqlite; }
  awaitable<std::string> check() override;
  PoolStats pool_stats() const override;
  void close() override;

 private:
  boost::asio::thread_pool threads_{2};
  std::shared_ptr<SqlitePool> writer_;
  std::shared_ptr<SqlitePool> readers_;  // == writer_ for an in-memory database
  std::shared_ptr<GroupCommit> group_;   // read-write sessions of a file database (null in memory)
};

}  // namespace oms::storage::sqlite
