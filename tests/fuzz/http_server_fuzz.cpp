// Raw bytes through the server's own connection handling (framing checks, header and body
// parsing, chunked decoding, keep-alive and pipelining, error answers) and the request pipeline
// (routing, body limits, content type, authentication, handlers), over an in-memory stream.
// Invariants: no crash or sanitizer report, the session ends, and every byte the server wrote
// starts an HTTP/1.1 response and is valid UTF-8 (invalid bytes are never echoed).
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "domain/error.hpp"
#include "http/pipeline.hpp"
#include "http/server.hpp"
#include "logging/logging.hpp"
#include "util/utf8.hpp"

namespace {

using namespace oms::http;

struct Fixture {
  Router router;
  Metrics metrics;
  RateLimiter limiter{0, 1};  // disabled: every input is independent
  std::unique_ptr<Pipeline> pipeline;
  ServerOptions options;

  Fixture() {
    oms::logging::init_logging("off", "fuzz");
    RouteOptions open;
    open.authenticated = false;
    RouteOptions json;
    json.json_body = true;
    json.max_body_bytes = 4096;
    router.add(
        Method::get, "/health", [](Request&) -> awaitable<Response> { co_return Response::json(200, "{}"); }, open);
    router.add(
        Method::post, "/echo",
        [](Request& r) -> awaitable<Response> {
          co_return Response::json(200, "{\"bytes\":" + std::to_string(r.body.size()) + "}");
        },
        open);
    router.add(
        Method::post, "/api/v1/things",
        [](Request& r) -> awaitable<Response> {
          if (r.body.find("boom") != std::string::npos)
            throw oms::domain::DomainError(oms::domain::ErrorCode::validation_error, "boom in " + r.body);
          co_return Response::json(201, "{\"ok\":true}");
        },
        json);
    router.add(
        Method::get, "/api/v1/things/{id}",
        [](Request& r) -> awaitable<Response> {
          throw oms::domain::DomainError(oms::domain::ErrorCode::not_found, "No thing " + r.path_param("id"));
          co_return Response{};
        },
        open);
    Authenticate authenticate = [](std::string token) -> awaitable<oms::domain::Principal> {
      if (token != "good") throw oms::domain::DomainError(oms::domain::ErrorCode::unauthenticated, "bad token");
      oms::domain::Principal p;
      p.user_id = "fuzz";
      co_return p;
    };
    TouchUser touch = [](const oms::domain::Principal&) -> awaitable<void> { co_return; };
    PipelineOptions po;
    po.max_body_bytes = 8192;
    pipeline = std::make_unique<Pipeline>(router, metrics, limiter, authenticate, touch, po);
    options.max_header_bytes = 2048;
  }
};

// The server wrote whole HTTP/1.1 answers and nothing a JSON parser or a log reader would
// choke on: every handler here answers ASCII or JSON, so all output must be valid UTF-8.
void check_output(std::string_view out) {
  if (!out.empty() && !out.starts_with("HTTP/1.1 ")) std::abort();
  if (!oms::util::is_valid_utf8(out)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Fixture fixture;
  boost::asio::io_context io;
  std::string input(reinterpret_cast<const char*>(data), size);
  auto run = serve_bytes(*fixture.pipeline, fixture.options, std::move(input));
  auto done = boost::asio::co_spawn(io, std::move(run), boost::asio::use_future);
  io.run();
  check_output(done.get());  // rethrows anything that escaped the session
  return 0;
}
