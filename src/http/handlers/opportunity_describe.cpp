#include "http/handlers/opportunity_describe.hpp"

#include "domain/validation.hpp"
#include "http/handlers/representations.hpp"
#include "http/handlers/support.hpp"
#include "http/json/reader.hpp"

namespace oms::http::handlers {
namespace {

using json::Need;

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

}  // namespace

void register_opportunity_describe_routes(Router& router, app::Services& services) {
  app::Services* s = &services;
  const RouteOptions write{.authenticated = true, .json_body = true};
  router.add(
      Method::put, "/api/v1/opportunities/{id}/problem-statement",
      [s](Request& r) { return put_problem_statement(*s, r); }, write);
}

}  // namespace oms::http::handlers
