// util::parse_http_url: the URLs the service calls out to (webhooks, S3, the JWKS).
#include <gtest/gtest.h>

#include "util/http_client.hpp"

namespace oms::util {
namespace {

TEST(HttpUrl, Ipv6LiteralWithPort) {
  const auto u = parse_http_url("https://[::1]:8443/keys");
  ASSERT_TRUE(u);
  EXPECT_TRUE(u->tls);
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, "8443");
  EXPECT_EQ(u->target, "/keys");
}

TEST(HttpUrl, Ipv6LiteralWithoutPort) {
  const auto u = parse_http_url("https://[2001:db8::7]/.well-known/jwks.json");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "2001:db8::7");
  EXPECT_EQ(u->port, "443");
  EXPECT_EQ(u->target, "/.well-known/jwks.json");
}

TEST(HttpUrl, NameWithPortAndQuerySentAsWritten) {
  const auto u = parse_http_url("https://idp.example:9443/tenant%2F1/keys?v=2");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "idp.example");
  EXPECT_EQ(u->port, "9443");
  EXPECT_EQ(u->target, "/tenant%2F1/keys?v=2");
}

TEST(HttpUrl, DefaultsPortAndTarget) {
  const auto u = parse_http_url("https://127.0.0.1");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, "443");
  EXPECT_EQ(u->target, "/");
  const auto q = parse_http_url("http://h.example?x=1");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->port, "80");
  EXPECT_EQ(q->target, "/?x=1");
  const auto highest = parse_http_url("http://h.example:65535/");
  ASSERT_TRUE(highest);
  EXPECT_EQ(highest->port, "65535");
}

TEST(HttpUrl, RefusesWhatIsNotAnHttpUrlWithAHostAndAPort) {
  for (const char* bad :
       {"file:///tmp/jwks.json", "ftp://h/", "https://", "https:///keys", "https://[::1/keys", "https://::1:8443/keys",
        "https://h:99999/", "https://h:65536/", "https://h:4294967297/", "https://h:0/", "https://h:/keys",
        "https://user:pw@h/keys", "https://h/keys#frag", "idp.example/keys", "https://h/a b", "https://[v7.x]/"}) {
    EXPECT_FALSE(parse_http_url(bad)) << bad;
  }
}

}  // namespace
}  // namespace oms::util
