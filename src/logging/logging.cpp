#include "logging/logging.hpp"

#include <spdlog/async.h>
#include <spdlog/async_logger.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <chrono>
#include <cmath>
#include <memory>
#include <mutex>

#include "util/time.hpp"
#include "util/utf8.hpp"

namespace oms::logging {
namespace {

constexpr std::size_t k_log_queue_lines = 16384;

struct State {
  std::shared_ptr<spdlog::logger> logger;
  std::string environment = "local";
};

State& state() {
  static State s;
  static std::once_flag once;
  std::call_once(once, [] {
    // Lines are written by spdlog's background thread, so an I/O thread never waits on stdout.
    // Under back-pressure the oldest queued lines are overwritten rather than stalling requests.
    spdlog::init_thread_pool(k_log_queue_lines, 1);
    auto sink = std::make_shared<spdlog::sinks::stdout_sink_mt>();
    s.logger = std::make_shared<spdlog::async_logger>("oms-json", std::move(sink), spdlog::thread_pool(),
                                                      spdlog::async_overflow_policy::overrun_oldest);
    s.logger->set_pattern("%v");
    s.logger->set_level(spdlog::level::info);
    s.logger->flush_on(spdlog::level::trace);
  });
  return s;
}

boost::json::object base(std::string_view type, std::string_view level) {
  boost::json::object o;
  o["ts"] = util::format_timestamp(std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now()));
  o["level"] = level;
  o["type"] = type;
  o["environment"] = state().environment;
  return o;
}

void with_ids(boost::json::object& o, std::string_view request_id, std::string_view trace_id) {
  if (!request_id.empty()) o["request_id"] = request_id;
  if (!trace_id.empty()) o["trace_id"] = trace_id;
}

void emit(spdlog::level::level_enum level, std::string_view type, std::string_view message, std::string_view request_id,
          std::string_view trace_id) {
  auto& s = state();
  if (!s.logger->should_log(level)) return;
  const auto name = spdlog::level::to_string_view(level);
  auto o = base(type, std::string_view(name.data(), name.size()));
  o["message"] = util::to_valid_utf8(message);
  with_ids(o, request_id, trace_id);
  s.logger->log(level, "{}", boost::json::serialize(o));
}

}  // namespace

bool init_logging(std::string_view level, std::string environment) {
  auto parsed = spdlog::level::from_str(std::string(level));
  if (parsed == spdlog::level::off && level != "off") return false;
  auto& s = state();
  s.environment = std::move(environment);
  s.logger->set_level(parsed);
  return true;
}

void log_access(const AccessRecord& r) {
  auto& s = state();
  if (!s.logger->should_log(spdlog::level::info)) return;
  auto o = base("access", "info");
  with_ids(o, r.request_id, r.trace_id);
  o["method"] = r.method;
  o["path"] = util::to_valid_utf8(r.path);
  o["route"] = r.route;
  o["status"] = r.status;
  o["duration_ms"] = std::round(r.duration_ms * 1000.0) / 1000.0;
  o["response_bytes"] = r.response_bytes;
  if (!r.client_ip.empty()) o["client_ip"] = r.client_ip;
  if (!r.user_id.empty()) o["user_id"] = r.user_id;
  s.logger->info("{}", boost::json::serialize(o));
}

void log_info(std::string_view m, std::string_view rid, std::string_view tid) {
  emit(spdlog::level::info, "application", m, rid, tid);
}
void log_warn(std::string_view m, std::string_view rid, std::string_view tid) {
  emit(spdlog::level::warn, "application", m, rid, tid);
}
void log_error(std::string_view m, std::string_view rid, std::string_view tid) {
  emit(spdlog::level::err, "error", m, rid, tid);
}

void log_fields(std::string_view type, boost::json::object fields) {
  auto& s = state();
  if (!s.logger->should_log(spdlog::level::info)) return;
  for (auto& [key, value] : base(type, "info"))
    if (!fields.contains(key)) fields[key] = value;
  s.logger->info("{}", boost::json::serialize(fields));
}

void shutdown_logging() {
  state().logger->flush();
  spdlog::shutdown();
}

}  // namespace oms::logging
