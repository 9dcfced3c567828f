#include "http/metrics.hpp"

#include <fmt/format.h>

namespace oms::http {

std::string prometheus_label(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void Metrics::observe(std::string_view route, Method method, int status, double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{std::string(route), std::string(method_name(method)), status}];
  auto& h = durations_[std::string(route)];
  for (std::size_t i = 0; i < k_buckets.size(); ++i)
    if (seconds <= k_buckets[i]) ++h.counts[i];
  ++h.count;
  h.sum += seconds;
}

std::string Metrics::render(const std::optional<storage::PoolStats>& pool) const {
  std::string out;
  out += "# HELP http_requests_total HTTP requests answered, by route pattern, method and status.\n";
  out += "# TYPE http_requests_total counter\n";
  std::lock_guard lock(mutex_);
  for (const auto& [key, n] : requests_) {
    const auto& [route, method, status] = key;
    out += fmt::format("http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n", prometheus_label(route),
                       method, status, n);
  }
  out += "# HELP http_request_duration_seconds Time from a complete request to its response, by route pattern.\n";
  out += "# TYPE http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : durations_) {
    const std::string label = prometheus_label(route);
    for (std::size_t i = 0; i < k_buckets.size(); ++i)
      out += fmt::format("http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n", label, k_buckets[i],
                         h.counts[i]);
    out += fmt::format("http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n", label, h.count);
    out += fmt::format("http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", label, h.sum);
    out += fmt::format("http_request_duration_seconds_count{{route=\"{}\"}} {}\n", label, h.count);
  }
  if (pool) {
    out += "# HELP db_pool_connections Database connections of the primary pool by state.\n";
    out += "# TYPE db_pool_connections gauge\n";
    const auto idle = pool->size > pool->in_use ? pool->size - pool->in_use : 0;
    out += fmt::format("db_pool_connections{{state=\"in_use\"}} {}\n", pool->in_use);
    out += fmt::format("db_pool_connections{{state=\"idle\"}} {}\n", idle);
    out += fmt::format("db_pool_connections{{state=\"waiting\"}} {}\n", pool->waiting);
  }
  out += "# HELP process_start_time_seconds Start time of the process since the Unix epoch in seconds.\n";
  out += "# TYPE process_start_time_seconds gauge\n";
  const auto start =
      std::chrono::duration_cast<std::chrono::milliseconds>(started_.time_since_epoch()).count() / 1000.0;
  out += fmt::format("process_start_time_seconds {:.3f}\n", start);
  for (const auto& source : sources_) out += source();
  return out;
}

}  // namespace oms::http
