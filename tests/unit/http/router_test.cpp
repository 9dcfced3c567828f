#include "http/router.hpp"

#include <gtest/gtest.h>

#include "http/target.hpp"

namespace oms::http {
namespace {

Handler noop() {
  return [](Request&) -> awaitable<Response> { co_return Response::json(200, "{}"); };
}

// The decoded segments of a raw path; none for a malformed one.
std::vector<std::string> segs(std::string_view raw_path) {
  return path_segments(raw_path).value_or(std::vector<std::string>{});
}

Router sample() {
  Router r;
  r.add(Method::get, "/api/v1/opportunities", noop());
  r.add(Method::post, "/api/v1/opportunities", noop());
  r.add(Method::get, "/api/v1/opportunities/{id}", noop());
  r.add(Method::patch, "/api/v1/opportunities/{id}", noop());
  r.add(Method::patch, "/api/v1/opportunities/{id}/skill-requirements/{requirement_id}", noop());
  r.add(Method::del, "/api/v1/opportunities/{id}/skill-requirements/{requirement_id}", noop());
  r.add(Method::get, "/api/v1/opportunities/search", noop());
  return r;
}

TEST(Router, MatchesLiteralPaths) {
  Router r = sample();
  auto m = r.match(Method::post, segs("/api/v1/opportunities"));
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/api/v1/opportunities");
  EXPECT_EQ(m.route->method, Method::post);
  EXPECT_TRUE(m.path_params.empty());
}

TEST(Router, ExtractsParameters) {
  Router r = sample();
  auto m = r.match(Method::del, segs("/api/v1/opportunities/abc/skill-requirements/r-1"));
  ASSERT_NE(m.route, nullptr);
  ASSERT_EQ(m.path_params.size(), 2u);
  EXPECT_EQ(m.path_params[0], (std::pair<std::string, std::string>{"id", "abc"}));
  EXPECT_EQ(m.path_params[1], (std::pair<std::string, std::string>{"requirement_id", "r-1"}));
}

TEST(Router, LiteralSegmentsBeatParameters) {
  Router r = sample();
  auto m = r.match(Method::get, segs("/api/v1/opportunities/search"));
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/api/v1/opportunities/search");
  EXPECT_TRUE(m.path_params.empty());
}

TEST(Router, UnknownPathIsNotFound) {
  Router r = sample();
  for (const char* path : {"/api/v1/nothing", "/api/v1/opportunities/a/b", "/api/v1/opportunities/", "/", "", "x"}) {
    auto m = r.match(Method::get, segs(path));
    EXPECT_EQ(m.route, nullptr) << path;
    EXPECT_TRUE(m.allowed.empty()) << path;
  }
}

TEST(Router, WrongMethodListsTheAllowedOnes) {
  Router r = sample();
  auto m = r.match(Method::put, segs("/api/v1/opportunities/42"));
  EXPECT_EQ(m.route, nullptr);
  std::vector<Method> expected{Method::get, Method::patch, Method::head};
  EXPECT_EQ(m.allowed, expected);
  auto d = r.match(Method::get, segs("/api/v1/opportunities/1/skill-requirements/2"));
  EXPECT_EQ(d.route, nullptr);
  EXPECT_EQ(d.allowed, (std::vector<Method>{Method::patch, Method::del}));
}

TEST(Router, HeadIsServedByGet) {
  Router r = sample();
  auto m = r.match(Method::head, segs("/api/v1/opportunities/7"));
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->method, Method::get);
  EXPECT_EQ(m.path_params.at(0).second, "7");
  // No GET route: no HEAD either.
  EXPECT_EQ(r.match(Method::head, segs("/api/v1/opportunities/7/skill-requirements/1")).route, nullptr);
}

TEST(Router, EncodedSlashStaysInsideItsSegment) {
  Router r = sample();
  auto m = r.match(Method::get, segs("/api/v1/opportunities/a%2Fb"));
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/api/v1/opportunities/{id}");
  EXPECT_EQ(m.path_params.at(0).second, "a/b");
  auto two = r.match(Method::patch, segs("/api/v1/opportunities/x%2F1/skill-requirements/%2F%2F"));
  ASSERT_NE(two.route, nullptr);
  EXPECT_EQ(two.path_params.at(0).second, "x/1");
  EXPECT_EQ(two.path_params.at(1).second, "//");
  // A raw slash does split: three segments after "opportunities" match no route.
  EXPECT_EQ(r.match(Method::get, segs("/api/v1/opportunities/a/b")).route, nullptr);
}

TEST(Router, LiteralsCompareDecoded) {
  Router r = sample();
  auto m = r.match(Method::get, segs("/api/v1/opportunities/%73earch"));
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/api/v1/opportunities/search");
  // An escaped slash in a literal's place is not the literal path.
  EXPECT_EQ(r.match(Method::get, segs("/api%2Fv1/opportunities")).route, nullptr);
}

TEST(Router, MethodNames) {
  EXPECT_EQ(method_name(Method::del), "DELETE");
  EXPECT_EQ(method_name(Method::patch), "PATCH");
  EXPECT_EQ(method_name(Method::head), "HEAD");
}

}  // namespace
}  // namespace oms::http
