#include "http/handlers/opportunity_status.hpp"

#include "domain/validation.hpp"
#include "http/handlers/representations.hpp"
#include "http/handlers/support.hpp"
#include "http/json/reader.hpp"

namespace oms::http::handlers {
namespace {

using json::Need;

constexpr std::size_t k_note_max = domain::k_reason_max;
constexpr std::size_t k_architect_id_max = k_max_user_id;

awaitable<Response> transition(app::Services& s, Request& req) {
  domain::Validator v;
  const std::string id = path_uuid(req, "id", v);
  app::SystemTransition in;
  if (auto body = json::parse_object(req.body, v)) {
    json::ObjectReader r(*body, v);
    if (auto x = r.enumeration<domain::Status>("status", Need::required)) in.status = *x;
    in.note = r.string("note", Need::optional, 1, k_note_max);
    in.selected_architect_id = r.string("selected_architect_id", Need::optional, 1, k_architect_id_max, true);
    r.finish();
    if (in.status == domain::Status::architect_selected && !r.has("selected_architect_id"))
      v.add("selected_architect_id", "is required when status is ARCHITECT_SELECTED");
  }
  v.throw_if_failed();
  const app::ExpectedVersion expected = expected_version(req);
  const app::Ctx ctx = make_ctx(req);
  auto task = s.opportunities.transition(ctx, id, std::move(in), expected);
  const domain::Opportunity o = co_await std::move(task);
  co_return opportunity_response(o);
}

}  // namespace

void register_opportunity_status_routes(Router& router, app::Services& services) {
  app::Services* s = &services;
  const RouteOptions read{.authenticated = true};
  const RouteOptions write{.authenticated = true, .json_body = true};
  router.add(
      Method::post, "/api/v1/opportunities/{id}/status", [s](Request& r) { return transition(*s, r); }, write);
  router.add(
      Method::get, "/api/v1/opportunities/{id}/status-history",
      [s](Request& r) { return history(s->opportunities, r, &app::Opportunities::status_history); }, read);
}

}  // namespace oms::http::handlers
