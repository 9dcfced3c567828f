#include "http/handlers/opportunity_timeline.hpp"

#include "domain/validation.hpp"
#include "http/handlers/representations.hpp"
#include "http/handlers/support.hpp"
#include "http/json/reader.hpp"

namespace oms::http::handlers {
namespace {

using json::Need;

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

void register_opportunity_timeline_routes(Router& router, app::Services& services) {
  app::Services* s = &services;
  const RouteOptions write{.authenticated = true, .json_body = true};
  router.add(
      Method::put, "/api/v1/opportunities/{id}/timeline", [s](Request& r) { return put_timeline(*s, r); }, write);
}

}  // namespace oms::http::handlers
