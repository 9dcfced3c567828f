#include "jobs/runner.hpp"

#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "logging/logging.hpp"
#include "storage/repositories/job_repository.hpp"
#include "tracing/context.hpp"
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

void log_job(const storage::JobRow& job, const std::string& outcome, const std::string& error,
             const std::string& trace_id) {
  boost::json::object o;
  o["message"] = "job " + outcome;
  o["job_id"] = job.id;
  o["job_type"] = job.type;
  o["outcome"] = outcome;
  o["attempt"] = job.attempts;
  if (!error.empty()) o["error"] = error;
  if (!trace_id.empty()) o["trace_id"] = trace_id;
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
    if (!error.empty()) periodic_failures_.warn("periodic worker task failed: " + error);
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
    if (!error.empty()) claim_failures_.warn("claiming a job failed: " + error);
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

struct Runner::Heartbeat {
  explicit Heartbeat(const asio::any_io_executor& executor) : timer(executor) {}
  asio::steady_timer timer;
  bool done = false;  // set on the strand when the handler returned
};

awaitable<void> Runner::heartbeat(std::string job_id, std::shared_ptr<Heartbeat> beat) {
  const auto every = std::max<std::chrono::milliseconds>(options_.lease / 3, std::chrono::milliseconds(10));
  const auto lease = std::chrono::duration_cast<std::chrono::microseconds>(options_.lease);
  while (!beat->done) {
    beat->timer.expires_after(every);
    boost::system::error_code ec;
    co_await beat->timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (beat->done) break;
    std::string error;
    bool held = true;
    try {
      const auto now = clock_.now();
      auto session = co_await db_.begin(storage::Access::read_write);
      held = co_await storage::JobRepository::extend_lease(*session, job_id, options_.owner, now, now + lease);
      co_await session->commit();
    } catch (const std::exception& e) {
      error = e.what();  // tried again at the next beat; the lease still has two thirds left
    }
    if (!error.empty()) logging::log_warn("extending the lease of job " + job_id + " failed: " + error);
    if (!held) {
      logging::log_warn("job " + job_id + " lost its lease while its handler ran");
      break;
    }
  }
  --alive_;
}

awaitable<std::string> Runner::handle(const storage::JobRow& job, bool& permanent) {
  const JobHandler* handler = handlers_.find(job.type);
  if (handler == nullptr) {
    permanent = true;
    co_return "no handler for job type " + job.type;
  }
  auto beat = std::make_shared<Heartbeat>(strand_);
  ++alive_;
  asio::co_spawn(strand_, heartbeat(job.id, beat), asio::detached);
  std::string error;
  try {
    co_await (*handler)(job);
  } catch (const PermanentJobError& e) {
    error = clip(e.what());
    permanent = true;
  } catch (const std::exception& e) {
    error = clip(e.what());
  }
  beat->done = true;
  beat->timer.cancel();
  co_return error;
}

awaitable<void> Runner::run(storage::JobRow job) {
  // One X-Ray segment per sampled run: the handler's and the outcome's database work (through a
  // TracedDatabase) and its remote calls become its subsegments.
  std::unique_ptr<tracing::Trace> trace;
  if (options_.tracer != nullptr && options_.tracer->sample(std::nullopt)) {
    const tracing::TraceContext context;
    trace = options_.tracer->start("oms-worker", context);
  }
  tracing::Span span;
  if (trace) span = trace->segment();
  if (span) {
    span.annotate("job_type", boost::json::string(job.type));
    span.annotate("job_id", boost::json::string(job.id));
    span.annotate("attempt", job.attempts);
  }
  // Named, not built inside the co_await (g++ 12, docs: toolchain.md).
  std::string trace_id;
  if (trace) trace_id = trace->trace_id();
  auto body = run_traced(std::move(job), std::move(trace_id));
  co_await tracing::with_span(span, std::move(body));
  if (trace) options_.tracer->finish(*trace);
}

awaitable<void> Runner::run_traced(storage::JobRow job, std::string trace_id) {
  bool permanent = false;
  std::string error = co_await handle(job, permanent);
  const tracing::Span span = co_await tracing::current_span();
  if (!error.empty()) span.record_exception(error);
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
    span.record_exception(record_error);
    logging::log_error("recording the outcome of job " + job.id + " failed: " + record_error);
    co_return;
  }
  span.annotate("outcome", boost::json::string(outcome));
  metrics_.outcome(job.type, outcome);
  log_job(job, outcome, error, trace_id);
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
