#pragma once
// The service as `oms serve` wires it, minus the socket, for the router and pipeline targets: a
// real SQLite store in a fresh temporary directory (migrated, demo catalog seeded), the use
// cases, every route, a sequential id generator and a clock that moves 1 ms per request.
// Tokens are not RSA here (jwt_fuzz covers them): "Bearer <ROLE>:<user id>" is that caller.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "app/services.hpp"
#include "domain/clock.hpp"
#include "domain/error.hpp"
#include "fuzz/fuzz_support.hpp"
#include "http/api_routes.hpp"
#include "http/builtin_routes.hpp"
#include "http/pipeline.hpp"
#include "logging/logging.hpp"
#include "storage/migrations.hpp"
#include "storage/open.hpp"
#include "util/utf8.hpp"

namespace oms::fuzz {

// Predictable UUIDs: 00000000-0000-4000-8000-<counter>.
class SequentialIds final : public domain::IdGenerator {
 public:
  std::string next() override {
    char buf[40];
    std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012llx", ++counter_);
    return buf;
  }

 private:
  unsigned long long counter_ = 0;
};

inline http::Method method_from(std::string_view word) {
  using http::Method;
  if (word == "GET") return Method::get;
  if (word == "HEAD") return Method::head;
  if (word == "POST") return Method::post;
  if (word == "PUT") return Method::put;
  if (word == "PATCH") return Method::patch;
  if (word == "DELETE") return Method::del;
  if (word == "OPTIONS") return Method::options;
  return Method::other;
}

// "<METHOD> <target>\n" then "name: value\n" header lines up to an empty line, then the body.
// Header names are lower-cased, as the server hands them over.
inline http::Request request_from(std::string_view text) {
  http::Request r;
  auto [first, rest] = split_line(text);
  const auto space = first.find(' ');
  r.method = method_from(first.substr(0, space));
  r.target = space == std::string_view::npos ? std::string() : std::string(first.substr(space + 1));
  while (!rest.empty()) {
    auto [line, after] = split_line(rest);
    rest = after;
    if (line.empty()) break;
    const auto colon = line.find(':');
    std::string name(line.substr(0, colon));
    for (char& c : name)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    std::string_view value = colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    r.headers.emplace_back(std::move(name), std::string(value));
  }
  r.body = std::string(rest);
  return r;
}

class FuzzService {
 public:
  FuzzService() : dir_(make_dir()), guard_(boost::asio::make_work_guard(io_)), thread_([this] { io_.run(); }) {
    // OMS_FUZZ_LOG_LEVEL=error shows why a reproduced input failed.
    const char* level = std::getenv("OMS_FUZZ_LOG_LEVEL");
    logging::init_logging(level != nullptr ? level : "off", "fuzz");
    storage::DatabaseOptions options;
    options.url = "sqlite://" + (dir_ / "oms.db").string();
    db_ = storage::open_database(io_.get_executor(), options);
    services_ = std::make_unique<app::Services>(app::Ports{*db_, clock_, ids_});
    run(storage::migrate(*db_));
    run(app::seed_demo(services_->ports));
    http::register_builtin_routes(router_, *db_, metrics_, readiness_);
    http::register_api_routes(router_, *services_);
    http::Authenticate authenticate = [](std::string token) -> http::awaitable<domain::Principal> {
      co_return principal_from(token);
    };
    http::TouchUser touch = [this](const domain::Principal& p) -> http::awaitable<void> {
      co_await services_->users.touch(p);
    };
    pipeline_ = std::make_unique<http::Pipeline>(router_, metrics_, limiter_, authenticate, touch);
  }

  ~FuzzService() {
    pipeline_.reset();
    services_.reset();
    db_->close();
    guard_.reset();
    io_.stop();
    thread_.join();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  FuzzService(const FuzzService&) = delete;
  FuzzService& operator=(const FuzzService&) = delete;

  const http::Router& router() const { return router_; }

  http::Response handle(http::Request& request) {
    clock_.advance(std::chrono::milliseconds(1));
    return run(pipeline_->handle(request, "127.0.0.1"));
  }

  template <class T>
  T run(boost::asio::awaitable<T> a) {
    return boost::asio::co_spawn(io_, std::move(a), boost::asio::use_future).get();
  }

 private:
  static std::filesystem::path make_dir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "oms-fuzz-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) fail("cannot create a temporary directory");
    return pattern;
  }

  // "<ROLE>:<user id>": ADMIN, SALES_MANAGER, SOLUTION_ARCHITECT or SERVICE; ids of 1..64 bytes
  // of UTF-8, as a verified token's "sub" (a JSON string) always is.
  static domain::Principal principal_from(std::string_view token) {
    const auto colon = token.find(':');
    auto role = domain::parse_enum<domain::Role>(token.substr(0, colon));
    const std::string_view id = colon == std::string_view::npos ? std::string_view() : token.substr(colon + 1);
    if (!role || id.empty() || id.size() > 64 || !util::is_valid_utf8(id))
      throw domain::DomainError(domain::ErrorCode::unauthenticated, "The token's signature is invalid.");
    domain::Principal p;
    p.user_id = std::string(id);
    p.role = *role;
    p.name = "Fuzz " + p.user_id;
    p.email = p.user_id + "@example.com";
    return p;
  }

  std::filesystem::path dir_;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
  std::thread thread_;
  domain::ManualClock clock_{domain::Timestamp{std::chrono::sys_days{std::chrono::year{2026} / 3 / 2}}};
  SequentialIds ids_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<app::Services> services_;
  http::Router router_;
  http::Metrics metrics_;
  http::Readiness readiness_;
  // Generous: the limiter runs on every request, but must not turn the fuzzer's calls into 429s.
  http::RateLimiter limiter_{1e9, 1e9};
  std::unique_ptr<http::Pipeline> pipeline_;
};

}  // namespace oms::fuzz
