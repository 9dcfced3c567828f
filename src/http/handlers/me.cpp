#include "http/handlers/me.hpp"

#include "http/handlers/representations.hpp"
#include "http/handlers/support.hpp"

namespace oms::http::handlers {
namespace {

awaitable<Response> get_me(app::Services& s, Request& req) {
  const app::Ctx ctx = make_ctx(req);
  auto task = s.users.me(ctx);
  const domain::User user = co_await std::move(task);
  co_return json_ok(to_json(user));
}

}  // namespace

void register_me_routes(Router& router, app::Services& services) {
  app::Services* s = &services;
  const RouteOptions read{.authenticated = true};
  router.add(
      Method::get, "/api/v1/me", [s](Request& r) { return get_me(*s, r); }, read);
}

}  // namespace oms::http::handlers
