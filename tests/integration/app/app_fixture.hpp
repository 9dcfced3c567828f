#pragma once
// Fixture of the application integration tests: every case runs on a fresh SQLite file and on a
// fresh PostgreSQL database (OMS_TEST_POSTGRES_URL), migrated, seeded with the demo catalog, with
// a manual clock and the use cases driven on a real io_context.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "adapters/time_ordered_ids.hpp"
#include "app/services.hpp"
#include "domain/error.hpp"
#include "storage/database.hpp"
#include "support/fault_injection.hpp"

namespace oms::testing {

enum class Store { sqlite, postgres };
std::string store_name(const ::testing::TestParamInfo<Store>& info);

// Runs coroutines on a background io_context thread and waits for their result.
class Loop {
 public:
  Loop();
  ~Loop();
  boost::asio::io_context& io() { return io_; }
  template <class T>
  T run(boost::asio::awaitable<T> a) {
    return boost::asio::co_spawn(io_, std::move(a), boost::asio::use_future).get();
  }

 private:
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
  std::thread thread_;
};

domain::Principal principal(std::string id, domain::Role role);

class AppTest : public ::testing::TestWithParam<Store> {
 protected:
  void SetUp() override;
  void TearDown() override;
  // The cache the use cases read through (none by default); see cached_*_test.cpp.
  virtual cache::CacheAside* cache_aside() { return nullptr; }

  template <class T>
  T run(boost::asio::awaitable<T> a) {
    return loop_.run(std::move(a));
  }
  boost::asio::io_context& io() { return loop_.io(); }

  // Every write goes through `faulty_`, so a test can make the Nth query fail.
  storage::Database& raw_db() { return *db_; }
  storage::FaultInjectingDatabase& faults() { return *faulty_; }
  app::Services& svc() { return *services_; }
  domain::ManualClock& clock() { return clock_; }
  app::Ctx ctx(const domain::Principal& p) { return app::Ctx{p, "req-test"}; }

  // Runs one SQL statement in its own read-write transaction on the raw database.
  storage::Result exec(const std::string& sql, storage::Params params = {});
  std::int64_t count(const std::string& table);

  // Demo catalog lookups.
  std::string skill_id(const std::string& name);
  std::string customer_id(const std::string& name);

  app::CreateOpportunity sample_input(const std::string& title = "Core banking migration");
  domain::Opportunity create(const domain::Principal& who, const std::string& title = "Core banking migration");
  // Fills the problem statement, a MUST_HAVE requirement and a timeline, so it may be submitted.
  domain::Opportunity complete(const domain::Principal& who, const std::string& id);
  static std::string long_text();

  domain::Principal sm1_ = principal("sm-1", domain::Role::sales_manager);
  domain::Principal sm2_ = principal("sm-2", domain::Role::sales_manager);
  domain::Principal admin_ = principal("admin-1", domain::Role::admin);
  domain::Principal sa_ = principal("sa-1", domain::Role::solution_architect);
  domain::Principal service_ = principal("svc-matching", domain::Role::service);

 private:
  Loop loop_;
  domain::ManualClock clock_{domain::Timestamp{std::chrono::sys_days{std::chrono::year{2026} / 3 / 2}} +
                             std::chrono::hours(9)};
  adapters::TimeOrderedIdGenerator ids_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<storage::FaultInjectingDatabase> faulty_;
  std::unique_ptr<app::Services> services_;
  std::string sqlite_path_;
  std::string pg_admin_url_;
  std::string pg_database_;
};

// Expects `f` to throw DomainError with `code`; returns it for further checks.
template <class F>
domain::DomainError expect_error(domain::ErrorCode code, F&& f) {
  try {
    f();
  } catch (const domain::DomainError& e) {
    EXPECT_EQ(domain::error_code_name(e.code()), domain::error_code_name(code)) << e.detail();
    return e;
  }
  ADD_FAILURE() << "expected " << domain::error_code_name(code) << ", nothing was thrown";
  return domain::DomainError(domain::ErrorCode::internal, "not thrown");
}

bool has_field_error(const domain::DomainError& e, const std::string& field);

}  // namespace oms::testing
