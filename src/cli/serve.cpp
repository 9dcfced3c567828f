// `oms serve`: wires the process together and runs it until SIGTERM/SIGINT.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <thread>

#include "app/services.hpp"
#include "cli/commands.hpp"
#include "cli/config.hpp"
#include "cli/database_options.hpp"
#include "domain/clock.hpp"
#include "http/api_routes.hpp"
#include "http/builtin_routes.hpp"
#include "http/logging.hpp"
#include "http/pipeline.hpp"
#include "http/server.hpp"
#include "identity/jwks_source.hpp"
#include "identity/local_key.hpp"
#include "identity/verifier.hpp"
#include "storage/migrations.hpp"
#include "storage/open.hpp"

namespace oms::cli {
namespace asio = boost::asio;

namespace {

std::string serve_help() {
  return "usage: oms serve [options]\n"
         "Runs the HTTP API until SIGTERM or SIGINT, then drains in-flight requests.\n\n"
         "options:\n" +
         settings_help();
}

}  // namespace

int run_serve(const std::vector<std::string>& args) {
  Flags flags = parse_flags(args, setting_names());
  if (flags.help) {
    std::cout << serve_help();
    return 0;
  }
  const Config config = resolve_config(flags, process_env);
  http::init_logging(config.log_level, config.environment);

  if (config.embedded()) {
    std::filesystem::create_directories(config.data_dir);
    // The local identity provider: its JWKS is what the default --jwks-url points at.
    const auto local = identity::ensure_local_key(config.data_dir);
    http::log_info("local signing key " + local.kid + " at " + local.private_key_path.string());
  }

  asio::io_context io(static_cast<int>(config.io_threads));
  auto db = storage::open_database(io.get_executor(), database_options(config));
  domain::SystemClock clock;
  domain::RandomIdGenerator ids;
  app::Services services(app::Ports{*db, clock, ids});

  identity::VerifierOptions verifier_options;
  verifier_options.verify = {config.jwt_issuer, config.jwt_audience, std::chrono::seconds(60)};
  verifier_options.warn = [](const std::string& m) { http::log_warn(m); };
  identity::TokenVerifier verifier(verifier_options, identity::make_jwks_fetcher(config.jwks_url, io.get_executor()),
                                   clock);

  http::Router router;
  http::Metrics metrics;
  http::Readiness readiness;
  http::register_builtin_routes(router, *db, metrics, readiness);
  http::register_api_routes(router, services);
  http::RateLimiter limiter(config.rate_limit_per_second, config.rate_limit_burst);
  http::Authenticate authenticate = [&verifier](std::string token) -> http::awaitable<domain::Principal> {
    co_return co_await verifier.verify(std::move(token));
  };
  http::TouchUser touch = [&services](const domain::Principal& p) -> http::awaitable<void> {
    co_await services.users.touch(p);
  };
  http::PipelineOptions pipeline_options;
  pipeline_options.max_body_bytes = config.max_body_bytes;
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
  http::Server server(io, pipeline, server_options);

  asio::signal_set signals(io, SIGINT, SIGTERM);
  std::exception_ptr failure;
  auto lifetime = [&]() -> asio::awaitable<void> {
    if (config.embedded()) {
      const auto report = co_await storage::migrate(*db);
      for (const auto& name : report.applied) http::log_info("applied migration " + name);
    }
    co_await verifier.load();
    const unsigned short port = server.listen();
    server.start();
    http::log_info("listening on " + config.address + ":" + std::to_string(port) + " (" + config.profile +
                   " profile, " + std::to_string(config.io_threads) + " I/O threads, at most " +
                   std::to_string(server.max_connections()) + " connections of " + std::to_string(descriptors) +
                   " descriptors)");
    const int signal = co_await signals.async_wait(asio::use_awaitable);
    http::log_info("signal " + std::to_string(signal) + ": draining for up to " +
                   std::to_string(config.shutdown_grace.count()) + " s");
    readiness.draining = true;
    co_await server.shutdown(config.shutdown_grace);
    db->close();
    http::log_info("stopped");
    io.stop();
  };
  asio::co_spawn(io, lifetime(), [&](std::exception_ptr e) {
    if (e) {
      failure = e;
      io.stop();
    }
  });

  std::vector<std::thread> threads;
  for (unsigned i = 1; i < config.io_threads; ++i) threads.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& t : threads) t.join();

  if (failure) {
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& e) {
      http::log_error(std::string("oms serve failed: ") + e.what());
      std::cerr << "oms serve: " << e.what() << "\n";
    }
    db->close();
    http::shutdown_logging();
    return 1;
  }
  http::shutdown_logging();
  return 0;
}

}  // namespace oms::cli
