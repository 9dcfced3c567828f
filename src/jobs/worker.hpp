#pragma once
// The background worker of one process: the job runner with its handlers (outbox delivery), the
// outbox scan, the queue-depth sample and the Embedded Metric Format line. `oms worker` runs
// one; `oms serve` in the embedded profile runs one in-process.
#include <boost/asio/any_io_executor.hpp>
#include <memory>
#include <string>
#include <vector>

#include "app/data_subjects.hpp"
#include "app/exports.hpp"
#include "domain/clock.hpp"
#include "jobs/event_sinks.hpp"
#include "jobs/job_metrics.hpp"
#include "jobs/object_retention.hpp"
#include "jobs/outbox_relay.hpp"
#include "jobs/runner.hpp"

namespace oms::jobs {

struct WorkerOptions {
  RunnerOptions runner;
  RelayOptions relay;
  std::chrono::milliseconds relay_interval{1000};
  std::chrono::milliseconds depth_interval{5000};
  std::chrono::milliseconds emf_interval{std::chrono::minutes(1)};  // 0: no EMF lines
  std::chrono::hours retention{24 * 7};                             // SUCCEEDED jobs are deleted after this
  std::string environment = "local";
  bool log_sink = true;
  std::vector<WebhookOptions> webhooks;
  objects::ObjectStore* attachments = nullptr;  // set: its retention runs every hour
  objects::ObjectStore* exports = nullptr;      // set: export jobs run, and their results' retention
  cache::CacheAside* cache = nullptr;           // data-subject erasure invalidates the user it erased
};

class Worker {
 public:
  // Throws std::invalid_argument for a webhook URL it cannot use.
  Worker(boost::asio::any_io_executor executor, storage::Database& db, domain::Clock& clock, domain::IdGenerator& ids,
         JobMetrics& metrics, WorkerOptions options);
  // Extra handlers (tests); before start().
  HandlerRegistry& handlers() { return handlers_; }
  void start();
  awaitable<void> stop(std::chrono::milliseconds grace);

 private:
  awaitable<void> sample_depth();
  awaitable<void> purge();
  void add_data_subject_jobs(app::Ports ports);  // jobs/data_subject_jobs.cpp

  storage::Database& db_;
  domain::Clock& clock_;
  JobMetrics& metrics_;
  WorkerOptions options_;
  HandlerRegistry handlers_;
  std::unique_ptr<OutboxRelay> relay_;
  std::unique_ptr<Runner> runner_;
  std::unique_ptr<ObjectRetention> retention_;
  std::unique_ptr<app::Exports> exports_;
  std::unique_ptr<app::DataSubjects> data_subjects_;
};

}  // namespace oms::jobs
