// The request pipeline without sockets: routing errors, content type, authentication, rate
// limiting, the user check, error mapping and the headers every response carries.
#include "http/pipeline.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json.hpp>

#include "domain/error.hpp"
#include "logging/logging.hpp"
#include "unit/http/response_header.hpp"

namespace oms::http {
namespace {

using oms::testing::find_header;

namespace asio = boost::asio;
using domain::DomainError;
using domain::ErrorCode;

struct PipelineTest : ::testing::Test {
  Router router;
  Metrics metrics;
  RateLimiter limiter{1.0, 2.0};
  std::vector<std::string> touched;
  bool deactivated = false;
  std::unique_ptr<Pipeline> pipeline;

  void SetUp() override {
    logging::init_logging("off", "test");
    RouteOptions json_body;
    json_body.json_body = true;
    RouteOptions open;
    open.authenticated = false;
    RouteOptions small;
    small.max_body_bytes = 10;
    router.add(Method::get, "/api/v1/me", [](Request& r) -> awaitable<Response> {
      co_return Response::json(200, R"({"sub":")" + r.actor().user_id + R"("})");
    });
    router.add(
        Method::post, "/api/v1/things",
        [](Request& r) -> awaitable<Response> { co_return Response::json(201, r.body); }, json_body);
    router.add(Method::get, "/api/v1/things/{id}", [](Request& r) -> awaitable<Response> {
      if (r.path_param("id") == "boom") throw std::runtime_error("database password is hunter2");
      if (r.path_param("id") == "gone") throw DomainError(ErrorCode::not_found, "No such thing.");
      co_return Response::json(200, "{}");
    });
    router.add(
        Method::get, "/health", [](Request&) -> awaitable<Response> { co_return Response::json(200, "{}"); }, open);
    router.add(
        Method::post, "/api/v1/small", [](Request&) -> awaitable<Response> { co_return Response::no_content(); },
        small);
    Authenticate authn = [](std::string token) -> awaitable<domain::Principal> {
      if (token != "good") throw DomainError(ErrorCode::unauthenticated, "The token's signature is invalid.");
      domain::Principal p;
      p.user_id = "u1";
      p.role = domain::Role::admin;
      co_return p;
    };
    TouchUser touch = [this](const domain::Principal& p) -> awaitable<void> {
      touched.push_back(p.user_id);
      if (deactivated) throw DomainError(ErrorCode::forbidden, "The user is deactivated.");
      co_return;
    };
    PipelineOptions o;
    o.max_body_bytes = 100;
    pipeline = std::make_unique<Pipeline>(router, metrics, limiter, authn, touch, o);
  }

