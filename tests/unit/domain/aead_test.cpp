// AES-256-GCM sealing (util/aead.hpp): what erasure by key deletion relies on.
#include "util/aead.hpp"

#include <gtest/gtest.h>

#include "util/encoding.hpp"

namespace oms::testing {
namespace {

TEST(Aead, SealedTextOpensOnlyWithItsKeyAndAdditionalData) {
  const std::string key = util::random_bytes(32);
  const std::string sealed = util::aes256gcm_seal(key, "Ada Lovelace", "key-1");
  EXPECT_EQ(sealed.size(), 12u + 12u + 16u);
  EXPECT_EQ(sealed.find("Ada"), std::string::npos);
  EXPECT_EQ(util::aes256gcm_open(key, sealed, "key-1"), std::optional<std::string>("Ada Lovelace"));
  EXPECT_FALSE(util::aes256gcm_open(util::random_bytes(32), sealed, "key-1").has_value());
  EXPECT_FALSE(util::aes256gcm_open(key, sealed, "key-2").has_value());
  std::string flipped = sealed;
  flipped[14] = static_cast<char>(flipped[14] ^ 1);
  EXPECT_FALSE(util::aes256gcm_open(key, flipped, "key-1").has_value());
  EXPECT_FALSE(util::aes256gcm_open(key, sealed.substr(0, 20), "key-1").has_value());
  EXPECT_NE(util::aes256gcm_seal(key, "Ada Lovelace", "key-1"), sealed);  // a fresh nonce each time
  EXPECT_EQ(util::aes256gcm_open(key, util::aes256gcm_seal(key, "", "k"), "k"), std::optional<std::string>(""));
}

TEST(Aead, RefusesAKeyOfTheWrongSize) {
  EXPECT_THROW(util::aes256gcm_seal("short", "x", ""), std::invalid_argument);
  EXPECT_FALSE(util::aes256gcm_open("short", std::string(40, 'x'), "").has_value());
}

}  // namespace
}  // namespace oms::testing
