#include "http/rate_limit.hpp"

#include <gtest/gtest.h>

namespace oms::http {
namespace {

using namespace std::chrono_literals;
const RateLimiter::Clock::time_point t0{};

TEST(RateLimiter, BurstThenRefusal) {
  RateLimiter limiter(2.0, 3.0);
  for (int i = 0; i < 3; ++i) {
    auto d = limiter.take("a", t0);
    EXPECT_TRUE(d.allowed) << i;
    EXPECT_EQ(d.limit, 3);
    EXPECT_EQ(d.remaining, 2 - i);
  }
  auto refused = limiter.take("a", t0);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.remaining, 0);
  EXPECT_EQ(refused.retry_after, 1);  // one token takes 0.5 s at 2/s: rounded up to 1 s
  EXPECT_EQ(refused.reset, 2);        // 3 tokens at 2/s: 1.5 s, rounded up
}

TEST(RateLimiter, RefillsWithTime) {
  RateLimiter limiter(1.0, 2.0);
  EXPECT_TRUE(limiter.take("a", t0).allowed);
  EXPECT_TRUE(limiter.take("a", t0).allowed);
  EXPECT_FALSE(limiter.take("a", t0 + 500ms).allowed);
  EXPECT_TRUE(limiter.take("a", t0 + 1000ms).allowed);  // one token back after a second
  EXPECT_FALSE(limiter.take("a", t0 + 1000ms).allowed);
  auto later = limiter.take("a", t0 + 100s);  // never more than the burst
  EXPECT_TRUE(later.allowed);
  EXPECT_EQ(later.remaining, 1);
}

TEST(RateLimiter, RetryAfterCoversTheWait) {
  RateLimiter limiter(0.25, 1.0);  // one request every 4 s
  EXPECT_TRUE(limiter.take("a", t0).allowed);
  auto d = limiter.take("a", t0 + 1s);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after, 3);
  EXPECT_FALSE(limiter.take("a", t0 + 3900ms).allowed);
  EXPECT_TRUE(limiter.take("a", t0 + 4s).allowed);
}

TEST(RateLimiter, KeysAreIndependent) {
  RateLimiter limiter(1.0, 1.0);
  EXPECT_TRUE(limiter.take("user:a", t0).allowed);
  EXPECT_FALSE(limiter.take("user:a", t0).allowed);
  EXPECT_TRUE(limiter.take("user:b", t0).allowed);
  EXPECT_TRUE(limiter.take("ip:127.0.0.1", t0).allowed);
}

TEST(RateLimiter, ZeroRateDisables) {
  RateLimiter limiter(0.0, 5.0);
  EXPECT_FALSE(limiter.enabled());
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(limiter.take("a", t0).allowed);
  EXPECT_EQ(limiter.tracked_keys(), 0u);
}

TEST(RateLimiter, TrackedKeysAreBounded) {
  RateLimiter limiter(1.0, 10.0, 8);
  for (int i = 0; i < 100; ++i) {
    std::string key = "k";  // appended: `"k" + std::to_string(i)` trips g++ 12 -O3 -Wrestrict (GCC bug 105329)
    key += std::to_string(i);
    limiter.take(key, t0 + std::chrono::milliseconds(i));
  }
  EXPECT_LE(limiter.tracked_keys(), 8u);
}

}  // namespace
}  // namespace oms::http
