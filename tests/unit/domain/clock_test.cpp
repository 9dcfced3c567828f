#include "domain/clock.hpp"

#include <gtest/gtest.h>

namespace oms::domain {
namespace {

using namespace std::chrono;

TEST(ManualClock, StaysWhereItIsPut) {
  ManualClock clock{Timestamp{seconds{1000}}};
  EXPECT_EQ(clock.now(), Timestamp{seconds{1000}});
  clock.advance(microseconds{1});
  EXPECT_EQ(clock.now(), Timestamp{seconds{1000}} + microseconds{1});
  clock.set(Timestamp{seconds{5}});
  EXPECT_EQ(clock.now(), Timestamp{seconds{5}});
}

}  // namespace
}  // namespace oms::domain
