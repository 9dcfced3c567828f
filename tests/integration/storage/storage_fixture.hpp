#pragma once
// Shared fixture of the storage integration tests: every case runs against a real SQLite file
// and a real PostgreSQL (OMS_TEST_POSTGRES_URL; the PostgreSQL cases fail when it is unset).
// Each PostgreSQL case works in a schema of its own, dropped afterwards. Through PgBouncer in
// transaction mode (OMS_TEST_POSTGRES_POOLED=1, set by scripts/test.sh for its PgBouncer pass),
// which cannot pass a search_path in the startup packet, each case gets a database of its own
// instead, and sessions use unnamed statements.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "storage/database.hpp"
#include "storage/open.hpp"

// ASSERT_* cannot be used inside a coroutine (it expands to `return`).
#define CO_ASSERT_TRUE(condition)             \
  do {                                        \
    const bool co_assert_ok_ = (condition);   \
    EXPECT_TRUE(co_assert_ok_) << #condition; \
    if (!co_assert_ok_) co_return;            \
  } while (0)

namespace oms::storage::testing {

std::string unique_name(std::string_view prefix);
// The PostgreSQL URL of the test server, or "" (and a recorded failure) when it is not set.
std::string postgres_url_or_fail();
// True when OMS_TEST_POSTGRES_URL is PgBouncer in transaction mode (OMS_TEST_POSTGRES_POOLED=1).
bool postgres_pooled();
// postgresql://user@host:port/db?x -> the same URL naming database `name`.
std::string with_database(const std::string& url, const std::string& name);
// Runs `sql` outside a transaction (CREATE/ALTER/DROP DATABASE) with plain libpq; throws on failure.
void postgres_admin(const std::string& url, const std::string& sql);
// `url` with search_path set to `schema`.
std::string with_search_path(const std::string& url, const std::string& schema);
domain::Timestamp make_timestamp(int y, unsigned m, unsigned d, int hh, int mm, int ss, int micros);

// An io_context run by two threads for the whole test.
class IoThreads {
 public:
  IoThreads();
  ~IoThreads();
  boost::asio::io_context& io() { return io_; }
  // Runs a coroutine made by `make()` on the io threads and waits for its outcome.
  template <class F>
  auto run(F& make) {
    return boost::asio::co_spawn(io_, make(), boost::asio::use_future).get();
  }

 private:
  boost::asio::io_context io_{2};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
  std::vector<std::thread> threads_;
};

// A database of the parameter's engine ("sqlite" or "postgres"), isolated for this test.
class StorageTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override;
  void TearDown() override;
  bool postgres() const { return GetParam() == "postgres"; }
  // Opens (another) Database on this test's storage with the given options (url filled in).
  std::unique_ptr<Database> open(DatabaseOptions options = {});
  // Dialect-specific SQL.
  const char* pick(const char* sqlite_sql, const char* postgres_sql) const {
    return postgres() ? postgres_sql : sqlite_sql;
  }
  template <class F>
  auto run(F& make) {
    return io_.run(make);
  }

  IoThreads io_;
  std::string url_;       // this test's database URL
  std::string schema_;    // PostgreSQL only
  std::string database_;  // PostgreSQL through PgBouncer only
  std::string file_;      // SQLite only
  std::string admin_url_;
};

std::string engine_name(const ::testing::TestParamInfo<std::string>& info);

}  // namespace oms::storage::testing
