#pragma once
// memory://, the embedded default: an in-process LRU bounded in bytes, with per-entry TTLs.
// Thread-safe (one mutex; every operation is a few map/list steps, never I/O).
#include <list>
#include <mutex>
#include <unordered_map>

#include "cache/cache.hpp"

namespace oms::cache {

class MemoryCache final : public Cache {
 public:
  using Clock = std::chrono::steady_clock;
  explicit MemoryCache(std::size_t max_bytes = 64u << 20) : max_bytes_(max_bytes) {}

  awaitable<std::optional<std::string>> get(std::string key) override;
  awaitable<void> set(std::string key, std::string value, Ttl ttl) override;
  awaitable<bool> compare_and_set(std::string key, std::string expected, std::string value, Ttl ttl) override;
  awaitable<void> del(std::string key) override;
  bool answers_at_once() const noexcept override { return true; }

  // The same operations, synchronous (the in-process tier of tiered_cache.hpp uses them).
  std::optional<std::string> peek(const std::string& key);
  void put(std::string key, std::string value, Ttl ttl);
  void remove(const std::string& key);
  void clear();

  std::size_t bytes() const;
  std::size_t size() const;

 private:
  struct Entry {
    std::string key;
    std::string value;
    Clock::time_point expires_at;
  };
  using List = std::list<Entry>;  // most recently used first

  List::iterator find_live(const std::string& key, Clock::time_point now);  // under mu_
  void store(std::string key, std::string value, Ttl ttl, Clock::time_point now);
  void erase(List::iterator it);
  static std::size_t cost(const Entry& e) { return e.key.size() + e.value.size() + 64; }

  const std::size_t max_bytes_;
  mutable std::mutex mu_;
  List lru_;
  std::unordered_map<std::string, List::iterator> index_;
  std::size_t bytes_ = 0;
};

}  // namespace oms::cache
