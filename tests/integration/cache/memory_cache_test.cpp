// memory:// specifics: the size bound and least-recently-used eviction.
#include "cache/memory_cache.hpp"

#include <gtest/gtest.h>

#include "cache/guarded_cache.hpp"
#include "cache/prometheus.hpp"
#include "redis_server.hpp"
#include "support/numbered.hpp"

namespace oms::testing {
namespace {
using namespace std::chrono_literals;

TEST(MemoryCache, StaysWithinItsByteBoundEvictingTheLeastRecentlyUsed) {
  IoThreads loop;
  cache::MemoryCache c(10 * 1024);
  const std::string value(900, 'x');
  loop.run(c.set("keep", value, 60s));
  for (int i = 0; i < 40; ++i) {
    loop.run(c.set(oms::testing::numbered("k", i), value, 60s));
    EXPECT_TRUE(loop.run(c.get("keep")));  // used, so never the eviction victim
    EXPECT_LE(c.bytes(), 10u * 1024);
  }
  EXPECT_EQ(loop.run(c.get("k0")), std::nullopt);
  EXPECT_EQ(loop.run(c.get("k39")), value);
  EXPECT_LT(c.size(), 12u);
}

TEST(MemoryCache, AValueLargerThanTheBoundIsNotStored) {
  IoThreads loop;
  cache::MemoryCache c(1024);
  loop.run(c.set("big", std::string(4096, 'x'), 60s));
  EXPECT_EQ(loop.run(c.get("big")), std::nullopt);
  EXPECT_EQ(c.bytes(), 0u);
}

}  // namespace
}  // namespace oms::testing

namespace oms::testing {
namespace {
using namespace std::chrono_literals;

TEST(CacheMetrics, CountsHitsMissesAndLatencyPerKeyFamily) {
  IoThreads loop;
  cache::MemoryCache memory;
  cache::GuardedCache guarded(memory, "memory", nullptr, nullptr);
  loop.run(guarded.set("opportunity:1", "v", 60s));
  loop.run(guarded.get("opportunity:1"));
  loop.run(guarded.get("opportunity:2"));
  loop.run(guarded.get("user:1"));
  const std::string text = cache::render_prometheus(guarded.stats());
  EXPECT_NE(text.find("cache_requests_total{family=\"opportunity\",result=\"hit\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("cache_requests_total{family=\"opportunity\",result=\"miss\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("cache_requests_total{family=\"user\",result=\"miss\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("cache_get_duration_seconds_count{family=\"opportunity\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("cache_up 1\n"), std::string::npos);
  EXPECT_EQ(guarded.state(), "up");
}

}  // namespace
}  // namespace oms::testing
