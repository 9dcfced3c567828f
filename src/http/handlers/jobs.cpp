#include "http/handlers/jobs.hpp"

#include <algorithm>
#include <array>

#include "domain/policy.hpp"
#include "http/handlers/representations.hpp"
#include "http/handlers/support.hpp"
#include "util/time.hpp"

namespace oms::http::handlers {
namespace {

using domain::Role;

constexpr std::array<std::string_view, 4> k_states{"QUEUED", "RUNNING", "SUCCEEDED", "DEAD"};
constexpr std::size_t k_max_type = 100;

void write_time(json::Writer& w, std::string_view name, const std::optional<domain::Timestamp>& t) {
  if (t) {
    w.field(name, util::format_timestamp(*t));
  } else {
    w.key(name).value(nullptr);
  }
}

void write_job(json::Writer& w, const app::Job& j) {
  w.begin_object();
  w.field("id", j.id);
  w.field("type", j.type);
  w.field("idempotency_key", j.idempotency_key);
  w.key("payload").raw(j.payload);
  w.field("state", j.state);
  w.field("attempts", j.attempts);
  w.field("max_attempts", j.max_attempts);
  write_time(w, "run_after", j.run_after);
  w.field("lease_owner", j.lease_owner);
  write_time(w, "lease_expires_at", j.lease_expires_at);
  w.field("last_error", j.last_error);
  write_time(w, "created_at", j.created_at);
  write_time(w, "updated_at", j.updated_at);
  write_time(w, "finished_at", j.finished_at);
  w.end_object();
}

std::string job_json(const app::Job& j) {
  json::Writer w;
  write_job(w, j);
  return w.take();
}

app::JobQuery read_query(const Request& req, domain::Validator& v) {
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
  const app::JobQuery query = read_query(req, v);
  v.throw_if_failed();
  const app::Ctx ctx = make_ctx(req);
  auto task = s.jobs.list(ctx, query);
  const app::Page<app::Job> page = co_await std::move(task);
  co_return json_ok(page_json(page, write_job));
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
