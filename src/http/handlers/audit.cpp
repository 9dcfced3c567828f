#include "http/handlers/audit.hpp"

#include <algorithm>
#include <array>

#include "domain/policy.hpp"
#include "http/handlers/representations.hpp"
#include "http/handlers/support.hpp"

namespace oms::http::handlers {
namespace {

using domain::Role;

constexpr std::array<std::string_view, 6> k_entity_types{"opportunity", "skill", "customer",
                                                         "user",        "job",   "data_subject"};

std::optional<std::string> id_query(const Request& req, std::string_view name, domain::Validator& v) {
  auto value = single_query(req, name, v);
  if (!value) return std::nullopt;
  if (value->empty() || value->size() > k_max_user_id) {
    v.add(std::string(name), "must be an id of 1 to 255 characters");
    return std::nullopt;
  }
  return std::string(*value);
}

app::AuditQuery read_audit_query(const Request& req, domain::Validator& v) {
  app::AuditQuery q;
  if (auto type = single_query(req, "entity_type", v)) {
    if (std::find(k_entity_types.begin(), k_entity_types.end(), *type) != k_entity_types.end())
      q.entity_type = std::string(*type);
    else
      v.add("entity_type", "must be one of opportunity, skill, customer, user, job, data_subject");
  }
  q.entity_id = id_query(req, "entity_id", v);
  q.actor_id = id_query(req, "actor_id", v);
  q.from = timestamp_query(req, "from", v);
  q.to = timestamp_query(req, "to", v);
  if (q.from && q.to && *q.to < *q.from) v.add("to", "must not be before from");
  q.page = page_request(req, v);
  return q;
}

awaitable<Response> list_audit(app::Services& s, Request& req) {
  domain::Validator v;
  const app::AuditQuery query = read_audit_query(req, v);
  v.throw_if_failed();
  const app::Ctx ctx = make_ctx(req);
  auto task = s.audit.list(ctx, query);
  const app::Page<domain::AuditEntry> entries = co_await std::move(task);
  co_return json_ok(page_json(entries));
}

awaitable<Response> verify_audit(app::Services& s, Request& req) {
  const app::Ctx ctx = make_ctx(req);
  auto task = s.audit.verify(ctx);
  const app::AuditVerification result = co_await std::move(task);
  co_return json_ok(to_json(result));
}

}  // namespace

void register_audit_routes(Router& router, app::Services& services) {
  app::Services* s = &services;
  const RouteOptions read_admin{.authenticated = true, .roles = {domain::Role::admin}};
  router.add(
      Method::get, "/api/v1/admin/audit", [s](Request& r) { return list_audit(*s, r); }, read_admin);
  router.add(
      Method::get, "/api/v1/admin/audit/verify", [s](Request& r) { return verify_audit(*s, r); }, read_admin);
}

}  // namespace oms::http::handlers
