#include "http/builtin_routes.hpp"

#include <boost/json.hpp>

#include "logging/logging.hpp"

namespace oms::http {

const std::string& openapi_json() {
  static const std::string json(embedded_openapi_json());
  return json;
}

void register_builtin_routes(Router& router, storage::Database& db, Metrics& metrics, const Readiness& readiness) {
  RouteOptions open;
  open.authenticated = false;

  router.add(
      Method::get, "/health",
      [](Request&) -> awaitable<Response> { co_return Response::json(200, R"({"status":"ok"})"); }, open);

  router.add(
      Method::get, "/health/ready",
      [&db, &readiness](Request&) -> awaitable<Response> {
        boost::json::object database;
        std::string error;
        try {
          error = co_await db.check();
        } catch (const std::exception& e) {
          error = e.what();
          if (error.empty()) error = "check failed";
        }
        // The probe needs no token: strangers learn ready or not and a coarse reason; the
        // error itself (host, port, driver text) goes to the log only.
        if (!error.empty()) logging::log_warn("readiness: database check failed: " + error);
        database["status"] = error.empty() ? "up" : "down";
        const bool draining = readiness.draining.load();
        boost::json::object body;
        body["status"] = draining ? "draining" : (error.empty() ? "ready" : "not_ready");
        if (draining) {
          body["reason"] = "draining";
        } else if (!error.empty()) {
          body["reason"] = "database_unavailable";
        }
        boost::json::object checks{{"database", std::move(database)}};
        if (readiness.cache_state) checks["cache"] = boost::json::object{{"status", readiness.cache_state()}};
        body["checks"] = std::move(checks);
        co_return Response::json(draining || !error.empty() ? 503 : 200, boost::json::serialize(body));
      },
      open);

  router.add(
      Method::get, "/metrics",
      [&db, &metrics](Request&) -> awaitable<Response> {
        Response r;
        r.content_type = "text/plain; version=0.0.4; charset=utf-8";
        r.body = metrics.render(db.pool_stats());
        co_return r;
      },
      open);

  router.add(
      Method::get, "/api/v1/openapi.json",
      [](Request&) -> awaitable<Response> { co_return Response::json(200, openapi_json()); }, open);
}

}  // namespace oms::http
