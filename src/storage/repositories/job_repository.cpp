#include "storage/repositories/job_repository.hpp"

#include "storage/repositories/sql_support.hpp"

namespace oms::storage {
namespace {

constexpr const char* k_job_columns =
    "id, type, idempotency_key, payload, state, attempts, max_attempts, run_after, lease_owner, lease_expires_at, "
    "last_error, created_at, updated_at, finished_at";

JobRow read_job(const Row& r) {
  return JobRow{r.str(0),   r.str(1),        r.str(2),        r.str(3),           r.str(4),
                r.i64(5),   r.i64(6),        r.timestamp(7),  r.text(8),          r.opt_timestamp(9),
                r.text(10), r.timestamp(11), r.timestamp(12), r.opt_timestamp(13)};
}

// The claimable set: due QUEUED jobs, and RUNNING jobs whose lease expired with attempts left
// (their worker died or stalled: the visibility timeout).
constexpr const char* k_claimable =
    "(state = 'QUEUED' AND run_after <= $2) OR (state = 'RUNNING' AND lease_expires_at <= $2 AND attempts < "
    "max_attempts)";

}  // namespace

awaitable<bool> JobRepository::enqueue(Session& s, const NewJob& j) {
  Params p{j.id, j.type, j.idempotency_key, j.payload, j.max_attempts, param(j.run_after), param(j.now)};
  auto r = co_await s.query(
      "INSERT INTO jobs (id, type, idempotency_key, payload, state, attempts, max_attempts, run_after, created_at, "
      "updated_at) VALUES ($1, $2, $3, $4, 'QUEUED', 0, $5, $6, $7, $7) ON CONFLICT (type, idempotency_key) DO NOTHING",
      std::move(p));
  co_return r.affected > 0;
}

awaitable<std::int64_t> JobRepository::bury_expired(Session& s, domain::Timestamp now) {
  Params p{param(now)};
  auto r = co_await s.query(
      "UPDATE jobs SET state = 'DEAD', last_error = 'lease expired during the last attempt', lease_owner = NULL, "
      "lease_expires_at = NULL, updated_at = $1, finished_at = $1 "
      "WHERE state = 'RUNNING' AND lease_expires_at <= $1 AND attempts >= max_attempts",
      std::move(p));
  co_return r.affected;
}

awaitable<std::vector<JobRow>> JobRepository::claim(Session& s, const std::string& owner, domain::Timestamp now,
                                                    domain::Timestamp lease_until, int limit) {
  // PostgreSQL: rows locked by another claimer are skipped, not waited for. SQLite: the session
  // is the single writer (BEGIN IMMEDIATE), so the select and update cannot interleave.
  const std::string lock = s.dialect() == Dialect::postgres ? " FOR UPDATE SKIP LOCKED" : "";
  const std::string sql = std::string(
                              "UPDATE jobs SET state = 'RUNNING', attempts = attempts + 1, lease_owner = $1, "
                              "lease_expires_at = $3, updated_at = $2 WHERE id IN (SELECT id FROM jobs WHERE ") +
                          k_claimable + " ORDER BY run_after, id LIMIT $4" + lock + ") RETURNING " + k_job_columns;
  Params p{owner, param(now), param(lease_until), std::int64_t{limit}};
  auto r = co_await s.query(sql, std::move(p));
  co_return read_rows(r, read_job);
}

awaitable<bool> JobRepository::succeed(Session& s, const std::string& id, const std::string& owner,
                                       domain::Timestamp now) {
  Params p{id, owner, param(now)};
  auto r = co_await s.query(
      "UPDATE jobs SET state = 'SUCCEEDED', lease_owner = NULL, lease_expires_at = NULL, updated_at = $3, "
      "finished_at = $3 WHERE id = $1 AND state = 'RUNNING' AND lease_owner = $2",
      std::move(p));
  co_return r.affected > 0;
}

awaitable<bool> JobRepository::extend_lease(Session& s, const std::string& id, const std::string& owner,
                                            domain::Timestamp now, domain::Timestamp lease_until) {
  Params p{id, owner, param(now), param(lease_until)};
  auto r = co_await s.query(
      "UPDATE jobs SET lease_expires_at = $4, updated_at = $3 WHERE id = $1 AND state = 'RUNNING' AND lease_owner = $2",
      std::move(p));
  co_return r.affected > 0;
}

awaitable<bool> JobRepository::retry_later(Session& s, const std::string& id, const std::string& owner,
                                           domain::Timestamp now, domain::Timestamp run_after,
                                           const std::string& error) {
  Params p{id, owner, param(now), param(run_after), error};
  auto r = co_await s.query(
      "UPDATE jobs SET state = 'QUEUED', run_after = $4, last_error = $5, lease_owner = NULL, "
      "lease_expires_at = NULL, updated_at = $3 WHERE id = $1 AND state = 'RUNNING' AND lease_owner = $2",
      std::move(p));
  co_return r.affected > 0;
}

awaitable<bool> JobRepository::bury(Session& s, const std::string& id, const std::string& owner, domain::Timestamp now,
                                    const std::string& error) {
  Params p{id, owner, param(now), error};
  auto r = co_await s.query(
      "UPDATE jobs SET state = 'DEAD', last_error = $4, lease_owner = NULL, lease_expires_at = NULL, "
      "updated_at = $3, finished_at = $3 WHERE id = $1 AND state = 'RUNNING' AND lease_owner = $2",
      std::move(p));
  co_return r.affected > 0;
}

awaitable<bool> JobRepository::release(Session& s, const std::string& id, const std::string& owner,
                                       domain::Timestamp now) {
  Params p{id, owner, param(now)};
  auto r = co_await s.query(
      "UPDATE jobs SET state = 'QUEUED', attempts = attempts - 1, run_after = $3, lease_owner = NULL, "
      "lease_expires_at = NULL, updated_at = $3 WHERE id = $1 AND state = 'RUNNING' AND lease_owner = $2",
      std::move(p));
  co_return r.affected > 0;
}

awaitable<bool> JobRepository::revive(Session& s, const std::string& id, domain::Timestamp now) {
  Params p{id, param(now)};
  auto r = co_await s.query(
      "UPDATE jobs SET state = 'QUEUED', attempts = 0, run_after = $2, updated_at = $2, finished_at = NULL "
      "WHERE id = $1 AND state = 'DEAD'",
      std::move(p));
  co_return r.affected > 0;
}

awaitable<std::int64_t> JobRepository::purge_succeeded(Session& s, domain::Timestamp before, int limit) {
  Params p{param(before), std::int64_t{limit}};
  auto r = co_await s.query(
      "DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE state = 'SUCCEEDED' AND finished_at < $1 LIMIT $2)",
      std::move(p));
  co_return r.affected;
}

awaitable<std::optional<JobRow>> JobRepository::find(Session& s, const std::string& id) {
  Params p{id};
  auto r = co_await s.query(std::string("SELECT ") + k_job_columns + " FROM jobs WHERE id = $1", std::move(p));
  if (r.empty()) co_return std::nullopt;
  co_return read_job(r.rows.front());
}

awaitable<std::vector<JobRow>> JobRepository::list(Session& s, const JobFilter& f) {
  SqlBuilder q;
  q << "SELECT " << k_job_columns << " FROM jobs WHERE 1 = 1";
  if (f.state) q << " AND state = " << q.bind(*f.state);
  if (f.type) q << " AND type = " << q.bind(*f.type);
  if (f.before) {
    const std::string at = q.bind(param(f.before->first));
    const std::string id = q.bind(f.before->second);
    q << " AND (created_at < " << at << " OR (created_at = " << at << " AND id < " << id << "))";
  }
  q << " ORDER BY created_at DESC, id DESC LIMIT " << q.bind(std::int64_t{f.limit});
  auto r = co_await s.query(q.sql(), std::move(q.params()));
  co_return read_rows(r, read_job);
}

awaitable<std::vector<JobDepth>> JobRepository::depth(Session& s) {
  auto r = co_await s.query(
      "SELECT type, state, count(*) FROM jobs WHERE state IN ('QUEUED', 'RUNNING', 'DEAD') "
      "GROUP BY type, state ORDER BY type, state",
      Params{});
  co_return read_rows(r, [](const Row& row) { return JobDepth{row.str(0), row.str(1), row.i64(2)}; });
}

}  // namespace oms::storage
