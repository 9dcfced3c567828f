// Read-your-writes on a real streaming replica whose replay is held back
// (recovery_min_apply_delay): the test starts its own primary and replica (scripts/pg.sh).
// A read right after a write — by the same Database or by another one, as another process
// would — sees the write; once the replica has replayed it, reads go to the replica; with the
// replica stopped, reads go to the primary.
#include <gmock/gmock.h>

#include <boost/asio/steady_timer.hpp>
#include <cstdlib>
#include <filesystem>

#include "storage/postgres/pg_database.hpp"
#include "storage/postgres/replica_fence.hpp"
#include "storage_fixture.hpp"
#include "support/free_port.hpp"

namespace oms::storage::testing {
namespace {

using boost::asio::awaitable;
using oms::testing::free_port;
using postgres::FencedReplicaDatabase;

// From CMake: __FILE__ is relative to the build directory under ccache's base_dir.
const std::filesystem::path k_root = OMS_SOURCE_DIR;
// Long enough that the reads right after a write happen before the replica replays it, and
// longer than the fence waits (so they go to the primary).
constexpr const char* k_long_replay_delay = "4s";

std::string shell(const std::string& command) {
  std::string out;
  FILE* p = ::popen(command.c_str(), "r");
  if (p == nullptr) throw std::runtime_error("cannot run " + command);
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, p) != nullptr) out += buffer;
  if (::pclose(p) != 0) throw std::runtime_error(command + " failed: " + out);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out.substr(out.rfind('\n') == std::string::npos ? 0 : out.rfind('\n') + 1);
}

class ReplicaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Short: PostgreSQL's unix socket path (in this directory) must fit in 107 bytes.
    char pattern[] = "/tmp/oms-replica.XXXXXX";
    if (::mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
    const std::string pg = "bash " + (k_root / "scripts" / "pg.sh").string() + " ";
    primary_port_ = free_port();
    primary_url_ = shell(pg + "start " + (dir_ / "primary").string() + " " + std::to_string(primary_port_) + " 2>&1");
  }
  void start_replica(const std::string& replay_delay) {
    const std::string pg = "bash " + (k_root / "scripts" / "pg.sh").string() + " ";
    replica_url_ = shell(pg + "replica " + (dir_ / "replica").string() + " " + std::to_string(free_port()) + " " +
                         std::to_string(primary_port_) + " " + replay_delay + " 2>&1");
  }
  void TearDown() override {
    const std::string pg = "bash " + (k_root / "scripts" / "pg.sh").string() + " stop ";
    std::system((pg + (dir_ / "replica").string() + " >/dev/null 2>&1").c_str());
    std::system((pg + (dir_ / "primary").string() + " >/dev/null 2>&1").c_str());
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  std::unique_ptr<Database> open(const std::string& url, std::optional<std::string> replica) {
    DatabaseOptions options;
    options.url = url;
    options.replica_url = std::move(replica);
    return open_database(io_.io().get_executor(), options);
  }
  template <class F>
  auto run(F& make) {
    return io_.run(make);
  }

  IoThreads io_;
  std::filesystem::path dir_;
  int primary_port_ = 0;
  std::string primary_url_;
  std::string replica_url_;
};

awaitable<void> write(Database& db, std::string sql) {
  auto s = co_await db.begin(Access::read_write);
  co_await s->query(sql);
  co_await s->commit();
}

awaitable<std::vector<std::string>> read_twice(Database& db, std::string sql) {
  auto s = co_await db.begin(Access::read_only);
  std::vector<std::string> seen;
  for (int i = 0; i < 2; ++i) {
    Result r = co_await s->query(sql);
    seen.push_back(r.empty() ? std::string("(none)") : r.rows.at(0).str(0));
  }
  co_await s->commit();
  co_return seen;
}

awaitable<std::string> read(Database& db, std::string sql) {
  auto s = co_await db.begin(Access::read_only);
  Result r = co_await s->query(sql);
  co_await s->commit();
  co_return r.empty() ? std::string("(none)") : r.rows.at(0).str(0);
}

