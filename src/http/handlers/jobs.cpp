#include "http/handlers/jobs.hpp"

#include <algorithm>
#include <array>
#include <boost/json.hpp>

#include "domain/policy.hpp"
#include "http/handlers/representations.hpp"
#include "http/handlers/support.hpp"
#include "util/time.hpp"

namespace oms::http::handlers {
namespace {

using domain::Role;

constexpr std::array<std::string_view, 4> k_states{"QUEUED", "RUNNING", "SUCCEEDED", "DEAD"};
constexpr std::size_t k_max_type = 100;

boost::json::value time_json(const std::optional<domain::Timestamp>& t) {
  return t ? boost::json::value(util::format_timestamp(*t)) : boost::json::value(nullptr);
}

boost::json::value text_json(const std::optional<std::string>& t) {
  return t ? boost::json::value(*t) : boost::json::value(nullptr);
}

// The job's shape (GET /api/v1/admin/jobs); `payload` is the JSON the job was queued with.
boost::json::value job_value(const app::Job& j) {
  return boost::json::object{{"id", j.id},
                             {"type", j.type},
                             {"idempotency_key", j.idempotency_key},
                             {"payload", boost::json::parse(j.payload)},
                             {"state", j.state},
                             {"attempts", j.attempts},
                             {"max_attempts", j.max_attempts},
                             {"run_after", time_json(j.run_after)},
                             {"lease_owner", text_json(j.lease_owner)},
                             {"lease_expires_at", time_json(j.lease_expires_at)},
                             {"last_error", text_json(j.last_error)},
                             {"created_at", time_json(j.created_at)},
                             {"updated_at", time_json(j.updated_at)},
                             {"finished_at", time_json(j.finished_at)}};
}

std::string job_json(const app::Job& j) { return boost::json::serialize(job_value(j)); }

app::JobQuery read_job_query(const Request& req, domain::Validator& v) {
  app::JobQuery q;
  if (auto state = single_query(req, "state", v)) {
    if (std::find(k_states.begin(), k_states.end(), *state) != k_states.end())
      q.state = std::string(*state);
    else
      v.add("state", "must be one of QUEUED, RUNNING, SUCCEEDED, DEAD");
  }
  if (auto type = single_query(req, "type", v)) {
    const bool ok = !type->empty() && type->size() <= k_max_type && std::all_of(type->begin(), type->end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
    });
    if (ok)
      q.type = std::string(*type);
    else
      v.add("type", "must be 1 to 100 letters, digits, '.', '_' or '-'");
  }
  q.page = page_request(req, v);
  return q;
}

awaitable<Response> list_jobs(app::Services& s, Request& req) {
  domain::Validator v;
  const app::JobQuery query = read_job_query(req, v);
  v.throw_if_failed();
  const app::Ctx ctx = make_ctx(req);
  auto task = s.jobs.list(ctx, query);
  const app::Page<app::Job> page = co_await std::move(task);
  co_return json_ok(page_json(page, job_value));
}

awaitable<Response> get_job(app::Services& s, Request& req) {
  domain::Validator v;
  const std::string id = path_uuid(req, "id", v);
  v.throw_if_failed();
  const app::Ctx ctx = make_ctx(req);
  auto task = s.jobs.get(ctx, id);
  const app::Job job = co_await std::move(task);
  co_return json_ok(job_json(job));
}

awaitable<Response> retry_job(app::Services& s, Request& req) {
  require_json_if_body(req);
  domain::Validator v;
  const std::string id = path_uuid(req, "id", v);
  v.throw_if_failed();
  const app::Ctx ctx = make_ctx(req);
  auto task = s.jobs.retry(ctx, id);
  const app::Job job = co_await std::move(task);
  co_return json_ok(job_json(job));
}

}  // namespace

void register_job_routes(Router& router, app::Services& services) {
  app::Services* s = &services;
  const RouteOptions read_admin{.authenticated = true, .roles = {domain::Role::admin}};
  router.add(
      Method::get, "/api/v1/admin/jobs", [s](Request& r) { return list_jobs(*s, r); }, read_admin);
  router.add(
      Method::get, "/api/v1/admin/jobs/{id}", [s](Request& r) { return get_job(*s, r); }, read_admin);
  router.add(
      Method::post, "/api/v1/admin/jobs/{id}/retry", [s](Request& r) { return retry_job(*s, r); }, read_admin);
}

}  // namespace oms::http::handlers
