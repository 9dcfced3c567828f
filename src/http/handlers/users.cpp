#include "http/handlers/users.hpp"

#include "domain/policy.hpp"
#include "http/handlers/representations.hpp"
#include "http/handlers/support.hpp"
#include "http/json/reader.hpp"

namespace oms::http::handlers {
namespace {

using domain::Role;
using json::Need;

awaitable<Response> list_users(app::Services& s, Request& req) {
  domain::Validator v;
  const app::PageRequest page = page_request(req, v);
  v.throw_if_failed();
  const app::Ctx ctx = make_ctx(req);
  auto task = s.users.list(ctx, page);
  const app::Page<domain::User> users = co_await std::move(task);
  co_return json_ok(page_json(users));
}

awaitable<Response> update_user(app::Services& s, Request& req) {
  domain::Validator v;
  const std::string id = path_user_id(req, "id", v);
  bool is_active = true;
  if (auto body = json::parse_object(req.body, v)) {
    json::ObjectReader r(*body, v);
    if (auto x = r.boolean("is_active", Need::required)) is_active = *x;
    r.finish();
  }
  v.throw_if_failed();
  const app::Ctx ctx = make_ctx(req);
  auto task = s.users.set_active(ctx, id, is_active);
  const domain::User user = co_await std::move(task);
  co_return json_ok(to_json(user));
}

}  // namespace

void register_user_routes(Router& router, app::Services& services) {
  app::Services* s = &services;
  const RouteOptions read_admin{.authenticated = true, .roles = {domain::Role::admin}};
  const RouteOptions write_admin{.authenticated = true, .json_body = true, .roles = {domain::Role::admin}};
  router.add(
      Method::get, "/api/v1/users", [s](Request& r) { return list_users(*s, r); }, read_admin);
  router.add(
      Method::patch, "/api/v1/users/{id}", [s](Request& r) { return update_user(*s, r); }, write_admin);
}

}  // namespace oms::http::handlers
