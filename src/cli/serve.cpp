// `oms serve`: wires the process together and runs it until SIGTERM/SIGINT.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <csignal>
#include <filesystem>
#include <iostream>

#include "adapters/system_clock.hpp"
#include "adapters/time_ordered_ids.hpp"
#include "app/read_audit.hpp"
#include "app/services.hpp"
#include "cache/open.hpp"
#include "cache/prometheus.hpp"
#include "cli/allocator.hpp"
#include "cli/commands.hpp"
#include "cli/config.hpp"
#include "cli/database_options.hpp"
#include "cli/io_contexts.hpp"
#include "cli/object_stores.hpp"
#include "cli/run_until_stopped.hpp"
#include "cli/worker_setup.hpp"
#include "domain/attachments.hpp"
#include "http/api_routes.hpp"
#include "http/builtin_routes.hpp"
#include "http/dev_sign_in.hpp"
#include "http/handlers/attachments.hpp"
#include "http/internal_listener.hpp"
#include "http/pipeline.hpp"
#include "http/server.hpp"
#include "http/web_routes.hpp"
#include "identity/jwks_source.hpp"
#include "identity/local_key.hpp"
#include "identity/verifier.hpp"
#include "jobs/worker.hpp"
#include "logging/logging.hpp"
#include "objects/s3_store.hpp"
#include "storage/migrations.hpp"
#include "storage/open.hpp"
#include "storage/postgres/replica_fence.hpp"
#include "tracing/traced_cache.hpp"
#include "tracing/traced_database.hpp"
#include "tracing/tracer.hpp"

