#pragma once
// The cache port: bytes under string keys, every entry with a TTL (the seed's volatile-lru evicts
// only keys that expire). Adapters: memory:// (memory_cache.hpp) and redis[s]:// (redis_cache.hpp).
// Adapters throw CacheError when the cache cannot answer; GuardedCache turns that into a miss.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "util/pool_stats.hpp"

namespace oms::cache {

template <class T>
using awaitable = boost::asio::awaitable<T>;
using Ttl = std::chrono::milliseconds;

class CacheError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Cache {
 public:
  virtual ~Cache() = default;
  virtual awaitable<std::optional<std::string>> get(std::string key) = 0;
  virtual awaitable<void> set(std::string key, std::string value, Ttl ttl) = 0;
  // Stores `value` only while the key holds exactly `expected`; true when stored.
  virtual awaitable<bool> compare_and_set(std::string key, std::string expected, std::string value, Ttl ttl) = 0;
  virtual awaitable<void> del(std::string key) = 0;
  // The values of several keys, in the keys' order (nullopt: a miss). This default asks for them
  // one after the other; Redis sends the GETs together, one round trip per node.
  virtual awaitable<std::vector<std::optional<std::string>>> get_many(std::vector<std::string> keys) {
    std::vector<std::optional<std::string>> values;
    values.reserve(keys.size());
    for (auto& key : keys) values.push_back(co_await get(std::move(key)));
    co_return values;
  }
  // True when every call completes without waiting for I/O (memory://): callers then look up
  // several keys one after the other instead of paying for concurrent coroutines.
  virtual bool answers_at_once() const noexcept { return false; }
  // The network connections of the cache, summed over its nodes, for /metrics (nullopt when it
  // has none, memory://). `waiting` counts calls queued for a connection right now.
  virtual std::optional<util::PoolStats> connections() const { return std::nullopt; }
};

}  // namespace oms::cache
