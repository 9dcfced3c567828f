#pragma once
// Prometheus metrics of the HTTP layer, rendered in the text exposition format:
//   http_requests_total{route,method,status}      counter
//   http_request_duration_seconds{route}          histogram
//   db_pool_connections{state}                    gauge (in_use, idle, waiting)
//   process_start_time_seconds                    gauge
// Thread-safe; the route label is the route pattern (bounded cardinality), never the raw path.
#include <array>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "http/router.hpp"
#include "storage/database.hpp"

namespace oms::http {

class Metrics {
 public:
  static constexpr std::array<double, 12> k_buckets{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                    0.1,   0.25,   0.5,   1.0,  2.5,   10.0};

  explicit Metrics(std::chrono::system_clock::time_point started = std::chrono::system_clock::now())
      : started_(started) {}

  void observe(std::string_view route, Method method, int status, double seconds);
  std::string render(const std::optional<storage::PoolStats>& pool) const;
  // Adds metrics rendered elsewhere (complete exposition text, HELP and TYPE lines included:
  // the job worker's, the tracer's, the cache's), appended to render()'s text. Register sources before
  // serving; each must be thread-safe.
  void add_source(std::function<std::string()> source) { sources_.push_back(std::move(source)); }

 private:
  struct Histogram {
    std::array<std::uint64_t, k_buckets.size()> counts{};
    std::uint64_t count = 0;
    double sum = 0;
  };
  std::chrono::system_clock::time_point started_;
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Histogram> durations_;
  std::vector<std::function<std::string()>> sources_;
};

// Escapes a label value (backslash, double quote, line feed).
std::string prometheus_label(std::string_view value);

}  // namespace oms::http
