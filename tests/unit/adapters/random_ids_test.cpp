#include "adapters/random_ids.hpp"

#include <gtest/gtest.h>

#include <set>

#include "util/encoding.hpp"

namespace oms::adapters {
namespace {

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
}  // namespace oms::adapters
