#include "adapters/time_ordered_ids.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <thread>

#include "util/encoding.hpp"

namespace oms::adapters {
namespace {

std::uint64_t unix_ms_now() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
}

// The first 48 bits of a version 7 UUID: its time in Unix milliseconds.
std::uint64_t unix_ms_of(const std::string& id) {
  const std::string hex = id.substr(0, 8) + id.substr(9, 4);
  return std::stoull(hex, nullptr, 16);
}

TEST(TimeOrderedIdGenerator, ProducesLowerCaseVersion7UuidsThatAreNeverRepeated) {
  TimeOrderedIdGenerator ids;
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) {
    const std::string id = ids.next();
    ASSERT_TRUE(util::is_uuid(id)) << id;
    EXPECT_EQ(id, util::to_lower_ascii(id));
    EXPECT_EQ(id[14], '7') << id;
    EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 10000u);
}

TEST(TimeOrderedIdGenerator, StartsWithTheTimeItWasMadeSoLaterIdsSortAfterEarlierOnes) {
  TimeOrderedIdGenerator ids;
  const std::uint64_t before = unix_ms_now();
  const std::string first = ids.next();
  const std::uint64_t after = unix_ms_now();
  EXPECT_GE(unix_ms_of(first), before);
  EXPECT_LE(unix_ms_of(first), after);
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  const std::string second = ids.next();
  EXPECT_LT(first, second);  // byte order = time order once the millisecond differs
}

}  // namespace
}  // namespace oms::adapters
