#pragma once
// The internal listener: /metrics (and the health routes) on a port of its own, bound to the
// same address as the API. In the production profile the load balancer targets only the API
// port, and the public pipeline answers 404 for /metrics (PipelineOptions::internal_paths), so
// the scrape never leaves the task's network. `oms worker` can use the same class for the
// health and metrics port of its ECS health check.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <string>

#include "http/builtin_routes.hpp"
#include "http/metrics.hpp"
#include "http/pipeline.hpp"
#include "http/rate_limit.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "storage/database.hpp"

namespace oms::http {

class InternalListener {
 public:
  InternalListener(boost::asio::io_context& io, storage::Database& db, Metrics& metrics, const Readiness& readiness,
                   std::string address, unsigned short port);

  // Binds (throws std::system_error naming the address on failure); returns the port.
  unsigned short listen() { return server_.listen(); }
  void start() { server_.start(); }
  boost::asio::awaitable<void> shutdown(std::chrono::milliseconds grace) { return server_.shutdown(grace); }

 private:
  Router router_;
  RateLimiter limiter_{0, 1};  // disabled: the scrape is not a caller
  Pipeline pipeline_;
  Server server_;
};

}  // namespace oms::http
