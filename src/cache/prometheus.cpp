#include "cache/prometheus.hpp"

namespace oms::cache {

std::string render_prometheus(const CacheStats& stats) {
  std::string out;
  out += "# HELP cache_requests_total Cache lookups by key family and result (error: the cache failed or was down).\n";
  out += "# TYPE cache_requests_total counter\n";
  for (std::size_t i = 0; i < stats.families.size(); ++i) {
    const std::string family = k_family_names[i];
    const auto& f = stats.families[i];
    out += R"(cache_requests_total{family=")" + family + R"(",result="hit"} )" + std::to_string(f.hits) + "\n";
    out += R"(cache_requests_total{family=")" + family + R"(",result="miss"} )" + std::to_string(f.misses) + "\n";
    out += R"(cache_requests_total{family=")" + family + R"(",result="error"} )" + std::to_string(f.errors) + "\n";
  }
  out += "# HELP cache_get_duration_seconds Time of the lookups the cache answered, by key family.\n";
  out += "# TYPE cache_get_duration_seconds summary\n";
  for (std::size_t i = 0; i < stats.families.size(); ++i) {
    const std::string family = k_family_names[i];
    const auto& f = stats.families[i];
    out += "cache_get_duration_seconds_sum{family=\"" + family + "\"} " +
           std::to_string(static_cast<double>(f.get_microseconds) / 1e6) + "\n";
    out += "cache_get_duration_seconds_count{family=\"" + family + "\"} " + std::to_string(f.gets) + "\n";
  }
  out += "# HELP cache_up 1 while the cache answers, 0 while requests are served from the database alone.\n";
  out += "# TYPE cache_up gauge\n";
  out += std::string("cache_up ") + (stats.up ? "1" : "0") + "\n";
  out += "# HELP cache_state_changes_total Times the cache went down or came back up.\n";
  out += "# TYPE cache_state_changes_total counter\n";
  out += "cache_state_changes_total " + std::to_string(stats.state_changes) + "\n";
  return out;
}

std::string render_local_tier(std::uint64_t hits, bool trusted) {
  std::string out;
  out += "# HELP cache_local_hits_total Reads answered by the in-process tier in front of Redis.\n";
  out += "# TYPE cache_local_hits_total counter\n";
  out += "cache_local_hits_total " + std::to_string(hits) + "\n";
  out += "# HELP cache_local_tier_trusted 1 while the tier may answer (its invalidation subscription is current).\n";
  out += "# TYPE cache_local_tier_trusted gauge\n";
  out += "cache_local_tier_trusted ";
  out += trusted ? "1\n" : "0\n";
  return out;
}

std::string render_cache_metrics(const OpenedCache& cache) {
  std::string out;
  if (cache.guarded) out += render_prometheus(cache.guarded->stats());
  if (cache.backend) out += render_connections(cache.backend->connections());
  if (cache.tier) out += render_local_tier(cache.tier->local_hits(), cache.tier->trusted());
  return out;
}

std::string render_connections(const std::optional<util::PoolStats>& connections) {
  if (!connections) return "";
  const auto& c = *connections;
  const std::size_t idle = c.size > c.in_use ? c.size - c.in_use : 0;
  std::string out;
  out +=
      "# HELP cache_connections Connections to the cache by state (idle counts unopened slots; waiting: calls "
      "queued for a connection).\n";
  out += "# TYPE cache_connections gauge\n";
  out += "cache_connections{state=\"in_use\"} " + std::to_string(c.in_use) + "\n";
  out += "cache_connections{state=\"idle\"} " + std::to_string(idle) + "\n";
  out += "cache_connections{state=\"waiting\"} " + std::to_string(c.waiting) + "\n";
  return out;
}

}  // namespace oms::cache
