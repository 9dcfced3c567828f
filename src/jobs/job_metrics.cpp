#include "jobs/job_metrics.hpp"

#include <fmt/format.h>

#include <boost/json.hpp>

#include "http/metrics.hpp"

namespace oms::jobs {

void JobMetrics::outcome(const std::string& type, const std::string& outcome) {
  std::lock_guard lock(mutex_);
  ++outcomes_[{type, outcome}];
}

void JobMetrics::set_depth(const std::vector<storage::JobDepth>& depth) {
  std::lock_guard lock(mutex_);
  for (auto& [key, count] : depth_) count = 0;
  for (const auto& d : depth) depth_[{d.type, d.state}] = d.count;
}

std::int64_t JobMetrics::backlog() const {
  std::lock_guard lock(mutex_);
  std::int64_t n = 0;
  for (const auto& [key, count] : depth_)
    if (key.second == storage::k_job_queued || key.second == storage::k_job_running) n += count;
  return n;
}

std::string JobMetrics::render() const {
  std::string out;
  std::lock_guard lock(mutex_);
  out += "# HELP oms_job_queue_depth Jobs in the durable queue by type and state (QUEUED, RUNNING, DEAD).\n";
  out += "# TYPE oms_job_queue_depth gauge\n";
  for (const auto& [key, count] : depth_)
    out += fmt::format("oms_job_queue_depth{{type=\"{}\",state=\"{}\"}} {}\n", http::prometheus_label(key.first),
                       key.second, count);
  out += "# HELP oms_jobs_total Job attempts finished by this process, by type and outcome.\n";
  out += "# TYPE oms_jobs_total counter\n";
  for (const auto& [key, count] : outcomes_)
    out += fmt::format("oms_jobs_total{{type=\"{}\",outcome=\"{}\"}} {}\n", http::prometheus_label(key.first),
                       key.second, count);
  return out;
}

boost::json::object JobMetrics::emf(const std::string& environment, std::chrono::system_clock::time_point at) const {
  namespace json = boost::json;
  json::object metric{{"Name", k_emf_queue_depth_metric}, {"Unit", "Count"}};
  json::object directive{{"Namespace", k_emf_namespace},
                         {"Dimensions", json::array{json::array{k_emf_dimension}}},
                         {"Metrics", json::array{metric}}};
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
  json::object out;
  out["_aws"] = json::object{{"Timestamp", ms}, {"CloudWatchMetrics", json::array{directive}}};
  out[k_emf_dimension] = environment;
  out[k_emf_queue_depth_metric] = backlog();
  return out;
}

}  // namespace oms::jobs
