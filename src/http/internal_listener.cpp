#include "http/internal_listener.hpp"

namespace oms::http {
namespace {

ServerOptions internal_server_options(std::string address, unsigned short port) {
  ServerOptions o;
  o.address = std::move(address);
  o.port = port;
  return o;
}

}  // namespace

InternalListener::InternalListener(boost::asio::io_context& io, storage::Database& db, Metrics& metrics,
                                   const Readiness& readiness, std::string address, unsigned short port)
    : pipeline_(router_, metrics, limiter_, Authenticate{}, TouchUser{}),
      server_(io, pipeline_, internal_server_options(std::move(address), port)) {
  // Only unauthenticated built-in routes are registered, so no Authenticate is needed.
  register_builtin_routes(router_, db, metrics, readiness);
}

}  // namespace oms::http
