#include "http/handlers/data_subjects.hpp"

#include <boost/json.hpp>

#include "http/handlers/support.hpp"

namespace oms::http::handlers {
namespace {

awaitable<Response> request(app::Services& s, Request& req, domain::ExportKind kind) {
  domain::Validator v;
  const std::string user_id = path_user_id(req, "user_id", v);
  v.throw_if_failed();
  const app::Ctx ctx = make_ctx(req);
  auto task = s.data_subjects.request(ctx, user_id, kind);
  const domain::Export e = co_await std::move(task);
  const boost::json::object out{{"id", e.id}, {"status", domain::to_string(e.status)}};
  co_return json_ok(boost::json::serialize(out), 202);
}

}  // namespace

void register_data_subject_routes(Router& router, app::Services& services) {
  app::Services* s = &services;
  const RouteOptions admin{.authenticated = true, .roles = {domain::Role::admin}};
  router.add(
      Method::post, "/api/v1/admin/data-subjects/{user_id}/export",
      [s](Request& r) { return request(*s, r, domain::ExportKind::data_subject_access); }, admin);
  router.add(
      Method::post, "/api/v1/admin/data-subjects/{user_id}/erase",
      [s](Request& r) { return request(*s, r, domain::ExportKind::data_subject_erasure); }, admin);
}

}  // namespace oms::http::handlers
