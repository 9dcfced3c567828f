#include "http/handlers/skills.hpp"

#include "domain/policy.hpp"
#include "domain/validation.hpp"
#include "http/handlers/representations.hpp"
#include "http/handlers/support.hpp"
#include "http/json/reader.hpp"

namespace oms::http::handlers {
namespace {

using domain::Role;
using json::Need;

// Same limits as domain::check_skill (which the use case applies again to the stored result).
constexpr std::size_t k_name_max = 100;
constexpr std::size_t k_subcategory_max = 100;
constexpr std::size_t k_synonym_max = 100;
constexpr std::string_view k_skills_path = "/api/v1/skills";

awaitable<Response> list_skills(app::Services& s, Request& req) {
  domain::Validator v;
  app::SkillQuery query;
  query.category = enum_query<domain::SkillCategory>(req, "category", v);
  query.text = text_query(req, "query", v);
  query.include_inactive = bool_query(req, "include_inactive", false, v);
  query.page = page_request(req, v);
  v.throw_if_failed();
  const app::Ctx ctx = make_ctx(req);
  auto task = s.skills.list(ctx, query);
  const app::Page<domain::Skill> page = co_await std::move(task);
  co_return json_ok(page_json(page));
}

awaitable<Response> get_skill(app::Services& s, Request& req) {
  domain::Validator v;
  const std::string id = path_uuid(req, "id", v);
  v.throw_if_failed();
  const app::Ctx ctx = make_ctx(req);
  auto task = s.skills.get(ctx, id);
  const domain::Skill skill = co_await std::move(task);
  co_return json_ok(to_json(skill));
}

awaitable<Response> create_skill(app::Services& s, Request& req) {
  domain::Validator v;
  std::optional<app::IdempotencyKey> key = idempotency_key(req, v);
  app::SkillInput in;
  if (auto body = json::parse_object(req.body, v)) {
    json::ObjectReader r(*body, v);
    if (auto x = r.string("name", Need::required, 1, k_name_max, true)) in.name = std::move(*x);
    if (auto x = r.enumeration<domain::SkillCategory>("category", Need::required)) in.category = *x;
    if (auto x = r.nullable_string("subcategory", 1, k_subcategory_max, true)) in.subcategory = std::move(*x);
    if (auto x = r.string("description", Need::required, 1, domain::k_description_max)) in.description = std::move(*x);
    if (auto x = r.string_array("synonyms", Need::optional, 1, k_synonym_max, true)) in.synonyms = std::move(*x);
    if (auto x = r.uuid_array("related_skill_ids", Need::optional)) in.related_skill_ids = std::move(*x);
    r.finish();
  }
  v.throw_if_failed();
  const app::Ctx ctx = make_ctx(req);
  auto task = s.skills.create(ctx, std::move(in), std::move(key));
  const app::Created<domain::Skill> created = co_await std::move(task);
  Response res = json_ok(to_json(created.value), 201);
  res.header("Location", std::string(k_skills_path) + "/" + created.value.id);
  if (created.replayed) res.header("Idempotent-Replayed", "true");
  co_return res;
}

awaitable<Response> update_skill(app::Services& s, Request& req) {
  domain::Validator v;
  const std::string id = path_uuid(req, "id", v);
  app::SkillPatch patch;
  if (auto body = json::parse_object(req.body, v)) {
    json::ObjectReader r(*body, v);
    patch.name = r.string("name", Need::optional, 1, k_name_max, true);
    patch.category = r.enumeration<domain::SkillCategory>("category", Need::optional);
    patch.subcategory = r.nullable_string("subcategory", 1, k_subcategory_max, true);
    patch.description = r.string("description", Need::optional, 1, domain::k_description_max);
    patch.is_active = r.boolean("is_active", Need::optional);
    patch.synonyms = r.string_array("synonyms", Need::optional, 1, k_synonym_max, true);
    patch.related_skill_ids = r.uuid_array("related_skill_ids", Need::optional);
    r.finish();
    if (r.size() == 0) v.add("body", "must change at least one field");
  }
  v.throw_if_failed();
  const app::Ctx ctx = make_ctx(req);
  auto task = s.skills.update(ctx, id, std::move(patch));
  const domain::Skill skill = co_await std::move(task);
  co_return json_ok(to_json(skill));
}

}  // namespace

void register_skill_routes(Router& router, app::Services& services) {
  app::Services* s = &services;
  const RouteOptions write_admin{.authenticated = true, .json_body = true, .roles = {domain::Role::admin}};
  const RouteOptions read{.authenticated = true};
  router.add(
      Method::get, "/api/v1/skills", [s](Request& r) { return list_skills(*s, r); }, read);
  router.add(
      Method::post, "/api/v1/skills", [s](Request& r) { return create_skill(*s, r); }, write_admin);
  router.add(
      Method::get, "/api/v1/skills/{id}", [s](Request& r) { return get_skill(*s, r); }, read);
  router.add(
      Method::patch, "/api/v1/skills/{id}", [s](Request& r) { return update_skill(*s, r); }, write_admin);
}

}  // namespace oms::http::handlers
