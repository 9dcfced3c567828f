#pragma once
// What the standalone and the cluster Redis caches both send and how they read the answer.
#include <string>

#include "cache/cache.hpp"
#include "cache/resp.hpp"

namespace oms::cache::detail {

// SET only while the key holds ARGV[1]: the compare-and-set of the lease protocol (cache_aside.hpp).
inline constexpr const char* k_compare_and_set_script =
    "if redis.call('GET', KEYS[1]) == ARGV[1] then "
    "return redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) else return false end";

// A TTL as SET's PX argument: whole milliseconds, at least 1 (PX 0 is an error).
std::string px_millis(Ttl ttl);

// An error reply becomes a CacheError ("redis: " and Redis's own text).
void throw_if_error(const Reply& r);

}  // namespace oms::cache::detail
