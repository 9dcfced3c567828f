#include "http/pipeline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>

#include "domain/error.hpp"
#include "domain/policy.hpp"
#include "http/problem.hpp"
#include "http/request_id.hpp"
#include "http/target.hpp"
#include "logging/logging.hpp"
#include "tracing/context.hpp"
#include "tracing/tracer.hpp"
#include "util/encoding.hpp"

namespace oms::http {
namespace {

using domain::DomainError;
using domain::ErrorCode;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<std::string> bearer_token(const Request& r) {
  auto h = r.header("authorization");
  if (!h) return std::nullopt;
  std::string_view v = trim(*h);
  if (v.size() < 7 || util::to_lower_ascii(v.substr(0, 7)) != "bearer ") return std::nullopt;
  v = trim(v.substr(7));
  if (v.empty()) return std::nullopt;
  return std::string(v);
}

constexpr std::size_t k_max_traced_url = 2000;

bool has_body_method(Method m) { return m == Method::post || m == Method::put || m == Method::patch; }

std::string allow_header(const std::vector<Method>& allowed) {
  std::string out;
  for (Method m : allowed) {
    if (!out.empty()) out += ", ";
    out += method_name(m);
  }
  return out;
}

void add_rate_headers(Response& r, const RateLimitDecision& d) {
  r.header("X-RateLimit-Limit", std::to_string(d.limit));
  r.header("X-RateLimit-Remaining", std::to_string(d.remaining));
  r.header("X-RateLimit-Reset", std::to_string(d.reset));
}

}  // namespace

bool is_json_content_type(std::string_view content_type) {
  const std::string ct = util::to_lower_ascii(content_type);
  std::string_view v = ct;
  auto semi = v.find(';');
  if (trim(v.substr(0, semi)) != "application/json") return false;
  if (semi == std::string_view::npos) return true;
  std::string_view param = trim(v.substr(semi + 1));
  if (param.empty()) return true;
  std::string compact;
  for (char c : param)
    if (c != ' ' && c != '"') compact += c;
  return compact == "charset=utf-8";
}

Pipeline::Pipeline(const Router& router, Metrics& metrics, RateLimiter& limiter, Authenticate authenticate,
                   TouchUser touch, PipelineOptions options)
    : router_(router),
      metrics_(metrics),
      limiter_(limiter),
      authenticate_(std::move(authenticate)),
      touch_(std::move(touch)),
      options_(std::move(options)) {}

std::size_t Pipeline::body_limit(Method method, std::string_view path) const {
  const auto segments = path_segments(path);
  if (!segments) return options_.max_body_bytes;  // refused as a bad target later
  auto m = router_.match(method, *segments);
  if (m.route != nullptr && m.route->options.max_body_bytes > 0) return m.route->options.max_body_bytes;
  return options_.max_body_bytes;
}

awaitable<Response> Pipeline::handle(Request& request, std::string client_ip) {
  const auto started = std::chrono::steady_clock::now();
  if (request.request_id.empty()) request.request_id = request_id_for(request);
  RequestTrace trace = begin_trace(request, client_ip);
  std::string route_label = "unmatched";
  // The handler runs under the request's segment, so database work records its subsegments.
  auto body = dispatch(request, client_ip, route_label, trace.context.trace_id);
  Response response = co_await tracing::with_span(trace.span(), std::move(body));
  finish(request, response, route_label, client_ip, started, trace);
  co_return response;
}

awaitable<Response> Pipeline::dispatch(Request& request, std::string client_ip, std::string& route_label,
                                       const std::string& trace_id) {
  Response response;
  std::exception_ptr failure;
  std::optional<RateLimitDecision> rate;
  try {
    if (!parse_target(request.target, request))
      throw DomainError(ErrorCode::validation_error, "The request target is not a valid path.");
    if (std::find(options_.internal_paths.begin(), options_.internal_paths.end(), request.path) !=
        options_.internal_paths.end())
      throw DomainError(ErrorCode::not_found, "No resource at " + request.path + ".");
    const RouteMatch match = router_.match(request.method, request.segments);
    if (match.route == nullptr) {
      if (match.allowed.empty()) throw DomainError(ErrorCode::not_found, "No resource at " + request.path + ".");
      response =
          problem_response(ErrorCode::method_not_allowed,
                           fmt::format("{} is not allowed here.", method_name(request.method)), request.request_id);
      response.header("Allow", allow_header(match.allowed));
    } else {
      const Route& route = *match.route;
      route_label = route.pattern;
      request.path_params = match.path_params;
      const std::size_t limit =
          route.options.max_body_bytes > 0 ? route.options.max_body_bytes : options_.max_body_bytes;
      if (request.body.size() > limit)
        throw DomainError(ErrorCode::payload_too_large, fmt::format("The body exceeds {} bytes.", limit));
      if (route.options.json_body && has_body_method(request.method) && !request.body.empty()) {
        auto ct = request.header("content-type");
        if (!ct || !is_json_content_type(*ct))
          throw DomainError(ErrorCode::unsupported_media_type, "The body must be application/json (UTF-8).");
      }
      if (route.options.authenticated) {
        auto token = bearer_token(request);
        if (!token) throw DomainError(ErrorCode::unauthenticated, "A bearer token is required.");
        domain::Principal principal = co_await authenticate_(std::move(*token));
        request.principal = std::move(principal);
      }
      // Rate limiting covers the API, not the probes and the metrics scrape.
      if (limiter_.enabled() && request.path.starts_with("/api/")) {
        const std::string key = request.principal ? "user:" + request.principal->user_id : "ip:" + client_ip;
        rate = limiter_.take(key, RateLimiter::Clock::now());
        if (!rate->allowed) throw DomainError(ErrorCode::rate_limited, "Too many requests; slow down.");
      }
      if (request.principal && touch_) co_await touch_(*request.principal);
      if (!route.options.roles.empty() && request.principal)
        domain::require_role(*request.principal, route.options.roles);
      response = co_await route.handler(request);
    }
  } catch (...) {
    failure = std::current_exception();
  }
  if (failure) {
    auto mapped = problem_from_exception(failure, request.request_id);
    response = std::move(mapped.response);
    if (!mapped.log_message.empty())
      logging::log_error(fmt::format("{} {} failed: {}", method_name(request.method), request.path, mapped.log_message),
                         request.request_id, trace_id);
  }
  if (rate) {
    add_rate_headers(response, *rate);
    if (!rate->allowed) response.header("Retry-After", std::to_string(rate->retry_after));
  }
  co_return response;
}

Response Pipeline::reject(Request& request, const std::string& client_ip, ErrorCode code, std::string_view detail) {
  const auto started = std::chrono::steady_clock::now();
  if (request.request_id.empty()) request.request_id = request_id_for(request);
  RequestTrace trace = begin_trace(request, client_ip);
  Response response = problem_response(code, detail, request.request_id);
  finish(request, response, "unmatched", client_ip, started, trace);
  return response;
}

Pipeline::RequestTrace::RequestTrace() = default;
Pipeline::RequestTrace::RequestTrace(RequestTrace&&) noexcept = default;
Pipeline::RequestTrace::~RequestTrace() = default;

tracing::Span Pipeline::RequestTrace::span() const { return trace ? trace->segment() : tracing::Span{}; }

// The request's trace: its id from `traceparent` or `X-Amzn-Trace-Id` (or a new one), and, when
// sampled, the X-Ray segment that the handler's work is recorded under.
Pipeline::RequestTrace Pipeline::begin_trace(const Request& request, const std::string& client_ip) {
  RequestTrace t;
  if (auto incoming = trace_context_for(request)) t.context = std::move(*incoming);
  if (t.context.trace_id.empty()) t.context.trace_id = tracing::new_trace_id(std::chrono::system_clock::now());
  if (options_.tracer != nullptr && options_.tracer->sample(t.context.sampled)) {
    t.trace = options_.tracer->start("oms", t.context);
    if (t.trace) {
      const tracing::Span segment = t.trace->segment();
      boost::json::object http_request;
      http_request["method"] = boost::json::string(method_name(request.method));
      const auto host = request.header("host");
      const auto proto = request.header("x-forwarded-proto");
      http_request["url"] = std::string(proto ? *proto : "http") + "://" + std::string(host ? *host : "oms") +
                            request.target.substr(0, k_max_traced_url);
      http_request["client_ip"] = client_ip;
      if (auto agent = request.header("user-agent"))
        http_request["user_agent"] = boost::json::string(agent->substr(0, 256));
      segment.set("http", "request", std::move(http_request));
      segment.annotate("request_id", boost::json::string(request.request_id));
    }
  }
  t.segment_id = t.trace ? t.trace->segment_id() : tracing::new_span_id();
  return t;
}

void Pipeline::end_trace(RequestTrace& t, const Request& request, const Response& response, std::string_view route) {
  if (!t.trace) return;
  const tracing::Span segment = t.trace->segment();
  boost::json::object http_response;
  http_response["status"] = response.status;
  http_response["content_length"] = response.body_size();
  segment.set("http", "response", std::move(http_response));
  if (response.status == 429) segment.mark_throttle();
  if (response.status >= 400 && response.status < 500) segment.mark_error();
  if (response.status >= 500) segment.mark_fault();
  segment.annotate("route", boost::json::string(route));
  if (request.principal) segment.annotate("role", boost::json::string(domain::to_string(request.principal->role)));
  options_.tracer->finish(*t.trace);
}

void Pipeline::finish(Request& request, Response& response, std::string_view route, const std::string& client_ip,
                      std::chrono::steady_clock::time_point started, RequestTrace& trace) {
  response.header("X-Request-Id", request.request_id);
  const bool sampled = trace.trace != nullptr;
  response.header("X-Amzn-Trace-Id", tracing::format_amzn_trace_id(trace.context.trace_id, trace.segment_id, sampled));
  response.header("traceparent", tracing::format_traceparent(trace.context.trace_id, trace.segment_id, sampled));
  response.header("X-Content-Type-Options", "nosniff");
  if (request.path.starts_with("/api/v1")) response.header("Cache-Control", "no-store");
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  metrics_.observe(route, request.method, response.status, seconds);
  end_trace(trace, request, response, route);
  logging::AccessRecord rec;
  rec.request_id = request.request_id;
  rec.trace_id = trace.context.trace_id;
  rec.method = method_name(request.method);
  rec.path = request.path;
  rec.route = route;
  rec.status = response.status;
  rec.duration_ms = seconds * 1000.0;
  rec.response_bytes = response.body_size();
  rec.client_ip = client_ip;
  if (request.principal) rec.user_id = request.principal->user_id;
  logging::log_access(rec);
}

}  // namespace oms::http
