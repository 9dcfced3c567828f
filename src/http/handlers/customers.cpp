#include "http/handlers/customers.hpp"

#include "domain/policy.hpp"
#include "domain/validation.hpp"
#include "http/handlers/representations.hpp"
#include "http/handlers/support.hpp"
#include "http/json/reader.hpp"

namespace oms::http::handlers {
namespace {

using domain::Role;
using json::Need;

constexpr std::string_view k_customers_path = "/api/v1/customers";
// Generous shape limits for the reader; domain::check_customer applies the exact rules below.
constexpr std::size_t k_text_max = 2048;

awaitable<Response> create_customer(app::Services& s, Request& req) {
  domain::Validator v;
  std::optional<app::IdempotencyKey> key = idempotency_key(req, v);
  app::CustomerInput in;
  if (auto body = json::parse_object(req.body, v)) {
    json::ObjectReader r(*body, v);
    in = read_customer(r);
  }
  v.throw_if_failed();
  const app::Ctx ctx = make_ctx(req);
  auto task = s.customers.create(ctx, std::move(in), std::move(key));
  const app::Created<domain::Customer> created = co_await std::move(task);
  Response res = with_etag(json_ok(to_json(created.value), 201), created.value.version);
  res.header("Location", std::string(k_customers_path) + "/" + created.value.id);
  if (created.replayed) res.header("Idempotent-Replayed", "true");
  co_return res;
}

awaitable<Response> list_customers(app::Services& s, Request& req) {
  domain::Validator v;
  std::optional<std::string> name_query = text_query(req, "query", v);
  const app::PageRequest page = page_request(req, v);
  v.throw_if_failed();
  const app::Ctx ctx = make_ctx(req);
  auto task = s.customers.list(ctx, std::move(name_query), page);
  const app::Page<domain::Customer> customers = co_await std::move(task);
  co_return json_ok(page_json(customers));
}

awaitable<Response> get_customer(app::Services& s, Request& req) {
  domain::Validator v;
  const std::string id = path_uuid(req, "id", v);
  v.throw_if_failed();
  const app::Ctx ctx = make_ctx(req);
  auto task = s.customers.get(ctx, id);
  const domain::Customer customer = co_await std::move(task);
  co_return with_etag(json_ok(to_json(customer)), customer.version);
}

// PATCH: only the fields present change; website, description and primary_contact may be null.
// The use case checks the resulting customer with domain::check_customer.
awaitable<Response> update_customer(app::Services& s, Request& req) {
  domain::Validator v;
  const std::string id = path_uuid(req, "id", v);
  app::CustomerPatch patch;
  if (auto body = json::parse_object(req.body, v)) {
    json::ObjectReader r(*body, v);
    patch.name = r.string("name", Need::optional, 1, k_text_max, true);
    patch.industry = r.string("industry", Need::optional, 1, k_text_max, true);
    patch.website = r.nullable_string("website", 1, k_text_max, true);
    patch.description = r.nullable_string("description", 0, domain::k_description_max);
    const boost::json::value* contact = r.find("primary_contact");
    if (contact && contact->is_null()) {
      patch.primary_contact = std::optional<domain::Contact>{};
    } else if (contact) {
      if (auto c = r.object("primary_contact", Need::required)) {
        domain::Contact p;
        if (auto x = c->string("name", Need::required, 1, k_text_max, true)) p.name = std::move(*x);
        if (auto x = c->string("email", Need::required, 0, k_text_max, true)) p.email = std::move(*x);
        if (auto x = c->string("phone", Need::required, 0, k_text_max, true)) p.phone = std::move(*x);
        c->finish();
        patch.primary_contact = std::optional<domain::Contact>{std::move(p)};
      }
    }
    patch.is_active = r.boolean("is_active", Need::optional);
    r.finish();
    if (r.size() == 0) v.add("body", "must change at least one field");
  }
  v.throw_if_failed();
  const app::ExpectedVersion expected = expected_version(req);
  const app::Ctx ctx = make_ctx(req);
  auto task = s.customers.update(ctx, id, std::move(patch), expected);
  const domain::Customer customer = co_await std::move(task);
  co_return with_etag(json_ok(to_json(customer)), customer.version);
}

}  // namespace

// Adds the problems of domain::check_customer for fields that have no problem reported yet, so a
// missing field is not reported twice.
void check_customer_rules(const domain::Customer& c, domain::Validator& v, std::string_view prefix) {
  domain::Validator rules;
  domain::check_customer(rules, c);
  for (const auto& e : rules.errors()) {
    const std::string field = std::string(prefix) + e.field;
    bool reported = false;
    for (const auto& existing : v.errors()) reported = reported || existing.field == field;
    if (!reported) v.add(field, e.message);
  }
}

app::CustomerInput read_customer(json::ObjectReader& r) {
  domain::Validator& v = r.validator();
  app::CustomerInput in;
  if (auto x = r.string("name", Need::required, 1, k_text_max, true)) in.name = std::move(*x);
  if (auto x = r.string("industry", Need::required, 1, k_text_max, true)) in.industry = std::move(*x);
  if (auto x = r.nullable_string("website", 1, k_text_max, true)) in.website = std::move(*x);
  if (auto x = r.nullable_string("description", 0, domain::k_description_max)) in.description = std::move(*x);
  const boost::json::value* contact = r.find("primary_contact");
  if (contact && !contact->is_null()) {
    if (auto c = r.object("primary_contact", Need::required)) {
      domain::Contact p;
      if (auto x = c->string("name", Need::required, 1, k_text_max, true)) p.name = std::move(*x);
      if (auto x = c->string("email", Need::required, 0, k_text_max, true)) p.email = std::move(*x);
      if (auto x = c->string("phone", Need::required, 0, k_text_max, true)) p.phone = std::move(*x);
      c->finish();
      in.primary_contact = std::move(p);
    }
  }
  r.finish();
  domain::Customer shape;
  shape.name = in.name;
  shape.industry = in.industry;
  shape.website = in.website;
  shape.description = in.description;
  shape.primary_contact = in.primary_contact;
  check_customer_rules(shape, v, r.path(""));
  return in;
}

void register_customer_routes(Router& router, app::Services& services) {
  app::Services* s = &services;
  const RouteOptions read_sm_admin{.authenticated = true, .roles = {domain::Role::sales_manager, domain::Role::admin}};
  const RouteOptions write_sm_admin{
      .authenticated = true, .json_body = true, .roles = {domain::Role::sales_manager, domain::Role::admin}};
  router.add(
      Method::post, "/api/v1/customers", [s](Request& r) { return create_customer(*s, r); }, write_sm_admin);
  router.add(
      Method::get, "/api/v1/customers", [s](Request& r) { return list_customers(*s, r); }, read_sm_admin);
  router.add(
      Method::get, "/api/v1/customers/{id}", [s](Request& r) { return get_customer(*s, r); }, read_sm_admin);
  router.add(
      Method::patch, "/api/v1/customers/{id}", [s](Request& r) { return update_customer(*s, r); }, write_sm_admin);
}

}  // namespace oms::http::handlers
