#pragma once
// The cache's counters in the Prometheus text format, appended to /metrics:
//   cache_requests_total{family,result}   counter (result: hit, miss, error)
//   cache_get_duration_seconds{family}    summary (_sum, _count) of gets the cache answered
//   cache_up                              gauge (1 up, 0 down: served from the database)
//   cache_state_changes_total             counter
//   cache_connections{state}              gauge (in_use, idle, waiting: calls queued for one)
#include <string>

#include "cache/guarded_cache.hpp"
#include "cache/open.hpp"

namespace oms::cache {

std::string render_prometheus(const CacheStats& stats);

// The in-process tier in front of Redis: its hits and whether it is trusted now (tiered_cache.hpp).
std::string render_local_tier(std::uint64_t hits, bool trusted);

// A networked cache's connections (Cache::connections): "" for nullopt.
std::string render_connections(const std::optional<util::PoolStats>& connections);

// All of the above that apply to an opened cache ("" for none), as `oms serve` and `oms worker`
// append them to /metrics.
std::string render_cache_metrics(const OpenedCache& cache);

}  // namespace oms::cache
