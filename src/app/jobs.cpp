#include "app/jobs.hpp"

#include <boost/json.hpp>

#include "app/paging.hpp"
#include "app/unit_of_work.hpp"
#include "domain/error.hpp"
#include "domain/policy.hpp"
#include "util/encoding.hpp"
#include "util/time.hpp"

namespace oms::app {
using domain::DomainError;
using domain::ErrorCode;

namespace {
constexpr const char* k_job_cursor_spec = "jobs";

[[noreturn]] void not_found(const std::string& id) { throw DomainError(ErrorCode::not_found, "No job " + id + "."); }

// What an audit entry records of a job: its state and run history, not its payload.
std::string job_snapshot(const Job& j) {
  boost::json::object o{{"id", j.id},
                        {"type", j.type},
                        {"idempotency_key", j.idempotency_key},
                        {"state", j.state},
                        {"attempts", j.attempts},
                        {"max_attempts", j.max_attempts},
                        {"run_after", util::format_timestamp(j.run_after)}};
  o["last_error"] = j.last_error ? boost::json::value(*j.last_error) : boost::json::value(nullptr);
  return boost::json::serialize(o);
}
}  // namespace

awaitable<Page<Job>> Jobs::list(const Ctx& /*ctx*/, const JobQuery& q) {
  detail::check_page_limit(q.page.limit);
  storage::JobFilter f;
  f.state = q.state;
  f.type = q.type;
  if (q.page.cursor) {
    Cursor c = decode_cursor(*q.page.cursor, k_job_cursor_spec);
    auto at = util::parse_timestamp(c.key);
    if (!at || !util::is_uuid(c.id)) throw_bad_cursor();
    f.before = std::make_pair(*at, util::to_lower_ascii(c.id));
  }
  f.limit = q.page.limit + 1;
  auto session = co_await ports_.db.begin(storage::Access::read_only);
  auto rows = co_await storage::JobRepository::list(*session, f);
  co_await session->commit();
  Page<Job> page;
  if (detail::trim_to_limit(rows, q.page.limit))
    page.next_cursor =
        encode_cursor({util::format_timestamp(rows.back().created_at), rows.back().id}, k_job_cursor_spec);
  page.items = std::move(rows);
  co_return page;
}

awaitable<Job> Jobs::get(const Ctx& /*ctx*/, const std::string& id) {
  auto session = co_await ports_.db.begin(storage::Access::read_only);
  auto job = co_await storage::JobRepository::find(*session, id);
  co_await session->commit();
  if (!job) not_found(id);
  co_return std::move(*job);
}

// Audited like every admin change ("job.retry", before and after), in the same transaction.
awaitable<Job> Jobs::retry(const Ctx& ctx, const std::string& id) {
  UnitOfWork uow(ports_, ctx);
  co_await uow.begin();
  auto before = co_await storage::JobRepository::find(uow.session(), id);
  if (!before) not_found(id);
  const bool revived = co_await storage::JobRepository::revive(uow.session(), id, uow.now());
  if (!revived)
    throw DomainError(ErrorCode::conflict, "Only a DEAD job can be retried; job " + id + " is " + before->state + ".");
  auto after = co_await storage::JobRepository::find(uow.session(), id);
  if (!after) not_found(id);
  AuditSpec audit{"job.retry", "job", id, job_snapshot(*before), job_snapshot(*after)};
  co_await uow.audit(audit);
  co_await uow.commit();
  co_return std::move(*after);
}

}  // namespace oms::app
