#include "http/handlers/opportunity_create.hpp"

#include "domain/validation.hpp"
#include "http/handlers/customers.hpp"
#include "http/handlers/representations.hpp"
#include "http/handlers/support.hpp"
#include "http/json/reader.hpp"

namespace oms::http::handlers {
namespace {

using domain::Role;
using json::Need;

constexpr std::string_view k_opportunities_path = "/api/v1/opportunities";

void read_geographic(json::ObjectReader& g, domain::GeographicRequirements& out) {
  if (auto region = g.string("region", Need::required, 1, domain::k_region_max, true)) out.region = *region;
  if (auto b = g.boolean("requires_physical_presence", Need::required)) out.requires_physical_presence = *b;
  if (auto b = g.boolean("allows_remote_work", Need::required)) out.allows_remote_work = *b;
  g.finish();
}

awaitable<Response> create_opportunity(app::Services& s, Request& req) {
  domain::Validator v;
  std::optional<app::IdempotencyKey> key = idempotency_key(req, v);
  app::CreateOpportunity in;
  if (auto body = json::parse_object(req.body, v)) {
    json::ObjectReader r(*body, v);
    if (auto x = r.string("title", Need::required, 1, domain::k_title_max, true)) in.title = std::move(*x);
    if (auto x = r.string("description", Need::required, 1, domain::k_description_max)) in.description = std::move(*x);
    // The customer: an existing one by id, or a new one created in the same transaction.
    if (r.find("customer") != nullptr) {
      if (r.find("customer_id") != nullptr) v.add("customer", "send either customer_id or customer, not both");
      if (auto c = r.object("customer", Need::required)) in.customer = read_customer(*c);
    } else if (auto x = r.uuid("customer_id", Need::required)) {
      in.customer_id = std::move(*x);
    }
    if (auto x = r.enumeration<domain::Priority>("priority", Need::required)) in.priority = *x;
    if (auto x = r.money("annual_recurring_revenue", Need::required)) in.arr_cents = *x;
    if (auto x = read_currency(r)) in.currency = std::move(*x);
    if (auto g = r.object("geographic_requirements", Need::required)) read_geographic(*g, in.geographic_requirements);
    r.finish();
  }
  v.throw_if_failed();
  const app::Ctx ctx = make_ctx(req);
  auto task = s.opportunities.create(ctx, std::move(in), std::move(key));
  const app::Created<domain::Opportunity> created = co_await std::move(task);
  Response res = opportunity_response(created.value, 201);
  res.header("Location", std::string(k_opportunities_path) + "/" + created.value.id);
  if (created.replayed) res.header("Idempotent-Replayed", "true");
  co_return res;
}

}  // namespace

void register_opportunity_create_routes(Router& router, app::Services& services) {
  app::Services* s = &services;
  const RouteOptions write_sm_admin{
      .authenticated = true, .json_body = true, .roles = {domain::Role::sales_manager, domain::Role::admin}};
  router.add(
      Method::post, "/api/v1/opportunities", [s](Request& r) { return create_opportunity(*s, r); }, write_sm_admin);
}

}  // namespace oms::http::handlers
