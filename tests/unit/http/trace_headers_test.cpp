// The pipeline's trace handling without sockets for HTTP: the trace id taken from traceparent or
// X-Amzn-Trace-Id (or made) and returned in both headers, the handler running under the
// request's segment (what it records becomes a subsegment), the segment sent to a UDP receiver
// on 127.0.0.1 only when sampled; and the internal paths a public listener answers 404 for.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json.hpp>

#include "http/pipeline.hpp"
#include "logging/logging.hpp"
#include "tracing/context.hpp"
#include "tracing/tracer.hpp"
#include "unit/http/response_header.hpp"

namespace oms::http {
namespace {

using oms::testing::find_header;

namespace asio = boost::asio;
using udp = asio::ip::udp;

struct TraceHeadersTest : ::testing::Test {
  asio::io_context udp_io;
  udp::socket daemon{udp_io, udp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
  Router router;
  Metrics metrics;
  RateLimiter limiter{0, 1};
  std::unique_ptr<tracing::Tracer> tracer;
  std::unique_ptr<Pipeline> pipeline;

  void SetUp() override {
    logging::init_logging("off", "test");
    timeval tv{10, 0};  // a bound on a lost datagram, not a timing assertion
    setsockopt(daemon.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    RouteOptions open;
    open.authenticated = false;
    router.add(
        Method::get, "/work",
        [](Request&) -> awaitable<Response> {
          // What the storage port does: a child of the current span.
          tracing::Span parent = co_await tracing::current_span();
          tracing::Span child = parent.start_child("SQLite");
          child.set_namespace("remote");
          child.end();
          co_return Response::json(200, parent ? R"({"traced":true})" : R"({"traced":false})");
        },
        open);
    router.add(
        Method::get, "/metrics", [](Request&) -> awaitable<Response> { co_return Response::json(200, "{}"); }, open);
    tracing::TracerOptions t;
    t.enabled = true;
    t.daemon_address = "127.0.0.1:" + std::to_string(daemon.local_endpoint().port());
    t.sample_rate = 0;  // only the caller's decision samples
    tracer = std::make_unique<tracing::Tracer>(udp_io.get_executor(), t);
    PipelineOptions o;
    o.tracer = tracer.get();
    o.internal_paths = {"/metrics"};
    pipeline = std::make_unique<Pipeline>(router, metrics, limiter, Authenticate{}, TouchUser{}, o);
  }

  Response call(std::string target, std::vector<std::pair<std::string, std::string>> headers = {}) {
    Request r;
    r.method = Method::get;
    r.target = std::move(target);
    r.headers = std::move(headers);
    asio::io_context io;
    auto f = asio::co_spawn(io, pipeline->handle(r, "10.1.2.3"), asio::use_future);
    io.run();
    return f.get();
  }

  boost::json::object receive() {
    std::string buffer(70000, '\0');
    udp::endpoint from;
    boost::system::error_code ec;
    const auto n = daemon.receive_from(asio::buffer(buffer), from, 0, ec);
    EXPECT_FALSE(ec) << ec.message();
    buffer.resize(ec ? 0 : n);
    EXPECT_TRUE(buffer.starts_with(tracing::k_daemon_header)) << buffer;
    return boost::json::parse(buffer.substr(tracing::k_daemon_header.size())).as_object();
  }
};

TEST_F(TraceHeadersTest, ASampledTraceparentRequestSendsItsSegmentWithTheHandlersSubsegment) {
  Response r = call("/work", {{"traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}});
  EXPECT_EQ(r.body, R"({"traced":true})");
  const std::string amzn = find_header(r, "X-Amzn-Trace-Id").value_or("");
  ASSERT_TRUE(amzn.starts_with("Root=1-4bf92f35-77b34da6a3ce929d0e0e4736;Parent=")) << amzn;
  ASSERT_TRUE(amzn.ends_with(";Sampled=1")) << amzn;
  const std::string segment_id = amzn.substr(amzn.find("Parent=") + 7, 16);
  EXPECT_EQ(find_header(r, "traceparent").value_or(""), "00-4bf92f3577b34da6a3ce929d0e0e4736-" + segment_id + "-01");

  auto doc = receive();
  EXPECT_EQ(doc["trace_id"], "1-4bf92f35-77b34da6a3ce929d0e0e4736");
  EXPECT_EQ(doc["id"], boost::json::value(segment_id));
  EXPECT_EQ(doc["parent_id"], "00f067aa0ba902b7");
  EXPECT_EQ(doc["http"].at("request").at("url"), "http://oms/work");
  EXPECT_EQ(doc["http"].at("request").at("client_ip"), "10.1.2.3");
  EXPECT_EQ(doc["http"].at("response").at("status"), 200);
  const auto& subs = doc["subsegments"].as_array();
  ASSERT_EQ(subs.size(), 1u);
  EXPECT_EQ(subs[0].at("name"), "SQLite");
  EXPECT_EQ(tracer->segments_sent(), 1u);
}

TEST_F(TraceHeadersTest, AnUnsampledRequestGetsATraceIdButSendsNothing) {
  Response r = call("/work", {{"x-amzn-trace-id", "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=0"}});
  EXPECT_EQ(r.body, R"({"traced":false})");
  EXPECT_TRUE(
      find_header(r, "X-Amzn-Trace-Id").value_or("").starts_with("Root=1-5759e988-bd862e3fe1be46a994272793;Parent="));
  EXPECT_TRUE(find_header(r, "X-Amzn-Trace-Id").value_or("").ends_with(";Sampled=0"));
  r = call("/work");  // no header, rate 0: a new id, not sampled
  const std::string amzn = find_header(r, "X-Amzn-Trace-Id").value_or("");
  EXPECT_TRUE(tracing::is_xray_trace_id(amzn.substr(5, 35))) << amzn;
  EXPECT_EQ(tracer->segments_sent(), 0u);
  // The next sampled request's datagram is the first one the daemon receives.
  call("/work", {{"x-amzn-trace-id", "Root=1-5759e988-bd862e3fe1be46a994272794;Sampled=1"}});
  EXPECT_EQ(receive()["trace_id"], "1-5759e988-bd862e3fe1be46a994272794");
}

TEST_F(TraceHeadersTest, InternalPathsAreNotFoundOnThisListener) {
  Response r = call("/metrics");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.content_type, "application/problem+json");
  EXPECT_FALSE(find_header(r, "X-Amzn-Trace-Id").value_or("").empty());
}

}  // namespace
}  // namespace oms::http
