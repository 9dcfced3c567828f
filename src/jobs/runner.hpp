#pragma once
// Runs jobs: `concurrency` slots each claim one job at a time (a lease of `lease`), run its
// handler and record the outcome: SUCCEEDED; QUEUED again after a backoff; DEAD after the last
// attempt, for a PermanentJobError or a type without handler. Periodic tasks (the outbox scan,
// the depth sample) run beside the slots. stop() drains: no new claims, running jobs get the
// grace period to finish, leases still held after it are given back so another worker takes
// the jobs at once instead of after the visibility timeout. While a handler runs, a heartbeat
// extends its lease every third of the lease, so a job slower than the visibility timeout is not
// claimed (and run) a second time by another worker. With a tracer, each sampled job run is one
// X-Ray segment ("oms-worker") whose subsegments are the handler's database and remote calls.
#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "domain/clock.hpp"
#include "jobs/backoff.hpp"
#include "jobs/job_metrics.hpp"
#include "jobs/registry.hpp"
#include "logging/log_throttle.hpp"
#include "storage/database.hpp"
#include "tracing/tracer.hpp"

namespace oms::jobs {

struct RunnerOptions {
  std::string owner;  // lease owner: unique per process (host, pid, random)
  unsigned concurrency = 4;
  std::chrono::milliseconds idle_poll{500};  // wait after finding nothing to claim
  std::chrono::milliseconds lease{std::chrono::seconds(60)};
  BackoffPolicy backoff;
  tracing::Tracer* tracer = nullptr;  // none: jobs are not traced
};

// A lease owner name for this process.
std::string default_owner();

class Runner {
 public:
  Runner(boost::asio::any_io_executor executor, storage::Database& db, domain::Clock& clock,
         const HandlerRegistry& handlers, JobMetrics& metrics, RunnerOptions options);
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;

  // Runs `task` every `interval` until stop() (failures are logged, not fatal). Before start().
  void every(std::chrono::milliseconds interval, std::function<awaitable<void>()> task);
  void start();
  awaitable<void> stop(std::chrono::milliseconds grace);

 private:
  awaitable<void> slot();
  awaitable<void> ticker(std::chrono::milliseconds interval, std::function<awaitable<void>()> task);
  awaitable<std::optional<storage::JobRow>> claim();
  awaitable<void> run(storage::JobRow job);
  awaitable<void> run_traced(storage::JobRow job, std::string trace_id);
  // Runs the job's handler (under `span` when sampled); "" on success, else the error text.
  awaitable<std::string> handle(const storage::JobRow& job, bool& permanent);
  struct Heartbeat;
  awaitable<void> heartbeat(std::string job_id, std::shared_ptr<Heartbeat> beat);
  // Sleeps up to `d`, waking early once stopping.
  awaitable<void> nap(std::chrono::milliseconds d);

  boost::asio::strand<boost::asio::any_io_executor> strand_;
  storage::Database& db_;
  domain::Clock& clock_;
  const HandlerRegistry& handlers_;
  JobMetrics& metrics_;
  RunnerOptions options_;
  std::vector<std::pair<std::chrono::milliseconds, std::function<awaitable<void>()>>> tickers_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> alive_{0};  // slots and tickers not yet returned
  std::mutex mutex_;
  std::map<std::string, std::string> running_;  // job id -> type, leased and in a handler
  // Every slot and ticker fails alike while the database is away: one line per interval.
  logging::LogThrottle claim_failures_;
  logging::LogThrottle periodic_failures_;
};

}  // namespace oms::jobs
