// memory:// specifics: the size bound and least-recently-used eviction.
#include "cache/memory_cache.hpp"

#include <gtest/gtest.h>

#include "redis_server.hpp"

namespace oms::testing {
namespace {
using namespace std::chrono_literals;

TEST(MemoryCache, StaysWithinItsByteBoundEvictingTheLeastRecentlyUsed) {
  IoThreads loop;
  cache::MemoryCache c(10 * 1024);
  const std::string value(900, 'x');
  loop.run(c.set("keep", value, 60s));
  for (int i = 0; i < 40; ++i) {
    loop.run(c.set("k" + std::to_string(i), value, 60s));
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
