#include "jobs/runner.hpp"

#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "logging/logging.hpp"
#include "storage/repositories/job_repository.hpp"
#include "util/encoding.hpp"

namespace oms::jobs {
namespace asio = boost::asio;
namespace {

constexpr std::size_t k_max_error = 1000;
constexpr std::chrono::milliseconds k_nap_step{100};

std::string clip(std::string s) {
  if (s.size() > k_max_error) s.resize(k_max_error);
  return s.empty() ? "failed without a message" : s;
}

void log_job(const storage::JobRow& job, const std::string& outcome, const std::string& error) {
  boost::json::object o;
  o["message"] = "job " + outcome;
  o["job_id"] = job.id;
  o["job_type"] = job.type;
  o["outcome"] = outcome;
  o["attempt"] = job.attempts;
  if (!error.empty()) o["error"] = error;
  logging::log_fields("job", std::move(o));
}

}  // namespace

std::string default_owner() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return std::string(host) + ":" + std::to_string(getpid()) + ":" + util::hex_encode(util::random_bytes(4));
}

Runner::Runner(asio::any_io_executor executor, storage::Database& db, domain::Clock& clock,
               const HandlerRegistry& handlers, JobMetrics& metrics, RunnerOptions options)
    : strand_(asio::make_strand(executor)),
      db_(db),
      clock_(clock),
      handlers_(handlers),
      metrics_(metrics),
      options_(std::move(options)) {
  if (options_.owner.empty()) options_.owner = default_owner();
  if (options_.concurrency == 0) options_.concurrency = 1;
}

void Runner::every(std::chrono::milliseconds interval, std::function<awaitable<void>()> task) {
  tickers_.emplace_back(interval, std::move(task));
}

void Runner::start() {
  for (unsigned i = 0; i < options_.concurrency; ++i) {
    ++alive_;
    asio::co_spawn(strand_, slot(), asio::detached);
  }
  for (auto& [interval, task] : tickers_) {
    ++alive_;
    asio::co_spawn(strand_, ticker(interval, task), asio::detached);
  }
}

awaitable<void> Runner::nap(std::chrono::milliseconds d) {
  asio::steady_timer timer(strand_);
  const auto until = std::chrono::steady_clock::now() + d;
  while (!stopping_ && std::chrono::steady_clock::now() < until) {
    timer.expires_after(
        std::min<std::chrono::steady_clock::duration>(k_nap_step, until - std::chrono::steady_clock::now()));
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

awaitable<void> Runner::ticker(std::chrono::milliseconds interval, std::function<awaitable<void>()> task) {
  while (!stopping_) {
    std::string error;
    try {
      co_await task();
    } catch (const std::exception& e) {
      error = e.what();
    }
    if (!error.empty()) logging::log_warn("periodic worker task failed: " + error);
    co_await nap(interval);
  }
  --alive_;
}

awaitable<std::optional<storage::JobRow>> Runner::claim() {
  const auto now = clock_.now();
  const auto lease_until = now + std::chrono::duration_cast<std::chrono::microseconds>(options_.lease);
  auto session = co_await db_.begin(storage::Access::read_write);
  const auto buried = co_await storage::JobRepository::bury_expired(*session, now);
  auto jobs = co_await storage::JobRepository::claim(*session, options_.owner, now, lease_until, 1);
  co_await session->commit();
  if (buried > 0) logging::log_warn(std::to_string(buried) + " job(s) dead: lease expired during the last attempt");
  if (jobs.empty()) co_return std::nullopt;
  co_return std::move(jobs.front());
}

awaitable<void> Runner::slot() {
  while (!stopping_) {
    std::optional<storage::JobRow> job;
    std::string error;
    try {
      job = co_await claim();
    } catch (const std::exception& e) {
      error = e.what();
    }
    if (!error.empty()) logging::log_warn("claiming a job failed: " + error);
    if (!job) {
      co_await nap(options_.idle_poll);
      continue;
    }
    {
      std::lock_guard lock(mutex_);
      running_[job->id] = job->type;
    }
    co_await run(std::move(*job));
  }
  --alive_;
}

awaitable<void> Runner::run(storage::JobRow job) {
  std::string error;
  bool permanent = false;
  const JobHandler* handler = handlers_.find(job.type);
  if (handler == nullptr) {
    error = "no handler for job type " + job.type;
    permanent = true;
  } else {
    try {
      co_await (*handler)(job);
    } catch (const PermanentJobError& e) {
      error = clip(e.what());
      permanent = true;
    } catch (const std::exception& e) {
      error = clip(e.what());
    }
  }
  std::string outcome;
  std::string record_error;
  try {
    const auto now = clock_.now();
    auto session = co_await db_.begin(storage::Access::read_write);
    bool held = false;
    if (error.empty()) {
      outcome = "succeeded";
      held = co_await storage::JobRepository::succeed(*session, job.id, options_.owner, now);
    } else if (permanent || job.attempts >= job.max_attempts) {
      outcome = "dead";
      held = co_await storage::JobRepository::bury(*session, job.id, options_.owner, now, error);
    } else {
      outcome = "retried";
      const auto delay = backoff_delay(options_.backoff, job.attempts, unit_random());
      held = co_await storage::JobRepository::retry_later(
          *session, job.id, options_.owner, now, now + std::chrono::duration_cast<std::chrono::microseconds>(delay),
          error);
    }
    co_await session->commit();
    if (!held) outcome = "lease_lost";
  } catch (const std::exception& e) {
    record_error = e.what();
  }
  {
    std::lock_guard lock(mutex_);
    running_.erase(job.id);
  }
  if (!record_error.empty()) {
    // The lease runs out and the job is claimed again: at-least-once.
    logging::log_error("recording the outcome of job " + job.id + " failed: " + record_error);
    co_return;
  }
  metrics_.outcome(job.type, outcome);
  log_job(job, outcome, error);
}

awaitable<void> Runner::stop(std::chrono::milliseconds grace) {
  stopping_ = true;
  asio::steady_timer timer(co_await asio::this_coro::executor);
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (alive_ > 0 && std::chrono::steady_clock::now() < deadline) {
    timer.expires_after(std::chrono::milliseconds(20));
    co_await timer.async_wait(asio::use_awaitable);
  }
  std::map<std::string, std::string> left;
  {
    std::lock_guard lock(mutex_);
    left = running_;
  }
  if (left.empty()) co_return;
  auto session = co_await db_.begin(storage::Access::read_write);
  for (const auto& [id, type] : left) {
    if (co_await storage::JobRepository::release(*session, id, options_.owner, clock_.now()))
      metrics_.outcome(type, "released");
  }
  co_await session->commit();
  logging::log_warn("drain: gave back " + std::to_string(left.size()) + " lease(s) of unfinished jobs");
}

}  // namespace oms::jobs
