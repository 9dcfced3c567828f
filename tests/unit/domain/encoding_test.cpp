#include "util/encoding.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <set>

namespace oms::util {
namespace {

TEST(Base64Url, EncodesRfc4648Vectors) {
  EXPECT_EQ(base64url_encode(""), "");
  EXPECT_EQ(base64url_encode("f"), "Zg");
  EXPECT_EQ(base64url_encode("fo"), "Zm8");
  EXPECT_EQ(base64url_encode("foo"), "Zm9v");
  EXPECT_EQ(base64url_encode("foob"), "Zm9vYg");
  EXPECT_EQ(base64url_encode("fooba"), "Zm9vYmE");
  EXPECT_EQ(base64url_encode("foobar"), "Zm9vYmFy");
}

TEST(Base64Url, UsesTheUrlSafeAlphabet) {
  EXPECT_EQ(base64url_encode("\xFB\xFF"), "-_8");
  EXPECT_EQ(base64url_decode("-_8"), std::optional<std::string>("\xFB\xFF"));
}

TEST(Base64Url, DecodesWithAndWithoutPadding) {
  EXPECT_EQ(base64url_decode(""), std::optional<std::string>(""));
  EXPECT_EQ(base64url_decode("Zg"), std::optional<std::string>("f"));
  EXPECT_EQ(base64url_decode("Zg=="), std::optional<std::string>("f"));
  EXPECT_EQ(base64url_decode("Zm8"), std::optional<std::string>("fo"));
  EXPECT_EQ(base64url_decode("Zm8="), std::optional<std::string>("fo"));
  EXPECT_EQ(base64url_decode("Zm9vYmFy"), std::optional<std::string>("foobar"));
}

TEST(Base64Url, RejectsBadInput) {
  EXPECT_FALSE(base64url_decode("Zm9v+"));   // standard alphabet
  EXPECT_FALSE(base64url_decode("Zm9v/w"));  // standard alphabet
  EXPECT_FALSE(base64url_decode("Zm 9v"));   // space
  EXPECT_FALSE(base64url_decode("Z"));       // impossible length
  EXPECT_FALSE(base64url_decode("Zm9vY"));   // impossible length
  EXPECT_FALSE(base64url_decode("Zg="));     // incomplete padding
  EXPECT_FALSE(base64url_decode("Z==="));    // too much padding
  EXPECT_FALSE(base64url_decode("Zh"));      // non-zero trailing bits
  EXPECT_FALSE(base64url_decode("Zg==Zg"));  // padding in the middle
}

TEST(Base64Url, RoundTripsEveryByteValueAndLength) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  for (std::size_t n = 0; n <= all.size(); n += 1) {
    const std::string bytes = all.substr(0, n);
    const std::string text = base64url_encode(bytes);
    EXPECT_EQ(text.find('='), std::string::npos);
    EXPECT_EQ(base64url_decode(text), std::optional<std::string>(bytes)) << n;
  }
}

TEST(Hex, EncodesLowerCase) {
  EXPECT_EQ(hex_encode(""), "");
  EXPECT_EQ(hex_encode(std::string("\x00\x01\xAB\xFF", 4)), "0001abff");
}

TEST(Sha256, MatchesKnownDigests) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256("abc").size(), 32u);
  EXPECT_EQ(hex_encode(sha256("abc")), sha256_hex("abc"));
}

TEST(RandomBytes, HasTheRequestedLengthAndVaries) {
  EXPECT_EQ(random_bytes(0).size(), 0u);
  EXPECT_EQ(random_bytes(32).size(), 32u);
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) seen.insert(random_bytes(16));
  EXPECT_EQ(seen.size(), 100u);
}

TEST(Uuid, AcceptsCanonicalFormOnly) {
  EXPECT_TRUE(is_uuid("6f1c2a9e-0b7d-4c1e-9a55-0d3b8e6f4a21"));
  EXPECT_TRUE(is_uuid("6F1C2A9E-0B7D-4C1E-9A55-0D3B8E6F4A21"));
  EXPECT_FALSE(is_uuid(""));
  EXPECT_FALSE(is_uuid("6f1c2a9e0b7d4c1e9a550d3b8e6f4a21"));
  EXPECT_FALSE(is_uuid("{6f1c2a9e-0b7d-4c1e-9a55-0d3b8e6f4a21}"));
  EXPECT_FALSE(is_uuid("6f1c2a9e-0b7d-4c1e-9a55-0d3b8e6f4a2g"));
  EXPECT_FALSE(is_uuid("6f1c2a9e-0b7d-4c1e-9a550-d3b8e6f4a21"));
  EXPECT_FALSE(is_uuid("6f1c2a9e-0b7d-4c1e-9a55-0d3b8e6f4a211"));
}

TEST(LowerAscii, LowersOnlyAscii) {
  EXPECT_EQ(to_lower_ascii("Hello WORLD-42"), "hello world-42");
  EXPECT_EQ(to_lower_ascii("\xC3\x89"), "\xC3\x89");  // É untouched
}

TEST(IequalsAscii, IgnoresAsciiCaseOnly) {
  EXPECT_TRUE(iequals_ascii("Chunked", "chunked"));
  EXPECT_TRUE(iequals_ascii("", ""));
  EXPECT_FALSE(iequals_ascii("chunke", "chunked"));
  EXPECT_FALSE(iequals_ascii("chunkeD!", "chunked?"));
  EXPECT_FALSE(iequals_ascii("\xC3\x89", "\xC3\xA9"));  // É and é: not ASCII
}

// The bytes end exactly where the view ends (on the heap, as a parsed request target does): the
// sanitizer pass fails if the comparison reads past them, as beast::iequals did.
TEST(IequalsAscii, ReadsNothingPastEitherEnd) {
  const std::string_view text = "hTtp://";
  auto exact = std::make_unique<char[]>(text.size());
  std::copy(text.begin(), text.end(), exact.get());
  auto other = std::make_unique<char[]>(text.size());
  std::copy_n("http://", text.size(), other.get());
  EXPECT_TRUE(iequals_ascii(std::string_view(exact.get(), text.size()), std::string_view(other.get(), text.size())));
}

}  // namespace
}  // namespace oms::util
