// Redis failing is invisible: a stopped or paused (slow) real redis-server turns calls into
// misses, one log line per state change, and the cache comes back without a restart.
#include "cache/guarded_cache.hpp"

#include <gtest/gtest.h>

#include <mutex>
#include <thread>

#include "cache/redis_cache.hpp"
#include "redis_server.hpp"

namespace oms::testing {
namespace {
using namespace std::chrono_literals;

class GuardedRedis : public ::testing::Test {
 protected:
  GuardedRedis()
      : redis_(loop_.io().get_executor(), cache::parse_redis_url(server_.url(), std::nullopt)),
        guarded_(
            redis_, "test", [this](const std::string& m) { log("down", m); },
            [this](const std::string& m) { log("up", m); }) {}

  void log(const std::string& kind, const std::string& message) {
    std::lock_guard lock(mu_);
    lines_.push_back(kind + ": " + message);
  }
  std::size_t lines_of(const std::string& kind) {
    std::lock_guard lock(mu_);
    std::size_t n = 0;
    for (const auto& l : lines_) n += l.rfind(kind + ":", 0) == 0;
    return n;
  }
  std::optional<std::string> get(std::string key) { return loop_.run(guarded_.get(std::move(key))); }
  void set(std::string key, std::string value) { loop_.run(guarded_.set(std::move(key), std::move(value), 60s)); }
  // Calls until the guard reports up again: bounded (at most 100 tries, 10 s).
  bool wait_until_up() {
    for (int i = 0; i < 100; ++i) {
      get("user:probe");
      if (guarded_.state() == "up") return true;
      std::this_thread::sleep_for(100ms);
    }
    return false;
  }

  RedisServer server_;
  IoThreads loop_;
  cache::RedisCache redis_;
  cache::GuardedCache guarded_;
  std::mutex mu_;
  std::vector<std::string> lines_;
};

TEST_F(GuardedRedis, StoppedRedisIsAMissThenRecoversWithoutRestart) {
  set("opportunity:1", "v1");
  EXPECT_EQ(get("opportunity:1"), "v1");
  EXPECT_EQ(guarded_.state(), "up");

  server_.stop();
  for (int i = 0; i < 20; ++i) {  // every call answers, none throws
    EXPECT_EQ(get("opportunity:1"), std::nullopt);
    set("opportunity:1", "v2");
  }
  EXPECT_EQ(guarded_.state(), "down");
  EXPECT_EQ(lines_of("down"), 1u);
  EXPECT_EQ(lines_of("up"), 0u);
  auto stats = guarded_.stats();
  EXPECT_FALSE(stats.up);
  EXPECT_GE(stats.families[static_cast<std::size_t>(cache::Family::opportunity)].errors, 1u);

  server_.start();
  ASSERT_TRUE(wait_until_up());
  EXPECT_EQ(lines_of("down"), 1u);
  EXPECT_EQ(lines_of("up"), 1u);
  set("opportunity:1", "v3");
  EXPECT_EQ(get("opportunity:1"), "v3");
  EXPECT_GE(guarded_.stats().families[static_cast<std::size_t>(cache::Family::opportunity)].hits, 2u);
}

// get_many: one failure makes every key an error and a miss (and the cache down once); each key is
// counted in its family, hits and misses alike.
TEST_F(GuardedRedis, GetManyCountsEachKeyAndTurnsAFailureIntoMisses) {
  set("opportunity:3", "o");
  set("user:3", "u");
  using Values = std::vector<std::optional<std::string>>;
  EXPECT_EQ(loop_.run(guarded_.get_many({"opportunity:3", "user:3", "problem_statement:3"})),
            (Values{"o", "u", std::nullopt}));
  auto stats = guarded_.stats();
  EXPECT_EQ(stats.families[static_cast<std::size_t>(cache::Family::opportunity)].hits, 1u);
  EXPECT_EQ(stats.families[static_cast<std::size_t>(cache::Family::user)].hits, 1u);
  EXPECT_EQ(stats.families[static_cast<std::size_t>(cache::Family::problem_statement)].misses, 1u);
  EXPECT_EQ(stats.families[static_cast<std::size_t>(cache::Family::user)].gets, 1u);

  server_.stop();
  EXPECT_EQ(loop_.run(guarded_.get_many({"opportunity:3", "user:3"})), (Values{std::nullopt, std::nullopt}));
  EXPECT_EQ(guarded_.state(), "down");
  EXPECT_EQ(loop_.run(guarded_.get_many({"opportunity:3"})), (Values{std::nullopt}));  // skipped while down
  stats = guarded_.stats();
  EXPECT_EQ(stats.families[static_cast<std::size_t>(cache::Family::opportunity)].misses, 2u);
  EXPECT_EQ(stats.families[static_cast<std::size_t>(cache::Family::user)].misses, 1u);
  EXPECT_EQ(stats.families[static_cast<std::size_t>(cache::Family::opportunity)].errors, 1u);
  EXPECT_EQ(stats.families[static_cast<std::size_t>(cache::Family::user)].errors, 1u);
  EXPECT_EQ(lines_of("down"), 1u);
}

TEST_F(GuardedRedis, SlowRedisTimesOutAndALostDeleteIsDoneOnRecovery) {
  set("opportunity:2", "old");
  EXPECT_NE(server_.cli("CLIENT PAUSE 1500 ALL").find("OK"), std::string::npos);
  EXPECT_EQ(get("opportunity:2"), std::nullopt);  // past the 250 ms timeout
  EXPECT_EQ(guarded_.state(), "down");
  loop_.run(guarded_.del("opportunity:2"));  // an invalidation while down: remembered
  ASSERT_TRUE(wait_until_up());
  EXPECT_EQ(server_.cli("EXISTS opportunity:2").find('0'), 0u);  // the remembered delete was done
  EXPECT_EQ(get("opportunity:2"), std::nullopt);
  EXPECT_EQ(lines_of("down"), 1u);
  EXPECT_EQ(lines_of("up"), 1u);
}

TEST_F(GuardedRedis, ConcurrentCallersNeverFailWhileRedisStopsAndStarts) {
  std::atomic<int> answered{0};
  std::atomic<bool> done{false};
  constexpr int k_callers = 3;
  std::vector<std::thread> callers;
  callers.reserve(k_callers);
  for (int t = 0; t < k_callers; ++t)
    callers.emplace_back([&, t] {
      for (int i = 0; i < 2000 && !done; ++i) {  // bounded in count
        try {
          set("user:" + std::to_string(t), "x");
          get("user:" + std::to_string(t));
          ++answered;
        } catch (...) {
          ADD_FAILURE() << "a cache call threw";
        }
      }
    });
  std::this_thread::sleep_for(200ms);
  server_.stop();
  std::this_thread::sleep_for(300ms);
  server_.start();
  EXPECT_TRUE(wait_until_up());
  done = true;
  for (auto& c : callers) c.join();
  EXPECT_GT(answered.load(), 0);
  EXPECT_EQ(lines_of("down"), 1u);
  EXPECT_EQ(lines_of("up"), 1u);
}

}  // namespace
}  // namespace oms::testing
