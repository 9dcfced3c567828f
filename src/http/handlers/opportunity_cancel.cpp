#include "http/handlers/opportunity_cancel.hpp"

#include "domain/validation.hpp"
#include "http/handlers/representations.hpp"
#include "http/handlers/support.hpp"
#include "http/json/reader.hpp"

namespace oms::http::handlers {
namespace {

using json::Need;

awaitable<Response> cancel(app::Services& s, Request& req) {
  domain::Validator v;
  const std::string id = path_uuid(req, "id", v);
  std::string reason;
  if (auto body = json::parse_object(req.body, v)) {
    json::ObjectReader r(*body, v);
    if (auto x = r.string("reason", Need::required, 1, domain::k_reason_max)) reason = std::move(*x);
    r.finish();
  }
  v.throw_if_failed();
  const app::ExpectedVersion expected = expected_version(req);
  const app::Ctx ctx = make_ctx(req);
  auto task = s.opportunities.cancel(ctx, id, std::move(reason), expected);
  const domain::Opportunity o = co_await std::move(task);
  co_return opportunity_response(o);
}

}  // namespace

void register_opportunity_cancel_routes(Router& router, app::Services& services) {
  app::Services* s = &services;
  // reactivate accepts an empty body; the handler checks the media type of a non-empty one.
  const RouteOptions optional_body{.authenticated = true};
  const RouteOptions write{.authenticated = true, .json_body = true};
  router.add(
      Method::post, "/api/v1/opportunities/{id}/cancel", [s](Request& r) { return cancel(*s, r); }, write);
  router.add(
      Method::post, "/api/v1/opportunities/{id}/reactivate",
      [s](Request& r) { return fieldless_transition(s->opportunities, r, &app::Opportunities::reactivate); },
      optional_body);
}

}  // namespace oms::http::handlers
