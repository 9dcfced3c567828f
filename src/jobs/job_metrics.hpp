#pragma once
// What the worker reports about its queue:
//   oms_job_queue_depth{type,state}   gauge, jobs QUEUED / RUNNING / DEAD (sampled from the table)
//   oms_jobs_total{type,outcome}      counter, outcomes of this process's attempts:
//                                     succeeded | retried | dead | released
// and, once per interval, a CloudWatch Embedded Metric Format line: namespace OMS, metric
// JobQueueDepth (QUEUED + RUNNING over every type), dimension Environment. infra/lib/compute.ts
// scales the worker service on exactly these names (infra/test/metrics.test.ts ties them).
#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "storage/repositories/job_repository.hpp"

namespace oms::jobs {

inline constexpr const char* k_emf_namespace = "OMS";
inline constexpr const char* k_emf_queue_depth_metric = "JobQueueDepth";
inline constexpr const char* k_emf_dimension = "Environment";

class JobMetrics {
 public:
  void outcome(const std::string& type, const std::string& outcome);
  // Replaces the sampled depth; types seen before and absent now read 0.
  void set_depth(const std::vector<storage::JobDepth>& depth);
  // Jobs waiting or in progress, over every type: the scaling signal.
  std::int64_t backlog() const;
  std::string render() const;  // Prometheus text
  boost::json::object emf(const std::string& environment, std::chrono::system_clock::time_point at) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, std::uint64_t> outcomes_;
  std::map<std::pair<std::string, std::string>, std::int64_t> depth_;
};

}  // namespace oms::jobs
