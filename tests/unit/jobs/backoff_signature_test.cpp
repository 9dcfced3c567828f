#include <gtest/gtest.h>

#include "jobs/backoff.hpp"
#include "jobs/http_post.hpp"
#include "jobs/signature.hpp"

namespace oms::jobs {
namespace {

using std::chrono::milliseconds;

TEST(Backoff, DoublesPerAttemptUpToTheCap) {
  const BackoffPolicy p{milliseconds(100), milliseconds(1000)};
  // unit_random 0.999.. is (almost) the full delay, 0 is half of it.
  EXPECT_EQ(backoff_delay(p, 1, 0.0), milliseconds(50));
  EXPECT_EQ(backoff_delay(p, 2, 0.0), milliseconds(100));
  EXPECT_EQ(backoff_delay(p, 3, 0.0), milliseconds(200));
  EXPECT_EQ(backoff_delay(p, 4, 0.0), milliseconds(400));
  EXPECT_EQ(backoff_delay(p, 5, 0.0), milliseconds(500));   // 800 capped to 1000: half is 500
  EXPECT_EQ(backoff_delay(p, 60, 0.0), milliseconds(500));  // no overflow after many attempts
  EXPECT_EQ(backoff_delay(p, 1, 1.0), milliseconds(100));
  EXPECT_EQ(backoff_delay(p, 60, 1.0), milliseconds(1000));
}

TEST(Backoff, JitterStaysWithinHalfAndFullDelay) {
  const BackoffPolicy p{milliseconds(1000), milliseconds(60000)};
  for (int i = 0; i < 200; ++i) {
    const auto d = backoff_delay(p, 3, unit_random());
    EXPECT_GE(d, milliseconds(2000));
    EXPECT_LE(d, milliseconds(4000));
  }
}

TEST(Signature, HmacSha256MatchesRfc4231) {
  // RFC 4231, test case 2.
  EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Signature, HeaderSignsTimestampDotBody) {
  const std::string body = R"({"event_id":"e"})";
  const std::string header = signature_header("secret", "k1", 1700000000, body);
  EXPECT_EQ(header, "t=1700000000,kid=k1,v1=" + hmac_sha256_hex("secret", "1700000000." + body));
}

TEST(HttpUrl, ParsesHttpAndHttpsOnly) {
  auto u = parse_http_url("http://127.0.0.1:8089/hooks/oms?x=1");
  ASSERT_TRUE(u);
  EXPECT_FALSE(u->tls);
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, "8089");
  EXPECT_EQ(u->target, "/hooks/oms?x=1");
  auto s = parse_http_url("https://hooks.example.com");
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->tls);
  EXPECT_EQ(s->port, "443");
  EXPECT_EQ(s->target, "/");
  EXPECT_FALSE(parse_http_url("ftp://example.com/"));
  EXPECT_FALSE(parse_http_url("http://user:pw@example.com/"));
  EXPECT_FALSE(parse_http_url("http:///nohost"));
  EXPECT_FALSE(parse_http_url("not a url"));
}

}  // namespace
}  // namespace oms::jobs
