// `oms worker`: runs the job worker until SIGTERM/SIGINT, then drains (running jobs finish
// within the grace period, leases still held after it are given back) and exits 0. Serves
// /health, /health/ready and /metrics on --worker-port for the ECS health check.
#include "jobs/worker.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <csignal>
#include <filesystem>
#include <iostream>

#include "adapters/system_clock.hpp"
#include "adapters/time_ordered_ids.hpp"
#include "cache/open.hpp"
#include "cache/prometheus.hpp"
#include "cli/commands.hpp"
#include "cli/config.hpp"
#include "cli/database_options.hpp"
#include "cli/object_stores.hpp"
#include "cli/run_until_stopped.hpp"
#include "cli/worker_setup.hpp"
#include "domain/clock.hpp"
#include "domain/error.hpp"
#include "http/builtin_routes.hpp"
#include "http/pipeline.hpp"
#include "http/server.hpp"
#include "logging/logging.hpp"
#include "storage/migrations.hpp"
#include "storage/open.hpp"
#include "storage/postgres/replica_fence.hpp"
#include "tracing/traced_database.hpp"
#include "tracing/tracer.hpp"

namespace oms::cli {
namespace asio = boost::asio;

namespace {

std::string worker_help() {
  return "usage: oms worker [options]\n"
         "Runs the background jobs (outbox delivery) until SIGTERM or SIGINT, then drains.\n"
         "Serves /health, /health/ready and /metrics on --worker-port.\n\n"
         "options:\n" +
         settings_help();
}

// The worker's port has no authenticated routes; a bearer token is never accepted.
asio::awaitable<domain::Principal> refuse_tokens(std::string) {
  throw domain::DomainError(domain::ErrorCode::unauthenticated, "The worker port has no authenticated routes.");
  co_return domain::Principal{};
}
asio::awaitable<void> no_touch(const domain::Principal&) { co_return; }

}  // namespace

int run_worker(const std::vector<std::string>& args) {
  Flags flags = parse_flags(args, setting_names());
  if (flags.help) {
    std::cout << worker_help();
    return 0;
  }
  const Config config = resolve_config(flags, process_env);
  logging::init_logging(config.log_level, config.environment);
  if (config.embedded()) std::filesystem::create_directories(config.data_dir);

  asio::io_context io(static_cast<int>(config.io_threads));
  auto db = storage::open_database(io.get_executor(), database_options(config));
  adapters::SystemClock clock;
  adapters::TimeOrderedIdGenerator ids;
  jobs::JobMetrics job_metrics;
  // X-Ray: one segment per sampled job run, its database sessions and queries as subsegments.
  tracing::TracerOptions tracer_options;
  tracer_options.enabled = config.tracing;
  tracer_options.daemon_address = config.xray_daemon_address;
  tracer_options.sample_rate = config.trace_sample_rate;
  if (!config.embedded()) tracer_options.origin = "AWS::ECS::Container";
  tracing::Tracer tracer(io.get_executor(), tracer_options);
  tracing::TracedDatabase traced_db(*db, config.database_url);
  // Attachment retention (src/jobs/object_retention.hpp) works through the same store as the API.
  ObjectStores stores = open_object_stores(config, io.get_executor(), clock);
  // The API processes' cache: an erasure (data-subject job) drops the erased user from it, and with
  // a local tier its pub/sub invalidation reaches every API process's tier, as a write in serve does.
  auto cache = cache::open_cache(
      io.get_executor(), config.cache_url, config.cache_auth_token, [](const std::string& m) { logging::log_warn(m); },
      [](const std::string& m) { logging::log_info(m); }, {}, config.cache_local_tier_mb << 20);
  jobs::WorkerOptions options = worker_options(config);
  options.cache = cache.aside.get();
  options.attachments = stores.attachments.get();
  options.exports = stores.exports.get();
  options.runner.tracer = &tracer;
  jobs::Worker worker(io.get_executor(), traced_db, clock, ids, job_metrics, std::move(options));

  http::Router router;
  http::Metrics metrics;
  metrics.add_source([&job_metrics] { return job_metrics.render(); });
  metrics.add_source([&db] { return storage::postgres::render_replica_metrics(*db); });
  metrics.add_source([&tracer] { return tracer.render_metrics(); });
  metrics.add_source([&cache] { return cache::render_cache_metrics(cache); });  // the erasures' cache
  http::Readiness readiness;
  http::register_builtin_routes(router, *db, metrics, readiness);
  http::RateLimiter limiter(0, 1);
  http::Pipeline pipeline(router, metrics, limiter, refuse_tokens, no_touch, http::PipelineOptions{});
  http::ServerOptions server_options;
  server_options.address = config.address;
  server_options.port = config.worker_port;
  http::Server server(io, pipeline, server_options);

  asio::signal_set signals(io, SIGINT, SIGTERM);
  auto lifetime = [&]() -> asio::awaitable<void> {
    if (config.embedded()) {
      const auto report = co_await storage::migrate(*db);
      for (const auto& name : report.applied) logging::log_info("applied migration " + name);
    }
    const unsigned short port = server.listen();
    server.start();
    if (!tracer.error().empty()) logging::log_warn("tracing is off: " + tracer.error());
    worker.start();
    logging::log_info("worker listening on " + config.address + ":" + std::to_string(port) + " (" +
                      std::to_string(config.worker_concurrency) + " concurrent jobs)");
    const int signal = co_await signals.async_wait(asio::use_awaitable);
    logging::log_info("signal " + std::to_string(signal) + ": draining jobs for up to " +
                      std::to_string(config.shutdown_grace.count()) + " s");
    readiness.draining = true;
    co_await worker.stop(config.shutdown_grace);
    co_await server.shutdown(std::chrono::seconds(1));
    db->close();
    logging::log_info("stopped");
    io.stop();
  };
  return run_until_stopped(io, config.io_threads, lifetime(), *db, "oms worker");
}

}  // namespace oms::cli
