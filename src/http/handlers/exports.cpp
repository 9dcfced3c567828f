#include "http/handlers/exports.hpp"

#include <boost/json.hpp>

#include "app/export_filters.hpp"
#include "app/json_views.hpp"
#include "domain/error.hpp"
#include "http/handlers/support.hpp"
#include "http/json/reader.hpp"
#include "util/time.hpp"

namespace oms::http::handlers {
namespace {

namespace bj = boost::json;
using json::Need;

void read_dataset(json::ObjectReader& r, app::ExportRequest& in) {
  const bj::value* value = r.find("dataset");
  if (value == nullptr) return;
  if (value->is_string()) {
    if (value->get_string() == "opportunities") return;
    if (value->get_string() == "audit") {
      in.dataset = domain::ExportDataset::audit;
      return;
    }
  }
  r.validator().add(r.path("dataset"), "must be one of opportunities, audit");
}

void read_filters(json::ObjectReader& r, app::ExportRequest& in) {
  const bj::value* value = r.find("filters");
  if (value == nullptr) return;
  if (!value->is_object()) {
    r.validator().add(r.path("filters"), "must be an object");
    return;
  }
  const bj::object& filters = value->get_object();
  if (in.dataset == domain::ExportDataset::audit) {
    // The audit log is exported whole (up to the moment the export starts).
    for (const auto& kv : filters)
      r.validator().add("filters." + std::string(kv.key()), "is not allowed for the audit dataset");
    return;
  }
  in.filters = app::read_export_filters(filters, r.validator());
}

awaitable<Response> request_export(app::Services& s, Request& req) {
  domain::Validator v;
  app::ExportRequest in;
  if (auto body = json::parse_object(req.body, v)) {
    json::ObjectReader r(*body, v);
    if (auto f = r.enumeration<domain::ExportFormat>("format", Need::required)) in.format = *f;
    read_dataset(r, in);
    read_filters(r, in);
    r.finish();
  }
  v.throw_if_failed();
  const app::Ctx ctx = make_ctx(req);
  auto task = s.exports.request(ctx, std::move(in));
  const domain::Export e = co_await std::move(task);
  const bj::object out{{"id", e.id}, {"status", domain::to_string(e.status)}};
  Response res = json_ok(bj::serialize(out), 202);
  std::string location(k_api);
  location += "/exports/";
  location += e.id;
  res.header("Location", std::move(location));
  co_return res;
}

awaitable<Response> get_export(app::Services& s, Request& req) {
  const app::Ctx ctx = make_ctx(req);
  // Not a UUID: NOT_FOUND from the use case (nothing could be stored under it).
  auto task = s.exports.get(ctx, req.path_param("id"));
  const app::ExportView view = co_await std::move(task);
  bj::object out = app::export_json(view.value);
  if (view.download) {
    out["download_url"] = view.download->url;
    out["download_expires_at"] = util::format_timestamp(view.download->expires_at);
  }
  Response res = json_ok(bj::serialize(out));
  res.header("Cache-Control", "no-store");
  co_return res;
}

}  // namespace

void register_export_routes(Router& router, app::Services& services) {
  app::Services* s = &services;
  const std::vector<domain::Role> roles = {domain::Role::sales_manager, domain::Role::admin};
  const RouteOptions write{.authenticated = true, .json_body = true, .roles = roles};
  const RouteOptions read{.authenticated = true, .roles = roles};
  router.add(
      Method::post, "/api/v1/exports", [s](Request& r) { return request_export(*s, r); }, write);
  router.add(
      Method::get, "/api/v1/exports/{id}", [s](Request& r) { return get_export(*s, r); }, read);
}

}  // namespace oms::http::handlers
