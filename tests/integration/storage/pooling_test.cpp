// What must hold behind PgBouncer in transaction mode (scripts/test.sh runs this suite once
// through it): a transaction may land on any server connection, so nothing a session sets may
// be needed later, and nothing a transaction sets may reach the next one.
#include <gmock/gmock.h>

#include "storage_fixture.hpp"

namespace oms::storage::testing {
namespace {

using boost::asio::awaitable;

class PoolingTest : public StorageTest {
 protected:
  // A database of its own whose server-side defaults are not ours, so a server connection that
  // missed our settings shows.
  void SetUp() override {
    StorageTest::SetUp();
    if (HasFatalFailure()) return;
    own_ = unique_name("p");
    postgres_admin(admin_url_, "CREATE DATABASE " + own_);
    postgres_admin(admin_url_, "ALTER DATABASE " + own_ + " SET TimeZone = 'America/New_York'");
    postgres_admin(admin_url_, "ALTER DATABASE " + own_ + " SET DateStyle = 'SQL, DMY'");
  }
  void TearDown() override {
    if (!own_.empty()) postgres_admin(admin_url_, "DROP DATABASE IF EXISTS " + own_ + " WITH (FORCE)");
    StorageTest::TearDown();
  }
  std::unique_ptr<Database> open_own(std::size_t pool_size) {
    DatabaseOptions options;
    options.url = with_database(admin_url_, own_);
    options.pool_size = pool_size;
    if (postgres_pooled()) options.prepared_statements = false;
    return open_database(io_.io().get_executor(), options);
  }
  std::string own_;
};

awaitable<std::vector<std::string>> settings_seen(Database& db, int i) {
  auto s = co_await db.begin(i % 2 == 0 ? Access::read_write : Access::read_only);
  Params p{static_cast<std::int64_t>(i)};
  Result r = co_await s->query(
      "SELECT current_setting('TimeZone'), current_setting('DateStyle'), "
      "to_char(timestamptz '2026-01-02 03:04:05+00', 'HH24'), $1::bigint",
      std::move(p));
  co_await s->commit();
  co_return std::vector<std::string>{r.rows.at(0).str(0), r.rows.at(0).str(1), r.rows.at(0).str(2)};
}

TEST_P(PoolingTest, EveryTransactionSeesUtcAndIsoWhateverServerConnectionItGets) {
  auto db = open_own(8);
  auto body = [&]() -> awaitable<std::vector<std::vector<std::string>>> {
    constexpr int k_transactions = 40;
    std::vector<std::vector<std::string>> seen;
    seen.reserve(k_transactions);
    for (int i = 0; i < k_transactions; ++i) seen.push_back(co_await settings_seen(*db, i));
    co_return seen;
  };
  for (const auto& s : run(body)) EXPECT_THAT(s, ::testing::ElementsAre("UTC", "ISO, DMY", "03"));
  db->close();
}

TEST_P(PoolingTest, TransactionLocalSettingsAndAdvisoryLocksEndWithTheTransaction) {
  auto db = open_own(2);
  auto body = [&]() -> awaitable<std::vector<std::string>> {
    std::vector<std::string> out;
    {
      auto s = co_await db->begin(Access::read_write);
      co_await s->query("SET LOCAL statement_timeout = '1234ms'");
      Params key{std::int64_t{4242}};
      co_await s->query("SELECT pg_advisory_xact_lock($1)", std::move(key));
      co_await s->commit();
    }
    for (int i = 0; i < 6; ++i) {
      auto s = co_await db->begin(Access::read_write);
      Params key{std::int64_t{4242}};
      Result r = co_await s->query("SELECT current_setting('statement_timeout'), pg_try_advisory_xact_lock($1)",
                                   std::move(key));
      co_await s->commit();
      out.push_back(r.rows.at(0).str(0) + " " + r.rows.at(0).str(1));
    }
    co_return out;
  };
  for (const auto& s : run(body)) EXPECT_EQ(s, "0 t");
  db->close();
}

INSTANTIATE_TEST_SUITE_P(Engines, PoolingTest, ::testing::Values("postgres"), engine_name);

}  // namespace
}  // namespace oms::storage::testing
