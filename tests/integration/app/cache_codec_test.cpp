// What the cache holds decodes to what was encoded, and a user's bytes decode to that user every
// time: decode_user keeps recently decoded users per thread, keyed by their bytes.
#include "app/cache_codec.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace oms::testing {
namespace {

domain::User sample_user() {
  domain::User u;
  u.id = "sm-1";
  u.name = "Sam Seller";
  u.email = "sm-1@example.com";
  u.role = domain::Role::sales_manager;
  u.department = "EMEA";
  u.is_active = true;
  u.first_seen_at = domain::Timestamp{std::chrono::microseconds{1'700'000'000'000'000}};
  u.last_seen_at = domain::Timestamp{std::chrono::microseconds{1'700'000'100'000'000}};
  return u;
}

TEST(CacheCodec, AUserDecodesToWhatWasEncoded) {
  const domain::User u = sample_user();
  const domain::User back = app::codec::decode_user(app::codec::encode(u));
  EXPECT_EQ(back.id, u.id);
  EXPECT_EQ(back.name, u.name);
  EXPECT_EQ(back.email, u.email);
  EXPECT_EQ(back.role, u.role);
  EXPECT_EQ(back.employee_id, u.employee_id);
  EXPECT_EQ(back.department, u.department);
  EXPECT_EQ(back.is_active, u.is_active);
  EXPECT_EQ(back.first_seen_at, u.first_seen_at);
  EXPECT_EQ(back.last_seen_at, u.last_seen_at);
}

TEST(CacheCodec, ChangedBytesOfTheSameUserDecodeToTheChange) {
  domain::User u = sample_user();
  const std::string active = app::codec::encode(u);
  EXPECT_TRUE(app::codec::decode_user(active).is_active);
  u.is_active = false;
  u.name = "Sam Seller (left)";
  const std::string deactivated = app::codec::encode(u);
  for (int i = 0; i < 3; ++i) {  // alternating: each decode answers for its own bytes
    const domain::User now = app::codec::decode_user(deactivated);
    EXPECT_FALSE(now.is_active);
    EXPECT_EQ(now.name, "Sam Seller (left)");
    const domain::User before = app::codec::decode_user(active);
    EXPECT_TRUE(before.is_active);
    EXPECT_EQ(before.name, "Sam Seller");
  }
}

TEST(CacheCodec, ManyUsersDecodeToThemselves) {
  std::vector<std::string> encoded;
  for (int i = 0; i < 40; ++i) {  // more than a thread keeps: some share a slot
    domain::User u = sample_user();
    u.id = "user-" + std::to_string(i);
    encoded.push_back(app::codec::encode(u));
  }
  for (int round = 0; round < 2; ++round)
    for (int i = 0; i < 40; ++i) EXPECT_EQ(app::codec::decode_user(encoded[i]).id, "user-" + std::to_string(i));
}

TEST(CacheCodec, BytesThatAreNotAUserAreRefusedEveryTime) {
  const std::string good = app::codec::encode(sample_user());
  for (int i = 0; i < 2; ++i) {
    EXPECT_ANY_THROW(app::codec::decode_user("{\"f\":2"));
    EXPECT_ANY_THROW(app::codec::decode_user(good.substr(0, good.size() / 2)));
    EXPECT_EQ(app::codec::decode_user(good).id, "sm-1");
  }
}

}  // namespace
}  // namespace oms::testing
