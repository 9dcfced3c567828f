#include "http/handlers/opportunity_describe.hpp"

#include "domain/validation.hpp"
#include "http/handlers/representations.hpp"
#include "http/handlers/support.hpp"
#include "http/json/reader.hpp"

namespace oms::http::handlers {
namespace {

using json::Need;

std::optional<std::string> read_reason(json::ObjectReader& r) {
  return r.string("reason", Need::optional, 1, domain::k_reason_max);
}

awaitable<Response> put_problem_statement(app::Services& s, Request& req) {
  domain::Validator v;
  const std::string id = path_uuid(req, "id", v);
  std::string content;
  std::optional<std::string> reason;
  if (auto body = json::parse_object(req.body, v)) {
    json::ObjectReader r(*body, v);
    if (auto x = r.string("content", Need::required, domain::k_problem_statement_min, domain::k_problem_statement_max))
      content = std::move(*x);
    reason = read_reason(r);
    r.finish();
  }
  v.throw_if_failed();
  const app::ExpectedVersion expected = expected_version(req);
  const app::Ctx ctx = make_ctx(req);
  auto task = s.opportunities.put_problem_statement(ctx, id, std::move(content), std::move(reason), expected);
  const domain::Opportunity o = co_await std::move(task);
  co_return opportunity_response(o);
}

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

awaitable<Response> put_timeline(app::Services& s, Request& req) {
  domain::Validator v;
  const std::string id = path_uuid(req, "id", v);
  domain::Timeline timeline;
  std::optional<std::string> reason;
  if (auto body = json::parse_object(req.body, v)) {
    json::ObjectReader r(*body, v);
    const auto start = r.date("expected_start_date", Need::required);
    const auto end = r.date("expected_end_date", Need::required);
    auto days = r.date_array("specific_required_days", Need::optional);
    const auto flexible = r.boolean("is_flexible", Need::required);
    reason = read_reason(r);
    r.finish();
    if (start) timeline.expected_start_date = *start;
    if (end) timeline.expected_end_date = *end;
    if (days) timeline.specific_required_days = std::move(*days);
    if (flexible) timeline.is_flexible = *flexible;
    // The ordering rules only make sense once both dates (and the days, if sent) are readable.
    if (start && end && (days || !r.has("specific_required_days"))) domain::check_timeline(v, timeline);
  }
  v.throw_if_failed();
  const app::ExpectedVersion expected = expected_version(req);
  const app::Ctx ctx = make_ctx(req);
  auto task = s.opportunities.put_timeline(ctx, id, std::move(timeline), std::move(reason), expected);
  const domain::Opportunity o = co_await std::move(task);
  co_return opportunity_response(o);
}

}  // namespace

void register_opportunity_part_routes(Router& router, app::Services& services) {
  app::Services* s = &services;
  const RouteOptions read{.authenticated = true};
  const RouteOptions write{.authenticated = true, .json_body = true};
  router.add(
      Method::put, "/api/v1/opportunities/{id}/problem-statement",
      [s](Request& r) { return put_problem_statement(*s, r); }, write);
  router.add(
      Method::post, "/api/v1/opportunities/{id}/skill-requirements",
      [s](Request& r) { return add_skill_requirement(*s, r); }, write);
  router.add(
      Method::patch, "/api/v1/opportunities/{id}/skill-requirements/{requirement_id}",
      [s](Request& r) { return update_skill_requirement(*s, r); }, write);
  router.add(
      Method::del, "/api/v1/opportunities/{id}/skill-requirements/{requirement_id}",
      [s](Request& r) { return remove_skill_requirement(*s, r); }, read);
  router.add(
      Method::put, "/api/v1/opportunities/{id}/timeline", [s](Request& r) { return put_timeline(*s, r); }, write);
}

}  // namespace oms::http::handlers
