#include "jobs/worker.hpp"

#include <boost/json/parse.hpp>

#include "logging/logging.hpp"
#include "storage/repositories/job_repository.hpp"

namespace oms::jobs {

Worker::Worker(boost::asio::any_io_executor executor, storage::Database& db, domain::Clock& clock,
               domain::IdGenerator& ids, JobMetrics& metrics, WorkerOptions options)
    : db_(db), clock_(clock), metrics_(metrics), options_(std::move(options)) {
  std::vector<std::unique_ptr<EventSink>> sinks;
  if (options_.log_sink) sinks.push_back(std::make_unique<LogSink>());
  for (const auto& w : options_.webhooks) sinks.push_back(std::make_unique<WebhookSink>(executor, w));
  relay_ = std::make_unique<OutboxRelay>(db, clock, ids, std::move(sinks), options_.relay);
  relay_->register_handler(handlers_);
  if (options_.exports != nullptr) {
    exports_ = std::make_unique<app::Exports>(app::Ports{db, clock, ids, nullptr}, options_.exports);
    app::Exports* exports = exports_.get();
    handlers_.add(app::k_export_job_type, [exports](const storage::JobRow& job) -> awaitable<void> {
      std::string id;
      try {
        id = std::string(boost::json::parse(job.payload).as_object().at("export_id").as_string());
      } catch (const std::exception&) {
        throw PermanentJobError("an export job without an export_id");
      }
      const std::string note = co_await exports->run(id, job.attempts >= job.max_attempts);
      logging::log_info(note);
    });
  }
  if (options_.exports != nullptr) add_data_subject_jobs(app::Ports{db, clock, ids, options_.cache});
  runner_ = std::make_unique<Runner>(executor, db, clock, handlers_, metrics, options_.runner);
  OutboxRelay* relay = relay_.get();
  runner_->every(options_.relay_interval, [relay]() -> awaitable<void> { co_await relay->scan(); });
  runner_->every(options_.depth_interval, [this]() { return sample_depth(); });
  runner_->every(std::chrono::hours(1), [this]() { return purge(); });
  if (options_.attachments != nullptr) {
    retention_ =
        std::make_unique<ObjectRetention>(db, clock, *options_.attachments, RetentionOptions{}, options_.exports);
    ObjectRetention* retention = retention_.get();
    runner_->every(std::chrono::hours(1), [retention]() -> awaitable<void> {
      const RetentionReport report = co_await retention->run_once();
      if (report.attachments_purged + report.uploads_purged + report.exports_purged > 0)
        logging::log_info("retention purged " + std::to_string(report.attachments_purged) + " removed attachments, " +
                          std::to_string(report.uploads_purged) + " abandoned uploads and " +
                          std::to_string(report.exports_purged) + " expired exports");
    });
  }
  if (options_.emf_interval.count() > 0) {
    runner_->every(options_.emf_interval, [this]() -> awaitable<void> {
      co_await sample_depth();
      logging::log_fields("metric", metrics_.emf(options_.environment, std::chrono::system_clock::now()));
    });
  }
}

awaitable<void> Worker::sample_depth() {
  auto session = co_await db_.begin(storage::Access::read_only);
  const auto depth = co_await storage::JobRepository::depth(*session);
  co_await session->commit();
  metrics_.set_depth(depth);
}

// Bounded per run: at most k_purge_batches batches, the rest an hour later.
awaitable<void> Worker::purge() {
  constexpr int k_batch = 1000;
  constexpr int k_purge_batches = 50;
  const auto before = clock_.now() - std::chrono::duration_cast<std::chrono::microseconds>(options_.retention);
  for (int i = 0; i < k_purge_batches; ++i) {
    auto session = co_await db_.begin(storage::Access::read_write);
    const auto deleted = co_await storage::JobRepository::purge_succeeded(*session, before, k_batch);
    co_await session->commit();
    if (deleted < k_batch) break;
  }
}

void Worker::start() { runner_->start(); }

awaitable<void> Worker::stop(std::chrono::milliseconds grace) { co_await runner_->stop(grace); }

}  // namespace oms::jobs
