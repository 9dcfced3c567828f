#include "adapters/system_clock.hpp"

#include <gtest/gtest.h>

namespace oms::adapters {
namespace {

using namespace std::chrono;

TEST(SystemClock, TracksTheSystemTimeInMicroseconds) {
  SystemClock clock;
  const auto before = time_point_cast<microseconds>(system_clock::now());
  const auto now = clock.now();
  const auto after = time_point_cast<microseconds>(system_clock::now());
  EXPECT_LE(before, now);
  EXPECT_LE(now, after);
}

}  // namespace
}  // namespace oms::adapters
