#include "http/handlers/opportunity_read.hpp"

#include "domain/policy.hpp"
#include "domain/validation.hpp"
#include "http/handlers/representations.hpp"
#include "http/handlers/support.hpp"
#include "http/json/reader.hpp"

namespace oms::http::handlers {
namespace {

using domain::Role;
using json::Need;

constexpr std::string_view k_collection = "/api/v1/opportunities";

std::optional<std::string> read_currency(json::ObjectReader& r) {
  const boost::json::value* value = r.find("currency");
  if (!value) return std::nullopt;
  if (!value->is_string()) {
    r.validator().add("currency", "must be a string");
    return std::nullopt;
  }
  const std::string_view text(value->get_string().data(), value->get_string().size());
  if (!domain::is_currency_code(text)) {
    r.validator().add("currency", "must be an ISO 4217 currency code (three upper-case letters, e.g. USD)");
    return std::nullopt;
  }
  return std::string(text);
}

struct SortSpec {
  app::SortField field;
  std::string_view name;
};
constexpr SortSpec k_sorts[] = {{app::SortField::created_at, "created_at"},
                                {app::SortField::updated_at, "updated_at"},
                                {app::SortField::priority, "priority"},
                                {app::SortField::title, "title"},
                                {app::SortField::expected_start_date, "expected_start_date"}};

void read_sort(const Request& req, app::OpportunityQuery& q, domain::Validator& v) {
  auto value = single_query(req, "sort", v);
  if (!value) return;
  std::string_view name = *value;
  const bool descending = name.starts_with('-');
  if (descending) name.remove_prefix(1);
  for (const auto& s : k_sorts) {
    if (s.name == name) {
      q.sort = s.field;
      q.descending = descending;
      return;
    }
  }
  v.add("sort",
        "must be one of created_at, updated_at, priority, title, expected_start_date, optionally prefixed by - "
        "for descending order");
}

app::OpportunityQuery read_query(const Request& req, domain::Validator& v) {
  app::OpportunityQuery q;
  for (std::string_view s : req.query_params("status")) {
    if (auto status = domain::parse_enum<domain::Status>(s))
      q.statuses.push_back(*status);
    else
      v.add("status", "must be one of " + json::enum_choices<domain::Status>());
  }
  q.priority = enum_query<domain::Priority>(req, "priority", v);
  q.customer_id = uuid_query(req, "customer_id", v);
  if (auto sm = single_query(req, "sales_manager_id", v)) {
    if (sm->empty() || sm->size() > k_max_user_id)
      v.add("sales_manager_id", "must be a user id of 1 to 255 characters");
    else
      q.sales_manager_id = std::string(*sm);
  }
  q.text = text_query(req, "query", v);
  q.created_from = timestamp_query(req, "created_from", v);
  q.created_to = timestamp_query(req, "created_to", v);
  if (q.created_from && q.created_to && *q.created_to < *q.created_from)
    v.add("created_to", "must not be before created_from");
  q.needs_attention = bool_query(req, "needs_attention", false, v);
  read_sort(req, q, v);
  q.page = page_request(req, v);
  return q;
}

void read_geographic(json::ObjectReader& g, domain::GeographicRequirements& out) {
  if (auto region = g.string("region", Need::required, 1, domain::k_region_max, true)) out.region = *region;
  if (auto b = g.boolean("requires_physical_presence", Need::required)) out.requires_physical_presence = *b;
  if (auto b = g.boolean("allows_remote_work", Need::required)) out.allows_remote_work = *b;
  g.finish();
}

awaitable<Response> list_opportunities(app::Services& s, Request& req) {
  domain::Validator v;
  const app::OpportunityQuery query = read_query(req, v);
  v.throw_if_failed();
  const app::Ctx ctx = make_ctx(req);
  auto task = s.opportunities.list(ctx, query);
  const app::Page<domain::Opportunity> page = co_await std::move(task);
  const auto write_item = [](json::Writer& w, const domain::Opportunity& o) { write(w, o, /*with_parts=*/false); };
  co_return json_ok(page_json(page, write_item));
}

awaitable<Response> create_opportunity(app::Services& s, Request& req) {
  domain::require_role(req.actor(), {Role::sales_manager, Role::admin});
  domain::Validator v;
  std::optional<app::IdempotencyKey> key = idempotency_key(req, v);
  app::CreateOpportunity in;
  if (auto body = json::parse_object(req.body, v)) {
    json::ObjectReader r(*body, v);
    if (auto x = r.string("title", Need::required, 1, domain::k_title_max, true)) in.title = std::move(*x);
    if (auto x = r.string("description", Need::required, 1, domain::k_description_max)) in.description = std::move(*x);
    if (auto x = r.uuid("customer_id", Need::required)) in.customer_id = std::move(*x);
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
  res.header("Location", std::string(k_collection) + "/" + created.value.id);
  if (created.replayed) res.header("Idempotent-Replayed", "true");
  co_return res;
}

awaitable<Response> get_opportunity(app::Services& s, Request& req) {
  domain::Validator v;
  const std::string id = path_uuid(req, "id", v);
  v.throw_if_failed();
  const app::Ctx ctx = make_ctx(req);
  auto task = s.opportunities.get(ctx, id);
  const domain::Opportunity o = co_await std::move(task);
  co_return opportunity_response(o);
}

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

void register_opportunity_routes(Router& router, app::Services& services) {
  app::Services* s = &services;
  const RouteOptions read{.authenticated = true};
  const RouteOptions write{.authenticated = true, .json_body = true};
  router.add(
      Method::get, "/api/v1/opportunities", [s](Request& r) { return list_opportunities(*s, r); }, read);
  router.add(
      Method::post, "/api/v1/opportunities", [s](Request& r) { return create_opportunity(*s, r); }, write);
  router.add(
      Method::get, "/api/v1/opportunities/{id}", [s](Request& r) { return get_opportunity(*s, r); }, read);
  router.add(
      Method::patch, "/api/v1/opportunities/{id}", [s](Request& r) { return update_opportunity(*s, r); }, write);
}

}  // namespace oms::http::handlers
