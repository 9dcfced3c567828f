#pragma once
// What happens to every request between the socket and the handler, free of Beast so it can be
// unit tested: request id, routing (404/405, HEAD as GET), body limit and JSON content type,
// authentication (401 with WWW-Authenticate), rate limiting (429 with Retry-After and
// X-RateLimit-*), recording the user (users.touch, 403 when deactivated), the handler, error
// mapping (problem+json), security headers, metrics and the access log. handle() never throws.
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "domain/entities.hpp"
#include "domain/error.hpp"
#include "http/metrics.hpp"
#include "http/rate_limit.hpp"
#include "http/router.hpp"
#include "tracing/trace_header.hpp"

namespace oms::tracing {
class Span;
class Trace;
class Tracer;
}  // namespace oms::tracing

namespace oms::http {

// Verifies a bearer token; throws DomainError(UNAUTHENTICATED).
using Authenticate = std::function<awaitable<domain::Principal>(std::string token)>;
// Records the caller (and refuses deactivated users with DomainError(FORBIDDEN)).
using TouchUser = std::function<awaitable<void>(const domain::Principal&)>;

struct PipelineOptions {
  std::size_t max_body_bytes = 1024 * 1024;
  // Sends the X-Ray segments of sampled requests; null: no segments (trace ids are still taken
  // from traceparent / X-Amzn-Trace-Id or made, returned in both headers and logged).
  tracing::Tracer* tracer = nullptr;
  // Paths this listener answers 404 for although a route exists: served on the internal port
  // only (InternalListener), e.g. "/metrics" on the public port in the production profile.
  std::vector<std::string> internal_paths;
};

class Pipeline {
 public:
  Pipeline(const Router& router, Metrics& metrics, RateLimiter& limiter, Authenticate authenticate, TouchUser touch,
           PipelineOptions options = {});

  // The body limit for a request, known from its header (route option or the default); `path` is
  // the raw (still-encoded) path of the target.
  std::size_t body_limit(Method method, std::string_view path) const;

  // request.target, headers and body must be set; path and query are parsed here.
  awaitable<Response> handle(Request& request, std::string client_ip);

  // An error found before the request reached the pipeline (header too large, body too large,
  // malformed request), answered, measured and logged like any other response.
  Response reject(Request& request, const std::string& client_ip, domain::ErrorCode code, std::string_view detail);

 private:
  struct RequestTrace {
    tracing::TraceContext context;          // trace id (X-Ray form), the caller's parent and decision
    std::string segment_id;                 // this service's segment, named in the response headers
    std::unique_ptr<tracing::Trace> trace;  // set when the request is sampled
    RequestTrace();
    RequestTrace(RequestTrace&&) noexcept;
    ~RequestTrace();
    tracing::Span span() const;
  };
  RequestTrace begin_trace(const Request& request, const std::string& client_ip);
  void end_trace(RequestTrace& trace, const Request& request, const Response& response, std::string_view route);
  awaitable<Response> dispatch(Request& request, std::string client_ip, std::string& route_label,
                               const std::string& trace_id);
  void finish(Request& request, Response& response, std::string_view route, const std::string& client_ip,
              std::chrono::steady_clock::time_point started, RequestTrace& trace);

  const Router& router_;
  Metrics& metrics_;
  RateLimiter& limiter_;
  Authenticate authenticate_;
  TouchUser touch_;
  PipelineOptions options_;
};

// "application/json" with at most a "charset=utf-8" parameter (case-insensitive).
bool is_json_content_type(std::string_view content_type);

}  // namespace oms::http