TEST_F(ReplicaTest, ReadsAfterAWriteNeverSeeAnOlderVersionAndGoToTheReplicaOnceItCaughtUp) {
  start_replica(k_long_replay_delay);
  auto a = open(primary_url_, replica_url_);  // two processes' worth of fenced databases
  auto b = open(primary_url_, replica_url_);
  auto replica_only = open(replica_url_, std::nullopt);
  const auto& counters = dynamic_cast<FencedReplicaDatabase&>(*a).counters();

  auto body = [&]() -> awaitable<std::vector<std::string>> {
    std::vector<std::string> seen;
    co_await write(*a, "CREATE TABLE versions (id INT PRIMARY KEY, version INT); INSERT INTO versions VALUES (1, 1)");
    for (int v = 2; v <= 4; ++v) {
      co_await write(*a, "UPDATE versions SET version = " + std::to_string(v) + " WHERE id = 1");
      seen.push_back(co_await read(*a, "SELECT version FROM versions WHERE id = 1"));
      seen.push_back(co_await read(*b, "SELECT version FROM versions WHERE id = 1"));
    }
    // The replica itself is behind: what a read without the fence would have returned.
    seen.push_back(co_await read(*replica_only, "SELECT to_regclass('versions') IS NOT NULL"));
    co_return seen;
  };
  EXPECT_THAT(run(body), ::testing::ElementsAre("2", "2", "3", "3", "4", "4", "f"));
  EXPECT_GE(counters.primary_lagging.load(), 3u);
  EXPECT_EQ(counters.replica.load(), 0u);

  // Once the replica has replayed (bounded wait: 30 s), the same reads are served by it.
  auto caught_up = [&]() -> awaitable<bool> {
    for (int i = 0; i < 300; ++i) {
      const std::string exists = co_await read(*replica_only, "SELECT to_regclass('versions') IS NOT NULL");
      if (exists == "t") {
        const std::string version = co_await read(*replica_only, "SELECT version FROM versions WHERE id = 1");
        if (version == "4") co_return true;
      }
      auto ex = co_await boost::asio::this_coro::executor;
      boost::asio::steady_timer t(ex, std::chrono::milliseconds(100));
      co_await t.async_wait(boost::asio::use_awaitable);
    }
    co_return false;
  };
  ASSERT_TRUE(run(caught_up));
  auto again = [&]() { return read(*a, "SELECT version FROM versions WHERE id = 1"); };
  EXPECT_EQ(run(again), "4");
  EXPECT_EQ(counters.replica.load(), 1u);
  EXPECT_THAT(postgres::render_replica_metrics(*a),
              ::testing::HasSubstr("db_replica_reads_total{served_by=\"replica\"} 1\n"));

  // The replica stops: reads go to the primary.
  replica_only->close();
  std::system(("bash " + (k_root / "scripts" / "pg.sh").string() + " stop " + (dir_ / "replica").string()).c_str());
  auto after_stop = [&]() -> awaitable<std::vector<std::string>> {
    constexpr int k_reads = 3;
    std::vector<std::string> seen;
    seen.reserve(k_reads);
    co_await write(*a, "UPDATE versions SET version = 5 WHERE id = 1");
    for (int i = 0; i < k_reads; ++i) seen.push_back(co_await read(*b, "SELECT version FROM versions WHERE id = 1"));
    co_return seen;
  };
  EXPECT_THAT(run(after_stop), ::testing::ElementsAre("5", "5", "5"));
  EXPECT_GE(dynamic_cast<FencedReplicaDatabase&>(*b).counters().primary_unavailable.load(), 3u);
  a->close();
  b->close();
}

// The fence's waiting path: the replica replays each write 300 ms late and the fence waits up
// to 10 s, so every read below waits for the replica and is served by it — and the session it
// gets (one snapshot, as every read-only session) must include the write it waited for.
TEST_F(ReplicaTest, AReadThatWaitedForTheReplicaSeesTheWriteItWaitedFor) {
  start_replica("300ms");
  auto pg = [this](const std::string& url) {
    postgres::PgSettings settings;
    settings.url = url;
    return std::make_shared<postgres::PgDatabase>(io_.io().get_executor(), settings, 2);
  };
  FencedReplicaDatabase fenced(pg(primary_url_), pg(replica_url_), std::chrono::seconds(10));
  auto body = [&]() -> awaitable<std::vector<std::string>> {
    std::vector<std::string> seen;
    co_await write(fenced,
                   "CREATE TABLE versions (id INT PRIMARY KEY, version INT); INSERT INTO versions VALUES (1, 1)");
    for (int v = 2; v <= 4; ++v) {
      co_await write(fenced, "UPDATE versions SET version = " + std::to_string(v) + " WHERE id = 1");
      std::vector<std::string> versions = co_await read_twice(fenced, "SELECT version FROM versions WHERE id = 1");
      seen.insert(seen.end(), versions.begin(), versions.end());
    }
    co_return seen;
  };
  EXPECT_THAT(run(body), ::testing::ElementsAre("2", "2", "3", "3", "4", "4"));
  EXPECT_EQ(fenced.counters().replica.load(), 3u);
  EXPECT_EQ(fenced.counters().primary_lagging.load(), 0u);
  fenced.close();
}

}  // namespace
}  // namespace oms::storage::testing