  Response call(Method m, std::string target, std::vector<std::pair<std::string, std::string>> headers = {},
                std::string body = "") {
    Request r;
    r.method = m;
    r.target = std::move(target);
    r.headers = std::move(headers);
    r.body = std::move(body);
    asio::io_context io;
    auto f = asio::co_spawn(io, pipeline->handle(r, "10.1.2.3"), asio::use_future);
    io.run();
    return f.get();
  }
  static std::string code(const Response& r) { return std::string(boost::json::parse(r.body).at("code").as_string()); }
};

const std::pair<std::string, std::string> k_auth{"authorization", "Bearer good"};

TEST_F(PipelineTest, AnswersAnAuthenticatedRequest) {
  Response r = call(Method::get, "/api/v1/me", {k_auth, {"x-request-id", "abc-1"}});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"sub":"u1"})");
  EXPECT_EQ(find_header(r, "X-Request-Id"), "abc-1");
  EXPECT_EQ(find_header(r, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(find_header(r, "Cache-Control"), "no-store");
  EXPECT_EQ(find_header(r, "X-RateLimit-Limit"), "2");
  EXPECT_EQ(find_header(r, "X-RateLimit-Remaining"), "1");
  EXPECT_EQ(touched, std::vector<std::string>{"u1"});
}

TEST_F(PipelineTest, UnknownPathIs404WithARequestId) {
  Response r = call(Method::get, "/api/v1/nothing");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.content_type, "application/problem+json");
  EXPECT_EQ(code(r), "NOT_FOUND");
  ASSERT_TRUE(find_header(r, "X-Request-Id"));
  EXPECT_EQ(boost::json::parse(r.body).at("request_id").as_string(), *find_header(r, "X-Request-Id"));
}

TEST_F(PipelineTest, WrongMethodIs405WithAllow) {
  Response r = call(Method::del, "/api/v1/things/1", {k_auth});
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(code(r), "METHOD_NOT_ALLOWED");
  EXPECT_EQ(find_header(r, "Allow"), "GET, HEAD");
}

TEST_F(PipelineTest, MissingOrBadTokenIs401) {
  for (const auto& headers : std::vector<std::vector<std::pair<std::string, std::string>>>{
           {}, {{"authorization", "Basic abc"}}, {{"authorization", "Bearer "}}, {{"authorization", "Bearer bad"}}}) {
    Response r = call(Method::get, "/api/v1/me", headers);
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(code(r), "UNAUTHENTICATED");
    EXPECT_TRUE(find_header(r, "WWW-Authenticate"));
  }
  EXPECT_TRUE(touched.empty());
}

TEST_F(PipelineTest, DeactivatedUserIs403) {
  deactivated = true;
  Response r = call(Method::get, "/api/v1/me", {k_auth});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(code(r), "FORBIDDEN");
}

TEST_F(PipelineTest, JsonBodyNeedsJsonContentType) {
  EXPECT_EQ(call(Method::post, "/api/v1/things", {k_auth, {"content-type", "text/plain"}}, "{}").status, 415);
  EXPECT_EQ(call(Method::post, "/api/v1/things", {k_auth}, "{}").status, 415);
  EXPECT_EQ(
      call(Method::post, "/api/v1/things", {k_auth, {"content-type", "application/json; charset=UTF-8"}}, "{}").status,
      201);
  EXPECT_EQ(call(Method::post, "/api/v1/things", {k_auth}, "").status, 201);  // no body, nothing to type
}

TEST(ContentType, JsonWithOptionalUtf8Charset) {
  EXPECT_TRUE(is_json_content_type("application/json"));
  EXPECT_TRUE(is_json_content_type("Application/JSON;charset=utf-8"));
  EXPECT_TRUE(is_json_content_type("application/json; charset=\"utf-8\""));
  EXPECT_FALSE(is_json_content_type("application/json; charset=latin1"));
  EXPECT_FALSE(is_json_content_type("application/jsonx"));
  EXPECT_FALSE(is_json_content_type("text/json"));
}

TEST_F(PipelineTest, BodyLimitsPerRoute) {
  EXPECT_EQ(pipeline->body_limit(Method::post, "/api/v1/small"), 10u);
  EXPECT_EQ(pipeline->body_limit(Method::post, "/api/v1/things"), 100u);
  EXPECT_EQ(pipeline->body_limit(Method::get, "/unknown"), 100u);
  Response r = call(Method::post, "/api/v1/small", {k_auth}, std::string(11, 'x'));
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(code(r), "PAYLOAD_TOO_LARGE");
}

TEST_F(PipelineTest, RateLimitedAfterTheBurst) {
  EXPECT_EQ(call(Method::get, "/api/v1/me", {k_auth}).status, 200);
  EXPECT_EQ(call(Method::get, "/api/v1/me", {k_auth}).status, 200);
  Response r = call(Method::get, "/api/v1/me", {k_auth});
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(code(r), "RATE_LIMITED");
  EXPECT_EQ(find_header(r, "Retry-After"), "1");
  EXPECT_EQ(find_header(r, "X-RateLimit-Remaining"), "0");
  // Probes are never limited.
  for (int i = 0; i < 5; ++i) EXPECT_EQ(call(Method::get, "/health").status, 200);
}

TEST_F(PipelineTest, HandlerFailuresAreMapped) {
  Response boom = call(Method::get, "/api/v1/things/boom", {k_auth});
  EXPECT_EQ(boom.status, 500);
  EXPECT_EQ(code(boom), "INTERNAL");
  EXPECT_EQ(boom.body.find("hunter2"), std::string::npos);
  Response gone = call(Method::get, "/api/v1/things/gone", {k_auth});
  EXPECT_EQ(gone.status, 404);
}

TEST_F(PipelineTest, MetricsUseTheRoutePattern) {
  call(Method::get, "/api/v1/things/gone", {k_auth});
  call(Method::get, "/nope");
  const std::string text = metrics.render(storage::PoolStats{4, 1, 0});
  EXPECT_NE(text.find(R"(http_requests_total{route="/api/v1/things/{id}",method="GET",status="404"} 1)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(R"(http_requests_total{route="unmatched",method="GET",status="404"} 1)"), std::string::npos);
  EXPECT_NE(text.find(R"(http_request_duration_seconds_count{route="/api/v1/things/{id}"} 1)"), std::string::npos);
  EXPECT_NE(text.find(R"(db_pool_connections{state="idle"} 3)"), std::string::npos);
  EXPECT_NE(text.find("process_start_time_seconds "), std::string::npos);
}

TEST_F(PipelineTest, BadTargetIs400) {
  Response r = call(Method::get, "/api/v1/things/%zz", {k_auth});
  EXPECT_EQ(r.status, 400);
}

// Found by tests/fuzz/pipeline_fuzz: the 404 detail quotes the decoded path, whose bytes need
// not be UTF-8; the body must still be JSON.
TEST_F(PipelineTest, NotFoundForAPathThatIsNotUtf8IsStillJson) {
  Response r = call(Method::get, "/api/v1/%9B%FF");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(code(r), "NOT_FOUND");
}

}  // namespace
}  // namespace oms::http