namespace oms::cli {
namespace asio = boost::asio;

namespace {

std::string serve_help() {
  return "usage: oms serve [options]\n"
         "Runs the HTTP API until SIGTERM or SIGINT, then drains in-flight requests.\n\n"
         "options:\n" +
         settings_help();
}

// The web page at / and, in the embedded profile on a loopback address only, its development sign-in.
void register_web(http::Router& router, const Config& config) {
  http::WebConfig web;
  web.development_sign_in = config.embedded() && http::is_loopback_address(config.address);
  web.cognito_domain = config.cognito_domain;
  web.client_id = config.jwt_client_id;
  // The page uploads attachments straight to S3 (file:// URLs are this origin).
  if (config.attachments_url.starts_with("s3://"))
    web.upload_origin = objects::parse_s3_url(config.attachments_url, process_env).scheme_host;
  http::register_web_routes(router, web);
  if (!web.development_sign_in) return;
  http::DevSignInOptions dev{identity::ensure_local_key(config.data_dir), config.jwt_issuer, config.jwt_client_id};
  http::register_dev_sign_in_routes(router, std::move(dev));
}

}  // namespace

int run_serve(const std::vector<std::string>& args) {
  Flags flags = parse_flags(args, setting_names());
  if (flags.help) {
    std::cout << serve_help();
    return 0;
  }
  const Config config = resolve_config(flags, process_env);
  logging::init_logging(config.log_level, config.environment);

  if (config.embedded()) {
    std::filesystem::create_directories(config.data_dir);
    // The local identity provider: its JWKS is what the default --jwks-url points at.
    const auto local = identity::ensure_local_key(config.data_dir);
    logging::log_info("local signing key " + local.kid + " at " + local.private_key_path.string());
  }

  IoContexts contexts(config.io_threads);
  asio::io_context& io = contexts.main();
  const std::vector<asio::io_context*> more_io = contexts.more();
  auto db = storage::open_database(io.get_executor(), database_options(config));
  adapters::SystemClock clock;
  adapters::TimeOrderedIdGenerator ids;
  // X-Ray: requests' segments, with the database sessions and queries as subsegments.
  tracing::TracerOptions tracer_options;
  tracer_options.enabled = config.tracing;
  tracer_options.daemon_address = config.xray_daemon_address;
  tracer_options.sample_rate = config.trace_sample_rate;
  if (!config.embedded()) tracer_options.origin = "AWS::ECS::Container";
  tracing::Tracer tracer(io.get_executor(), tracer_options);
  tracing::TracedDatabase traced_db(*db, config.database_url);
  // The cache never fails a request: down or slow, reads go to the database (cache/guarded_cache.hpp).
  // Redis commands are subsegments of the request's trace.
  const cache::Wrap traced_cache = [](cache::Cache& backend) -> std::unique_ptr<cache::Cache> {
    return std::make_unique<tracing::TracedCache>(backend, "Redis");
  };
  auto cache = cache::open_cache(
      io.get_executor(), config.cache_url, config.cache_auth_token, [](const std::string& m) { logging::log_warn(m); },
      [](const std::string& m) { logging::log_info(m); }, traced_cache, config.cache_local_tier_mb << 20);
  // Attachments (src/objects): file:// is served by this process, s3:// signed for S3.
  ObjectStores stores = open_object_stores(config, io.get_executor(), clock);
  // Admin reads of personal data are audited in batches, written by this process (app/read_audit.hpp).
  std::unique_ptr<app::ReadAuditLog> read_audit;
  if (config.audit_reads)
    read_audit =
        std::make_unique<app::ReadAuditLog>(io.get_executor(), app::Ports{traced_db, clock, ids, cache.aside.get()});
  app::Services services(app::Ports{traced_db, clock, ids, cache.aside.get(), read_audit.get()},
                         stores.attachments.get(), stores.exports.get());
  services.attachments.use_download_signer(stores.attachment_downloads.get());
  services.exports.set_download_ttl(config.exports_url_ttl);

  identity::VerifierOptions verifier_options;
  verifier_options.verify = {config.jwt_issuer, config.jwt_client_id, std::chrono::seconds(60),
                             config.jwt_service_scope};
  verifier_options.warn = [](const std::string& m) { logging::log_warn(m); };
  identity::TokenVerifier verifier(verifier_options, identity::make_jwks_fetcher(config.jwks_url, io.get_executor()),
                                   clock);

  http::Router router;
  http::Metrics metrics;
  metrics.add_source([&tracer] { return tracer.render_metrics(); });
  metrics.add_source([&db] { return storage::postgres::render_replica_metrics(*db); });  // "" without a replica
  metrics.add_source([&cache] { return cache::render_cache_metrics(cache); });
  http::Readiness readiness;
  if (cache.guarded) readiness.cache_state = [&cache] { return cache.guarded->state(); };
  http::register_builtin_routes(router, *db, metrics, readiness);
  http::register_api_routes(router, services);
  register_web(router, config);
  {
    std::vector<http::handlers::ServedStore> served;
    if (stores.attachments_file != nullptr) {
      const auto max_upload = static_cast<std::size_t>(domain::k_attachment_max_bytes);
      served.push_back({"attachments", stores.attachments_file, max_upload});
    }
    // Exports are written by the worker, never uploaded: only their signed GETs are served.
    if (stores.exports_file != nullptr) served.push_back({"exports", stores.exports_file, 1});
    if (!served.empty()) http::handlers::register_object_routes(router, std::move(served), clock);
  }
  // The embedded profile runs the job worker in-process so one command delivers the outbox too.
  jobs::JobMetrics job_metrics;
  std::unique_ptr<jobs::Worker> worker;
  if (config.worker_in_serve) {
    jobs::WorkerOptions options = worker_options(config);
    options.attachments = stores.attachments.get();
    options.exports = stores.exports.get();
    options.runner.tracer = &tracer;
    options.cache = cache.aside.get();
    worker = std::make_unique<jobs::Worker>(io.get_executor(), traced_db, clock, ids, job_metrics, std::move(options));
    metrics.add_source([&job_metrics] { return job_metrics.render(); });
  }
  http::RateLimiter limiter(config.rate_limit_per_second, config.rate_limit_burst);
  http::Authenticate authenticate = [&verifier](std::string token) -> http::awaitable<domain::Principal> {
    co_return co_await verifier.verify(std::move(token));
  };
  http::TouchUser touch = [&services](const domain::Principal& p) -> http::awaitable<void> {
    co_await services.users.touch(p);
  };
  http::PipelineOptions pipeline_options;
  pipeline_options.max_body_bytes = config.max_body_bytes;
  // Production: /metrics only on the internal port, never through the load balancer.
  if (!config.embedded()) pipeline_options.internal_paths = {"/metrics"};
  pipeline_options.tracer = &tracer;
  http::Pipeline pipeline(router, metrics, limiter, authenticate, touch, pipeline_options);
  http::ServerOptions server_options;
  server_options.address = config.address;
  server_options.port = config.port;
  server_options.idle_timeout = config.idle_timeout;
  server_options.header_timeout = config.header_timeout;
  server_options.body_timeout = config.body_timeout;
  server_options.min_transfer_rate = config.min_transfer_rate;
  const std::size_t descriptors = http::raise_descriptor_limit();
  server_options.max_connections = config.max_connections;
  server_options.on_connection_storm = on_connection_storm;
  http::Server server(io, pipeline, server_options, more_io);
  std::unique_ptr<http::InternalListener> internal;
  if (config.metrics_port != 0)
    internal =
        std::make_unique<http::InternalListener>(io, *db, metrics, readiness, config.address, config.metrics_port);

  asio::signal_set signals(io, SIGINT, SIGTERM);
  auto lifetime = [&]() -> asio::awaitable<void> {
    if (config.embedded()) {
      const auto report = co_await storage::migrate(*db);
      for (const auto& name : report.applied) logging::log_info("applied migration " + name);
    }
    co_await verifier.load();
    const unsigned short port = server.listen();
    {
      // Where file:// URLs point: this listener, as clients on this machine reach it.
      const bool any = config.address == "0.0.0.0" || config.address == "::";
      std::string host = any ? "127.0.0.1" : config.address;
      if (host.find(':') != std::string::npos) host = "[" + host + "]";
      *stores.origin = "http://" + host + ":" + std::to_string(port);
    }
    server.start();
    if (internal) {
      const unsigned short metrics_port = internal->listen();
      internal->start();
      logging::log_info("metrics on " + config.address + ":" + std::to_string(metrics_port) + " (internal)");
    }
    if (!tracer.error().empty()) logging::log_warn("tracing is off: " + tracer.error());
    if (tracer.enabled())
      logging::log_info("tracing to the X-Ray daemon at " + config.xray_daemon_address + " (sample rate " +
                        std::to_string(config.trace_sample_rate) + ")");
    if (worker) worker->start();
    if (read_audit) read_audit->start();
    logging::log_info("listening on " + config.address + ":" + std::to_string(port) + " (" + config.profile +
                      " profile, " + std::to_string(config.io_threads) + " I/O threads, at most " +
                      std::to_string(server.max_connections()) + " connections of " + std::to_string(descriptors) +
                      " descriptors, " + allocator_name() + ")");
    const int signal = co_await signals.async_wait(asio::use_awaitable);
    logging::log_info("signal " + std::to_string(signal) + ": draining for up to " +
                      std::to_string(config.shutdown_grace.count()) + " s");
    readiness.draining = true;
    co_await server.shutdown(config.shutdown_grace);
    if (internal) co_await internal->shutdown(std::chrono::seconds(1));
    if (worker) co_await worker->stop(config.shutdown_grace);
    if (read_audit) {
      try {
        co_await read_audit->stop();
      } catch (const std::exception& e) {
        logging::log_error(std::string("read audit entries not written at shutdown: ") + e.what());
      }
    }
    db->close();
    logging::log_info("stopped");
    io.stop();
  };
  return run_until_stopped(io, 1, lifetime(), *db, "oms serve", more_io);
}

}  // namespace oms::cli
