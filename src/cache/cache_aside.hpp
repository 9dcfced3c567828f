#pragma once
// Cache-aside without stale reads, by leases (compare-and-set):
//   reader: lookup(key) misses -> token = reserve(key) -> read the database -> fill(key, token, …)
//   writer: commit -> invalidate(key) -> send the response
// reserve() stores a lease marker under the key; fill() replaces it with the value only while the
// marker is still there. A write that commits after the reader's database read invalidates after
// the reserve, so it removes the marker and the old value is never stored; a lease taken after
// the invalidation reads the committed row. Values and leases are told apart by a first byte.
#include <string>

#include "cache/cache.hpp"

namespace oms::cache {

class CacheAside {
 public:
  static constexpr Ttl k_lease_ttl{std::chrono::seconds(10)};
  explicit CacheAside(Cache& cache) : cache_(cache) {}
  // True for stored bytes that are a value, false for a lease marker.
  static bool is_value(const std::string& bytes) { return !bytes.empty() && bytes[0] == 'v'; }

  awaitable<std::optional<std::string>> lookup(std::string key);
  // lookup() for several keys at once (one round trip per Redis node), in the keys' order.
  awaitable<std::vector<std::optional<std::string>>> lookup_many(std::vector<std::string> keys);
  awaitable<std::string> reserve(std::string key);
  awaitable<bool> fill(std::string key, std::string token, std::string value, Ttl ttl);
  awaitable<void> invalidate(std::string key);

  Cache& cache() { return cache_; }

 private:
  Cache& cache_;
};

}  // namespace oms::cache
