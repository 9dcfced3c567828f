#include "identity/https_url.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace oms::identity {
namespace {

TEST(HttpsUrl, Ipv6LiteralWithPort) {
  const HttpsUrl u = parse_https_url("https://[::1]:8443/keys");
  EXPECT_EQ(u.host, "::1");
  EXPECT_EQ(u.port, "8443");
  EXPECT_EQ(u.target, "/keys");
  EXPECT_EQ(u.host_header, "[::1]:8443");
  EXPECT_TRUE(u.host_is_address);
}

TEST(HttpsUrl, Ipv6LiteralWithoutPort) {
  const HttpsUrl u = parse_https_url("https://[2001:db8::7]/.well-known/jwks.json");
  EXPECT_EQ(u.host, "2001:db8::7");
  EXPECT_EQ(u.port, "443");
  EXPECT_EQ(u.target, "/.well-known/jwks.json");
  EXPECT_EQ(u.host_header, "[2001:db8::7]");
}

TEST(HttpsUrl, NameWithPortAndQuery) {
  const HttpsUrl u = parse_https_url("https://idp.example:9443/tenant%2F1/keys?v=2");
  EXPECT_EQ(u.host, "idp.example");
  EXPECT_EQ(u.port, "9443");
  EXPECT_EQ(u.target, "/tenant%2F1/keys?v=2");  // sent as written
  EXPECT_EQ(u.host_header, "idp.example:9443");
  EXPECT_FALSE(u.host_is_address);
}

TEST(HttpsUrl, DefaultsPortAndTarget) {
  const HttpsUrl u = parse_https_url("https://127.0.0.1");
  EXPECT_EQ(u.host, "127.0.0.1");
  EXPECT_TRUE(u.host_is_address);
  EXPECT_EQ(u.port, "443");
  EXPECT_EQ(u.target, "/");
  EXPECT_EQ(parse_https_url("https://h.example?x=1").target, "/?x=1");
}

TEST(HttpsUrl, RefusesWhatIsNotAnHttpsUrlWithAHost) {
  for (const char* bad :
       {"http://idp.example/keys", "file:///tmp/jwks.json", "https://", "https:///keys", "https://[::1/keys",
        "https://::1:8443/keys", "https://h:99999/", "https://h:0/", "https://h:/keys", "https://user:pw@h/keys",
        "https://h/keys#frag", "idp.example/keys", "https://h/a b"}) {
    EXPECT_THROW(parse_https_url(bad), std::invalid_argument) << bad;
  }
}

}  // namespace
}  // namespace oms::identity
