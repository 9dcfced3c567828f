#include "http/handlers/opportunity_requirements.hpp"

#include "domain/validation.hpp"
#include "http/handlers/representations.hpp"
#include "http/handlers/support.hpp"
#include "http/json/reader.hpp"

namespace oms::http::handlers {
namespace {

using json::Need;

awaitable<Response> add_skill_requirement(app::Services& s, Request& req) {
  domain::Validator v;
  const std::string id = path_uuid(req, "id", v);
  app::SkillRequirementInput in;
  std::optional<std::string> reason;
  if (auto body = json::parse_object(req.body, v)) {
    json::ObjectReader r(*body, v);
    if (auto x = r.uuid("skill_id", Need::required)) in.skill_id = std::move(*x);
    if (auto x = r.enumeration<domain::Importance>("importance", Need::required)) in.importance = *x;
    if (auto x = r.enumeration<domain::Proficiency>("minimum_proficiency", Need::required)) in.minimum_proficiency = *x;
    reason = read_reason(r);
    r.finish();
  }
  v.throw_if_failed();
  const app::ExpectedVersion expected = expected_version(req);
  const app::Ctx ctx = make_ctx(req);
  auto task = s.opportunities.add_skill_requirement(ctx, id, std::move(in), std::move(reason), expected);
  const domain::SkillRequirement added = co_await std::move(task);
  co_return json_ok(to_json(added), 201);
}

awaitable<Response> update_skill_requirement(app::Services& s, Request& req) {
  domain::Validator v;
  const std::string id = path_uuid(req, "id", v);
  const std::string requirement_id = path_uuid(req, "requirement_id", v);
  app::SkillRequirementPatch patch;
  std::optional<std::string> reason;
  if (auto body = json::parse_object(req.body, v)) {
    json::ObjectReader r(*body, v);
    patch.importance = r.enumeration<domain::Importance>("importance", Need::optional);
    patch.minimum_proficiency = r.enumeration<domain::Proficiency>("minimum_proficiency", Need::optional);
    reason = read_reason(r);
    r.finish();
    if (!r.has("importance") && !r.has("minimum_proficiency"))
      v.add("body", "must change importance or minimum_proficiency");
  }
  v.throw_if_failed();
  const app::ExpectedVersion expected = expected_version(req);
  const app::Ctx ctx = make_ctx(req);
  auto task = s.opportunities.update_skill_requirement(ctx, id, requirement_id, patch, std::move(reason), expected);
  const domain::SkillRequirement updated = co_await std::move(task);
  co_return json_ok(to_json(updated));
}

awaitable<Response> remove_skill_requirement(app::Services& s, Request& req) {
  domain::Validator v;
  const std::string id = path_uuid(req, "id", v);
  const std::string requirement_id = path_uuid(req, "requirement_id", v);
  std::optional<std::string> reason;
  if (auto value = single_query(req, "reason", v)) {
    reason = std::string(*value);
    domain::check_reason(v, "reason", reason, false);
  }
  v.throw_if_failed();
  const app::ExpectedVersion expected = expected_version(req);
  const app::Ctx ctx = make_ctx(req);
  auto task = s.opportunities.remove_skill_requirement(ctx, id, requirement_id, std::move(reason), expected);
  co_await std::move(task);
  co_return Response::no_content();
}

}  // namespace

void register_opportunity_requirements_routes(Router& router, app::Services& services) {
  app::Services* s = &services;
  const RouteOptions read{.authenticated = true};
  const RouteOptions write{.authenticated = true, .json_body = true};
  router.add(
      Method::post, "/api/v1/opportunities/{id}/skill-requirements",
      [s](Request& r) { return add_skill_requirement(*s, r); }, write);
  router.add(
      Method::patch, "/api/v1/opportunities/{id}/skill-requirements/{requirement_id}",
      [s](Request& r) { return update_skill_requirement(*s, r); }, write);
  router.add(
      Method::del, "/api/v1/opportunities/{id}/skill-requirements/{requirement_id}",
      [s](Request& r) { return remove_skill_requirement(*s, r); }, read);
}

}  // namespace oms::http::handlers
