#include "http/handlers/opportunity_submit.hpp"

#include "domain/validation.hpp"
#include "http/handlers/representations.hpp"
#include "http/handlers/support.hpp"
#include "http/json/reader.hpp"

namespace oms::http::handlers {
namespace {

using json::Need;

constexpr std::size_t k_note_max = domain::k_reason_max;
constexpr std::size_t k_architect_id_max = k_max_user_id;

// submit and reactivate take no fields: an empty body or {}.
void read_empty_body(const Request& req, domain::Validator& v) {
  require_json_if_body(req);
  if (auto body = json::parse_object(req.body, v, /*allow_empty=*/true)) {
    json::ObjectReader r(*body, v);
    r.finish();
  }
}

using FieldlessTransition = awaitable<domain::Opportunity> (app::Opportunities::*)(const app::Ctx&, const std::string&,
                                                                                   app::ExpectedVersion);

// submit and reactivate: the path id, an empty body and If-Match.
awaitable<Response> fieldless_transition(app::Services& s, Request& req, FieldlessTransition use_case) {
  domain::Validator v;
  const std::string id = path_uuid(req, "id", v);
  read_empty_body(req, v);
  v.throw_if_failed();
  const app::ExpectedVersion expected = expected_version(req);
  const app::Ctx ctx = make_ctx(req);
  auto task = (s.opportunities.*use_case)(ctx, id, expected);
  const domain::Opportunity o = co_await std::move(task);
  co_return opportunity_response(o);
}

awaitable<Response> cancel(app::Services& s, Request& req) {
  domain::Validator v;
  const std::string id = path_uuid(req, "id", v);
  std::string reason;
  if (auto body = json::parse_object(req.body, v)) {
    json::ObjectReader r(*body, v);
    if (auto x = r.string("reason", Need::required, 1, domain::k_reason_max)) reason = std::move(*x);
    r.finish();
  }
  v.throw_if_failed();
  const app::ExpectedVersion expected = expected_version(req);
  const app::Ctx ctx = make_ctx(req);
  auto task = s.opportunities.cancel(ctx, id, std::move(reason), expected);
  const domain::Opportunity o = co_await std::move(task);
  co_return opportunity_response(o);
}

awaitable<Response> transition(app::Services& s, Request& req) {
  domain::Validator v;
  const std::string id = path_uuid(req, "id", v);
  app::SystemTransition in;
  if (auto body = json::parse_object(req.body, v)) {
    json::ObjectReader r(*body, v);
    if (auto x = r.enumeration<domain::Status>("status", Need::required)) in.status = *x;
    in.note = r.string("note", Need::optional, 1, k_note_max);
    in.selected_architect_id = r.string("selected_architect_id", Need::optional, 1, k_architect_id_max, true);
    r.finish();
    if (in.status == domain::Status::architect_selected && !r.has("selected_architect_id"))
      v.add("selected_architect_id", "is required when status is ARCHITECT_SELECTED");
  }
  v.throw_if_failed();
  const app::ExpectedVersion expected = expected_version(req);
  const app::Ctx ctx = make_ctx(req);
  auto task = s.opportunities.transition(ctx, id, std::move(in), expected);
  const domain::Opportunity o = co_await std::move(task);
  co_return opportunity_response(o);
}

template <class Record>
using HistoryPage = awaitable<app::Page<Record>> (app::Opportunities::*)(const app::Ctx&, const std::string&,
                                                                         app::PageRequest);

// status-history and changes: the path id and a page of the opportunity's records.
template <class Record>
awaitable<Response> history(app::Services& s, Request& req, HistoryPage<Record> use_case) {
  domain::Validator v;
  const std::string id = path_uuid(req, "id", v);
  const app::PageRequest page = page_request(req, v);
  v.throw_if_failed();
  const app::Ctx ctx = make_ctx(req);
  auto task = (s.opportunities.*use_case)(ctx, id, page);
  const app::Page<Record> records = co_await std::move(task);
  co_return json_ok(page_json(records));
}

}  // namespace

void register_opportunity_status_routes(Router& router, app::Services& services) {
  app::Services* s = &services;
  const RouteOptions read{.authenticated = true};
  // submit and reactivate accept an empty body; the handler checks the media type of a non-empty one.
  const RouteOptions optional_body{.authenticated = true};
  const RouteOptions write{.authenticated = true, .json_body = true};
  router.add(
      Method::post, "/api/v1/opportunities/{id}/submit",
      [s](Request& r) { return fieldless_transition(*s, r, &app::Opportunities::submit); }, optional_body);
  router.add(
      Method::post, "/api/v1/opportunities/{id}/cancel", [s](Request& r) { return cancel(*s, r); }, write);
  router.add(
      Method::post, "/api/v1/opportunities/{id}/reactivate",
      [s](Request& r) { return fieldless_transition(*s, r, &app::Opportunities::reactivate); }, optional_body);
  router.add(
      Method::post, "/api/v1/opportunities/{id}/status", [s](Request& r) { return transition(*s, r); }, write);
  router.add(
      Method::get, "/api/v1/opportunities/{id}/status-history",
      [s](Request& r) { return history(*s, r, &app::Opportunities::status_history); }, read);
  router.add(
      Method::get, "/api/v1/opportunities/{id}/changes",
      [s](Request& r) { return history(*s, r, &app::Opportunities::changes); }, read);
}

}  // namespace oms::http::handlers
