// The in-process tier in front of a real redis-server, two tiers standing for two processes: a
// value is served from the local tier, a delete through one tier is applied in the other before
// it returns, a write during a read's local put leaves no older value, and a tier whose
// subscription is gone (Redis stopped) no longer answers.
#include "cache/tiered_cache.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "cache/cache_aside.hpp"
#include "cache/redis_cache.hpp"
#include "cache/redis_options.hpp"
#include "redis_server.hpp"

namespace oms::cache {
namespace {
using namespace std::chrono_literals;
using oms::testing::IoThreads;
using oms::testing::RedisServer;

class TieredCacheTest : public ::testing::Test {
 protected:
  TieredCacheTest()
      : options_(parse_redis_url(server_.url(), std::nullopt)),
        remote_(loop_.io().get_executor(), options_),
        a_(loop_.io().get_executor(), remote_, options_, 1u << 20, CacheAside::is_value),
        b_(loop_.io().get_executor(), remote_, options_, 1u << 20, CacheAside::is_value) {}

  // Bounded: the subscription answers its first PING within a few round trips.
  static bool wait_until(const std::function<bool()>& condition) {
    for (int i = 0; i < 200; ++i) {
      if (condition()) return true;
      std::this_thread::sleep_for(25ms);
    }
    return false;
  }
  std::optional<std::string> get(TieredCache& tier, std::string key) { return loop_.run(tier.get(std::move(key))); }
  void set_behind(std::string key, std::string value) { loop_.run(remote_.set(std::move(key), std::move(value), 60s)); }

  RedisServer server_;
  IoThreads loop_;
  RedisOptions options_;
  RedisCache remote_;
  TieredCache a_;
  TieredCache b_;
};

TEST_F(TieredCacheTest, ADeleteThroughOneTierIsAppliedInTheOtherBeforeItReturns) {
  ASSERT_TRUE(wait_until([&] { return a_.trusted() && b_.trusted(); }));
  set_behind("opportunity:1", "v-one");
  EXPECT_EQ(get(b_, "opportunity:1"), "v-one");  // from Redis, kept locally
  set_behind("opportunity:1", "v-two");          // behind the tier's back
  EXPECT_EQ(get(b_, "opportunity:1"), "v-one");  // the local tier answers
  EXPECT_EQ(b_.local_hits(), 1u);
  loop_.run(a_.del("opportunity:1"));  // another process's write
  EXPECT_EQ(get(b_, "opportunity:1"), std::nullopt);

  // get_many: the tier's hits, then Redis for the rest in one batch (and keeps those locally).
  set_behind("opportunity:4", "v-four");
  set_behind("opportunity:5", "v-five");
  EXPECT_EQ(get(b_, "opportunity:4"), "v-four");  // now in b's tier
  set_behind("opportunity:4", "v-four-later");    // behind the tier's back again
  const auto hits_before = b_.local_hits();
  using Values = std::vector<std::optional<std::string>>;
  EXPECT_EQ(loop_.run(b_.get_many({"opportunity:4", "opportunity:5", "opportunity:6"})),
            (Values{"v-four", "v-five", std::nullopt}));
  EXPECT_EQ(b_.local_hits(), hits_before + 1);
  set_behind("opportunity:5", "v-five-later");
  EXPECT_EQ(get(b_, "opportunity:5"), "v-five");  // kept by the get_many
  EXPECT_EQ(b_.local_hits(), hits_before + 2);

  // Lease markers are never kept locally.
  set_behind("user:7", "l-lease");
  EXPECT_EQ(get(b_, "user:7"), "l-lease");
  set_behind("user:7", "v-seven");
  EXPECT_EQ(get(b_, "user:7"), "v-seven");
}

// Another process's write lands while a read is between its epoch check and its local put (here:
// while `keep` looks at the value it read): the value the write replaced must not stay in the tier.
TEST_F(TieredCacheTest, AWriteBetweenAReadsCheckAndItsLocalPutLeavesNoOlderValue) {
  std::atomic<bool> raced{false};
  // Its own connections: `keep` runs inside the strand of the connection that read the value.
  RedisCache remote(loop_.io().get_executor(), options_);
  TieredCache c(loop_.io().get_executor(), remote, options_, 1u << 20, [&](const std::string& value) {
    // Blocks this I/O thread until every tier has dropped the key; the other one runs the delete.
    if (value == "v-old" && !raced.exchange(true)) loop_.run(a_.del("opportunity:9"));
    return CacheAside::is_value(value);
  });
  ASSERT_TRUE(wait_until([&] { return a_.trusted() && c.trusted(); }));
  set_behind("opportunity:9", "v-old");
  EXPECT_EQ(get(c, "opportunity:9"), "v-old");  // its read began before the write
  ASSERT_TRUE(raced.load());
  EXPECT_EQ(get(c, "opportunity:9"), std::nullopt);  // Redis's answer after the write, not the tier's
  EXPECT_EQ(c.local_hits(), 0u);
}

TEST_F(TieredCacheTest, WithoutItsSubscriptionATierNoLongerAnswers) {
  ASSERT_TRUE(wait_until([&] { return b_.trusted(); }));
  set_behind("skills_catalog", "v-catalog");
  EXPECT_EQ(get(b_, "skills_catalog"), "v-catalog");
  server_.stop();
  ASSERT_TRUE(wait_until([&] { return !b_.trusted(); }));
  EXPECT_THROW(get(b_, "skills_catalog"), CacheError);  // not the local copy: Redis is asked (and fails)
  // Returns (after the fence) with Redis's error; GuardedCache above it makes that a no-op.
  EXPECT_THROW(loop_.run(a_.del("skills_catalog")), CacheError);
  server_.start();
  ASSERT_TRUE(wait_until([&] { return b_.trusted(); }));  // resubscribed without a restart
  EXPECT_EQ(get(b_, "skills_catalog"), std::nullopt);     // a restarted Redis holds nothing
}

}  // namespace
}  // namespace oms::cache
