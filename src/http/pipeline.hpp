#pragma once
// What happens to every request between the socket and the handler, free of Beast so it can be
// unit tested: request id, routing (404/405, HEAD as GET), body limit and JSON content type,
// authentication (401 with WWW-Authenticate), rate limiting (429 with Retry-After and
// X-RateLimit-*), recording the user (users.touch, 403 when deactivated), the handler, error
// mapping (problem+json), security headers, metrics and the access log. handle() never throws.
#include <chrono>
#include <functional>
#include <string>

#include "domain/entities.hpp"
#include "domain/error.hpp"
#include "http/metrics.hpp"
#include "http/rate_limit.hpp"
#include "http/router.hpp"

namespace oms::http {

// Verifies a bearer token; throws DomainError(UNAUTHENTICATED).
using Authenticate = std::function<awaitable<domain::Principal>(std::string token)>;
// Records the caller (and refuses deactivated users with DomainError(FORBIDDEN)).
using TouchUser = std::function<awaitable<void>(const domain::Principal&)>;

struct PipelineOptions {
  std::size_t max_body_bytes = 1024 * 1024;
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
  void finish(Request& request, Response& response, std::string_view route, const std::string& client_ip,
              std::chrono::steady_clock::time_point started);

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
