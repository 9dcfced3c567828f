#include "domain/clock.hpp"

#include <gtest/gtest.h>

#include <set>

#include "util/encoding.hpp"

namespace oms::domain {
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

TEST(ManualClock, StaysWhereItIsPut) {
  ManualClock clock{Timestamp{seconds{1000}}};
  EXPECT_EQ(clock.now(), Timestamp{seconds{1000}});
  clock.advance(microseconds{1});
  EXPECT_EQ(clock.now(), Timestamp{seconds{1000}} + microseconds{1});
  clock.set(Timestamp{seconds{5}});
  EXPECT_EQ(clock.now(), Timestamp{seconds{5}});
}

TEST(RandomIdGenerator, ProducesLowerCaseVersion4Uuids) {
  RandomIdGenerator ids;
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = ids.next();
    ASSERT_TRUE(util::is_uuid(id)) << id;
    EXPECT_EQ(id, util::to_lower_ascii(id));
    EXPECT_EQ(id[14], '4') << id;
    EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

}  // namespace
}  // namespace oms::domain
