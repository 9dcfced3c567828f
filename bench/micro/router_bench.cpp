// Routing a request path to its handler among the API's routes (docs/openapi.yaml's paths, in
// the order api_routes.cpp registers them), for a route near the end of the table.
#include <benchmark/benchmark.h>

#include "http/router.hpp"
#include "http/target.hpp"

namespace {

using namespace oms;
using http::Method;

http::Router api_like_router() {
  http::Router router;
  http::Handler none = [](http::Request&) -> http::awaitable<http::Response> { co_return http::Response{}; };
  const std::pair<Method, const char*> routes[] = {
      {Method::get, "/health"},
      {Method::get, "/health/ready"},
      {Method::get, "/metrics"},
      {Method::get, "/api/v1/openapi.json"},
      {Method::get, "/api/v1/me"},
      {Method::get, "/api/v1/users"},
      {Method::get, "/api/v1/users/{id}"},
      {Method::patch, "/api/v1/users/{id}"},
      {Method::get, "/api/v1/customers"},
      {Method::post, "/api/v1/customers"},
      {Method::get, "/api/v1/customers/{id}"},
      {Method::get, "/api/v1/skills"},
      {Method::post, "/api/v1/skills"},
      {Method::get, "/api/v1/skills/{id}"},
      {Method::patch, "/api/v1/skills/{id}"},
      {Method::get, "/api/v1/opportunities"},
      {Method::post, "/api/v1/opportunities"},
      {Method::get, "/api/v1/opportunities/{id}"},
      {Method::patch, "/api/v1/opportunities/{id}"},
      {Method::put, "/api/v1/opportunities/{id}/problem-statement"},
      {Method::post, "/api/v1/opportunities/{id}/skill-requirements"},
      {Method::patch, "/api/v1/opportunities/{id}/skill-requirements/{requirement_id}"},
      {Method::del, "/api/v1/opportunities/{id}/skill-requirements/{requirement_id}"},
      {Method::put, "/api/v1/opportunities/{id}/timeline"},
      {Method::post, "/api/v1/opportunities/{id}/submit"},
      {Method::post, "/api/v1/opportunities/{id}/cancel"},
      {Method::post, "/api/v1/opportunities/{id}/reactivate"},
      {Method::post, "/api/v1/opportunities/{id}/status"},
      {Method::get, "/api/v1/opportunities/{id}/status-history"},
      {Method::get, "/api/v1/opportunities/{id}/changes"},
      {Method::get, "/api/v1/admin/audit"},
      {Method::get, "/api/v1/admin/audit/verify"},
      {Method::get, "/api/v1/admin/jobs"},
      {Method::get, "/api/v1/admin/jobs/{id}"},
      {Method::post, "/api/v1/admin/jobs/{id}/retry"},
  };
  for (const auto& [method, pattern] : routes) router.add(method, pattern, none);
  return router;
}

void route_match(benchmark::State& state) {
  const http::Router router = api_like_router();
  const std::string target = "/api/v1/opportunities/58ee227d-3882-4959-b5d5-24455d08fb46/status-history";
  for (auto _ : state) {
    auto segments = http::path_segments(target);
    benchmark::DoNotOptimize(router.match(Method::get, *segments));
  }
}
BENCHMARK(route_match);

}  // namespace
