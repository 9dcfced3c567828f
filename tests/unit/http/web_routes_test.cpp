#include "http/web_routes.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "http/dev_sign_in.hpp"
#include "http/target.hpp"
#include "http/web_assets.hpp"

namespace oms::http {
namespace {

std::vector<std::string> segments_of(std::string_view raw_path) { return path_segments(raw_path).value(); }

TEST(WebRoutes, TheRootPathReachesItsRouteAndOnlyIt) {
  Router r;
  register_web_routes(r, WebConfig{});
  // "/" parses to no segments; the router matches it to the "/" pattern.
  auto root = r.match(Method::get, segments_of("/"));
  ASSERT_NE(root.route, nullptr);
  EXPECT_EQ(root.route->pattern, "/");
  EXPECT_EQ(r.match(Method::get, segments_of("/docs")).route->pattern, "/docs");
  EXPECT_EQ(r.match(Method::get, segments_of("/index.html")).route, nullptr);
  EXPECT_EQ(r.match(Method::get, segments_of("/assets/app.js")).route, nullptr);
  auto post = r.match(Method::post, segments_of("/"));
  EXPECT_EQ(post.route, nullptr);
  EXPECT_FALSE(post.allowed.empty());
}

TEST(WebAssets, PagesAndContentHashedAssets) {
  std::set<std::string> paths;
  const std::regex hashed(R"(/assets/[A-Za-z0-9_-]+\.[0-9a-f]{12}\.(js|css))");
  for (const auto& a : web_assets()) {
    paths.emplace(a.path);
    if (a.immutable) {
      EXPECT_TRUE(std::regex_match(std::string(a.path), hashed)) << a.path;
    } else {
      EXPECT_TRUE(a.path == "/" || a.path == "/docs") << a.path;
      EXPECT_EQ(a.content_type, "text/html; charset=utf-8");
      // Pages name assets only by their hashed names.
      const std::string body(a.body);
      EXPECT_NE(body.find("/assets/app."), std::string::npos);
      EXPECT_EQ(body.find("/assets/app.js"), std::string::npos);
      EXPECT_EQ(body.find("<script>"), std::string::npos);
    }
    EXPECT_FALSE(a.body.empty()) << a.path;
  }
  EXPECT_TRUE(paths.count("/"));
  EXPECT_TRUE(paths.count("/docs"));
}

TEST(WebRoutes, ThePolicyAllowsNoInlineCodeAndOnlyTheConfiguredIdentityProvider) {
  const std::string local = content_security_policy(WebConfig{});
  EXPECT_EQ(local.find("unsafe"), std::string::npos);
  EXPECT_NE(local.find("default-src 'none'"), std::string::npos);
  EXPECT_NE(local.find("connect-src 'self';"), std::string::npos);
  WebConfig cognito;
  cognito.cognito_domain = "https://oms.auth.eu-west-1.amazoncognito.com";
  EXPECT_NE(content_security_policy(cognito).find("connect-src 'self' https://oms.auth.eu-west-1.amazoncognito.com;"),
            std::string::npos);
  // Attachments on S3: the page PUTs the file to the bucket's endpoint with the signed URL.
  cognito.upload_origin = "https://opportunity-attachments-prod.s3.us-east-1.amazonaws.com";
  EXPECT_NE(content_security_policy(cognito).find("connect-src 'self' https://oms.auth.eu-west-1.amazoncognito.com "
                                                  "https://opportunity-attachments-prod.s3.us-east-1.amazonaws.com;"),
            std::string::npos);
}

TEST(DevSignIn, OfferedOnlyOnLoopbackAddresses) {
  for (const char* yes : {"127.0.0.1", "127.1.2.3", "127.255.255.255", "::1", "[::1]", "localhost"})
    EXPECT_TRUE(is_loopback_address(yes)) << yes;
  for (const char* no : {"0.0.0.0", "::", "10.0.0.5", "192.168.1.1", "127.0.0", "127.0.0.1.5", "127.0.0.256",
                         "127.0.0.1a", "127..0.1", "128.0.0.1", "", "localhost.example.com", "1270.0.0.1"})
    EXPECT_FALSE(is_loopback_address(no)) << no;
}

}  // namespace
}  // namespace oms::http
