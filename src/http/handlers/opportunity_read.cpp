#include "http/handlers/opportunity_read.hpp"

#include "domain/policy.hpp"
#include "domain/validation.hpp"
#include "http/handlers/representations.hpp"
#include "http/handlers/support.hpp"
#include "http/json/reader.hpp"

namespace oms::http::handlers {
namespace {

struct SortSpec {
  domain::OpportunitySort field;
  std::string_view name;
};
constexpr SortSpec k_sorts[] = {{domain::OpportunitySort::created_at, "created_at"},
                                {domain::OpportunitySort::updated_at, "updated_at"},
                                {domain::OpportunitySort::priority, "priority"},
                                {domain::OpportunitySort::title, "title"},
                                {domain::OpportunitySort::expected_start_date, "expected_start_date"}};

void read_sort(const Request& req, app::OpportunityQuery& q, domain::Validator& v) {
  auto value = single_query(req, "sort", v);
  if (!value) return;
  std::string_view name = *value;
  const bool descending = name.starts_with('-');
  if (descending) name.remove_prefix(1);
  for (const auto& s : k_sorts) {
    if (s.name == name) {
      q.sort = s.field;
      q.descending = descending;
      return;
    }
  }
  v.add("sort",
        "must be one of created_at, updated_at, priority, title, expected_start_date, optionally prefixed by - "
        "for descending order");
}

app::OpportunityQuery read_opportunity_query(const Request& req, domain::Validator& v) {
  app::OpportunityQuery q;
  for (std::string_view s : req.query_params("status")) {
    if (auto status = domain::parse_enum<domain::Status>(s))
      q.statuses.push_back(*status);
    else
      v.add("status", "must be one of " + json::enum_choices<domain::Status>());
  }
  q.priority = enum_query<domain::Priority>(req, "priority", v);
  q.customer_id = uuid_query(req, "customer_id", v);
  if (auto sm = single_query(req, "sales_manager_id", v)) {
    if (sm->empty() || sm->size() > k_max_user_id)
      v.add("sales_manager_id", "must be a user id of 1 to 255 characters");
    else
      q.sales_manager_id = std::string(*sm);
  }
  q.text = text_query(req, "query", v);
  q.created_from = timestamp_query(req, "created_from", v);
  q.created_to = timestamp_query(req, "created_to", v);
  if (q.created_from && q.created_to && *q.created_to < *q.created_from)
    v.add("created_to", "must not be before created_from");
  q.needs_attention = bool_query(req, "needs_attention", false, v);
  read_sort(req, q, v);
  q.page = page_request(req, v);
  return q;
}

awaitable<Response> list_opportunities(app::Services& s, Request& req) {
  domain::Validator v;
  const app::OpportunityQuery query = read_opportunity_query(req, v);
  v.throw_if_failed();
  const app::Ctx ctx = make_ctx(req);
  auto task = s.opportunities.list(ctx, query);
  const app::Page<domain::Opportunity> page = co_await std::move(task);
  // List items omit the parts (problem_statement, skill_requirements, timeline, attachments).
  const auto item = [](std::string& out, const domain::Opportunity& o) { app::append_opportunity_json(out, o, false); };
  co_return json_ok(page_text(page, item));
}

awaitable<Response> get_opportunity(app::Services& s, Request& req) {
  domain::Validator v;
  const std::string id = path_uuid(req, "id", v);
  v.throw_if_failed();
  const app::Ctx ctx = make_ctx(req);
  auto task = s.opportunities.get_rendered(ctx, id);
  const auto rendered = co_await std::move(task);
  co_return with_etag(json_ok(rendered->body), rendered->version);
}

}  // namespace

void register_opportunity_read_routes(Router& router, app::Services& services) {
  app::Services* s = &services;
  const RouteOptions read{.authenticated = true};
  router.add(
      Method::get, "/api/v1/opportunities", [s](Request& r) { return list_opportunities(*s, r); }, read);
  router.add(
      Method::get, "/api/v1/opportunities/{id}", [s](Request& r) { return get_opportunity(*s, r); }, read);
}

}  // namespace oms::http::handlers
