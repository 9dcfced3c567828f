#include "http/handlers/opportunity_modify.hpp"

#include "domain/validation.hpp"
#include "http/handlers/representations.hpp"
#include "http/handlers/support.hpp"
#include "http/json/reader.hpp"

namespace oms::http::handlers {
namespace {

using json::Need;

awaitable<Response> update_opportunity(app::Services& s, Request& req) {
  domain::Validator v;
  const std::string id = path_uuid(req, "id", v);
  app::OpportunityPatch patch;
  if (auto body = json::parse_object(req.body, v)) {
    json::ObjectReader r(*body, v);
    patch.title = r.string("title", Need::optional, 1, domain::k_title_max, true);
    patch.description = r.string("description", Need::optional, 1, domain::k_description_max);
    patch.customer_id = r.uuid("customer_id", Need::optional);
    patch.priority = r.enumeration<domain::Priority>("priority", Need::optional);
    patch.arr_cents = r.money("annual_recurring_revenue", Need::optional);
    patch.currency = read_currency(r);
    if (auto g = r.object("geographic_requirements", Need::optional)) {
      app::GeographicPatch geo;
      geo.region = g->string("region", Need::optional, 1, domain::k_region_max, true);
      geo.requires_physical_presence = g->boolean("requires_physical_presence", Need::optional);
      geo.allows_remote_work = g->boolean("allows_remote_work", Need::optional);
      if (g->size() == 0) v.add("geographic_requirements", "must change at least one field");
      g->finish();
      patch.geographic_requirements = std::move(geo);
    }
    patch.reason = r.string("reason", Need::optional, 1, domain::k_reason_max);
    r.finish();
    const bool changes_something = r.size() > (r.has("reason") ? 1u : 0u);
    if (!changes_something) v.add("body", "must change at least one field");
  }
  v.throw_if_failed();
  const app::ExpectedVersion expected = expected_version(req);
  const app::Ctx ctx = make_ctx(req);
  auto task = s.opportunities.update(ctx, id, std::move(patch), expected);
  const domain::Opportunity o = co_await std::move(task);
  co_return opportunity_response(o);
}

}  // namespace

void register_opportunity_modify_routes(Router& router, app::Services& services) {
  app::Services* s = &services;
  const RouteOptions read{.authenticated = true};
  const RouteOptions write{.authenticated = true, .json_body = true};
  router.add(
      Method::patch, "/api/v1/opportunities/{id}", [s](Request& r) { return update_opportunity(*s, r); }, write);
  router.add(
      Method::get, "/api/v1/opportunities/{id}/changes",
      [s](Request& r) { return history(s->opportunities, r, &app::Opportunities::changes); }, read);
}

}  // namespace oms::http::handlers
