#pragma once
// The routes the service answers itself, outside the API handlers:
//   GET /health                 liveness, no dependencies: {"status":"ok"}
//   GET /health/ready           readiness: the database check, 503 when down or draining, with a
//                               coarse reason only (details are logged); the cache's state as a
//                               detail that never makes the service unready
//   GET /metrics                Prometheus text
//   GET /api/v1/openapi.json    docs/openapi.yaml as JSON (converted at build time)
#include <atomic>
#include <functional>
#include <string>

#include "http/metrics.hpp"
#include "http/router.hpp"
#include "storage/database.hpp"

namespace oms::http {

// Set when shutdown starts, so load balancers stop sending traffic while requests drain.
struct Readiness {
  std::atomic<bool> draining{false};
  // "up" or "down" for the cache, shown as checks.cache; never makes the service unready (a cache
  // outage only costs speed). Unset when there is no cache. Set before serving.
  std::function<std::string()> cache_state;
};

void register_builtin_routes(Router& router, storage::Database& db, Metrics& metrics, const Readiness& readiness);

// The embedded OpenAPI document as JSON text.
const std::string& openapi_json();

}  // namespace oms::http

namespace oms {
std::string_view embedded_openapi_json();  // generated at build time from docs/openapi.yaml
}
