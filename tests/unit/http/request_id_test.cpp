#include "http/request_id.hpp"

#include <gtest/gtest.h>

#include "http/target.hpp"
#include "util/encoding.hpp"

namespace oms::http {
namespace {

TEST(RequestId, AcceptsTheAllowedAlphabet) {
  EXPECT_TRUE(is_valid_request_id("a"));
  EXPECT_TRUE(is_valid_request_id("Req-1.2_3"));
  EXPECT_TRUE(is_valid_request_id(std::string(128, 'x')));
}

TEST(RequestId, RejectsEverythingElse) {
  EXPECT_FALSE(is_valid_request_id(""));
  EXPECT_FALSE(is_valid_request_id(std::string(129, 'x')));
  EXPECT_FALSE(is_valid_request_id("has space"));
  EXPECT_FALSE(is_valid_request_id("semi;colon"));
  EXPECT_FALSE(is_valid_request_id("new\nline"));
  EXPECT_FALSE(is_valid_request_id("caf\xc3\xa9"));
}

TEST(RequestId, TakenFromTheHeaderOnlyWhenValid) {
  Request r;
  r.headers = {{"x-request-id", "client-42"}};
  EXPECT_EQ(request_id_for(r), "client-42");
  r.headers = {{"x-request-id", "bad id!"}};
  const std::string generated = request_id_for(r);
  EXPECT_NE(generated, "bad id!");
  EXPECT_TRUE(util::is_uuid(generated));
  EXPECT_NE(generate_request_id(), generate_request_id());
}

TEST(TraceId, FromTraceparentThenAmazon) {
  Request r;
  r.headers = {{"traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}};
  EXPECT_EQ(trace_id_for(r), "4bf92f3577b34da6a3ce929d0e0e4736");
  r.headers = {{"x-amzn-trace-id", "Self=1-abc;Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"}};
  EXPECT_EQ(trace_id_for(r), "1-5759e988-bd862e3fe1be46a994272793");
  r.headers = {{"traceparent", "garbage"}};
  EXPECT_EQ(trace_id_for(r), "");
}

TEST(Target, DecodesPathAndQuery) {
  Request r;
  ASSERT_TRUE(parse_target("/api/v1/skills%2Fx?query=cloud+native&status=DRAFT&status=SUBMITTED&flag&e=a%26b", r));
  EXPECT_EQ(r.path, "/api/v1/skills/x");
  EXPECT_EQ(r.segments, (std::vector<std::string>{"api", "v1", "skills/x"}));
  EXPECT_EQ(r.query_param("query"), std::optional<std::string_view>("cloud native"));
  EXPECT_EQ(r.query_params("status"), (std::vector<std::string_view>{"DRAFT", "SUBMITTED"}));
  EXPECT_EQ(r.query_param("flag"), std::optional<std::string_view>(""));
  EXPECT_EQ(r.query_param("e"), std::optional<std::string_view>("a&b"));
  EXPECT_FALSE(r.query_param("missing"));
}

TEST(Target, SplitsOnRawSlashesThenDecodes) {
  Request r;
  ASSERT_TRUE(parse_target("/a/b%2Fc/%2F/d%20e/", r));
  EXPECT_EQ(r.segments, (std::vector<std::string>{"a", "b/c", "/", "d e", ""}));
  ASSERT_TRUE(parse_target("/", r));
  EXPECT_TRUE(r.segments.empty());
  EXPECT_EQ(path_segments("/x%2Fy/z"), (std::optional<std::vector<std::string>>{{"x/y", "z"}}));
  EXPECT_EQ(path_segments("/bad%zz"), std::nullopt);
  EXPECT_EQ(path_segments("relative"), std::nullopt);
}

TEST(Target, DecodesQueryPairsLikeAFormDoes) {
  Request r;
  ASSERT_TRUE(parse_target("/x?a=1&&=v&k&p=%2B+%26&a=2", r));
  const std::vector<std::pair<std::string, std::string>> expected{
      {"a", "1"}, {"", "v"}, {"k", ""}, {"p", "+ &"}, {"a", "2"}};
  EXPECT_EQ(r.query, expected);
}

TEST(Target, ToleratesWhatBrowsersSendUnescaped) {
  Request r;
  ASSERT_TRUE(parse_target("/x/[1]|{2}?q=a|b[c]^\"d\"&u=\xC3\xA9", r));
  EXPECT_EQ(r.segments, (std::vector<std::string>{"x", "[1]|{2}"}));
  EXPECT_EQ(r.query_param("q"), std::optional<std::string_view>("a|b[c]^\"d\""));
  EXPECT_EQ(r.query_param("u"), std::optional<std::string_view>("\xC3\xA9"));
}

TEST(Target, RejectsMalformedTargets) {
  Request r;
  EXPECT_FALSE(parse_target("no-slash", r));
  EXPECT_FALSE(parse_target("/bad%zz", r));
  EXPECT_FALSE(parse_target("/x?a=%4", r));
  EXPECT_FALSE(parse_target("/x%", r));
  EXPECT_FALSE(parse_target("", r));
  EXPECT_FALSE(parse_target("*", r));
  EXPECT_FALSE(parse_target("http://host/x", r));  // absolute-form is for proxies
  EXPECT_FALSE(parse_target("/x#fragment", r));    // a client never sends one
  EXPECT_FALSE(parse_target("/a b", r));
}

}  // namespace
}  // namespace oms::http
