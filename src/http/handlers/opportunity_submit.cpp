#include "http/handlers/opportunity_submit.hpp"

#include "http/handlers/representations.hpp"
#include "http/handlers/support.hpp"

namespace oms::http::handlers {
namespace {

// The path id, an empty body and If-Match.
awaitable<Response> submit(app::Services& s, Request& req) {
  domain::Validator v;
  const std::string id = path_uuid(req, "id", v);
  read_empty_body(req, v);
  v.throw_if_failed();
  const app::ExpectedVersion expected = expected_version(req);
  const app::Ctx ctx = make_ctx(req);
  auto task = s.opportunities.submit(ctx, id, expected);
  const domain::Opportunity o = co_await std::move(task);
  co_return opportunity_response(o);
}

}  // namespace

void register_opportunity_submit_routes(Router& router, app::Services& services) {
  app::Services* s = &services;
  // submit accepts an empty body; the handler checks the media type of a non-empty one.
  const RouteOptions optional_body{.authenticated = true};
  router.add(
      Method::post, "/api/v1/opportunities/{id}/submit", [s](Request& r) { return submit(*s, r); }, optional_body);
}

}  // namespace oms::http::handlers
