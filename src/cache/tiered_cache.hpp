#pragma once
// An in-process tier in front of Redis: values read from (or stored into) Redis are kept in a
// small local LRU and served from it while the invalidation bus is trusted (invalidation_bus.hpp);
// del() drops the key here, in Redis, and, through the bus, in every other process before it
// returns. So a write whose response was sent is never followed by an older value from any
// process's tier. A value is kept locally only when no invalidation arrived while it was being
// read, and only when `keep` says it is a value (not a lease marker of cache_aside.hpp).
#include <functional>
#include <memory>

#include "cache/cache.hpp"
#include "cache/invalidation_bus.hpp"
#include "cache/memory_cache.hpp"

namespace oms::cache {

class TieredCache final : public Cache {
 public:
  static constexpr Ttl k_local_ttl{std::chrono::seconds(30)};  // at most; never longer than Redis's
  using Keep = std::function<bool(const std::string& value)>;

  // `remote` must outlive this. The bus is started here.
  TieredCache(boost::asio::any_io_executor ex, Cache& remote, const RedisOptions& redis, std::size_t local_bytes,
              Keep keep, InvalidationBus::Options bus_options = {});

  awaitable<std::optional<std::string>> get(std::string key) override;
  awaitable<void> set(std::string key, std::string value, Ttl ttl) override;
  awaitable<bool> compare_and_set(std::string key, std::string expected, std::string value, Ttl ttl) override;
  awaitable<void> del(std::string key) override;
  // The tier's hits, then one remote get_many for the rest.
  awaitable<std::vector<std::optional<std::string>>> get_many(std::vector<std::string> keys) override;

  bool trusted() const { return bus_.trusted(); }
  std::uint64_t local_hits() const { return local_hits_.load(); }

 private:
  void keep_locally(std::string key, std::string value, Ttl ttl, std::uint64_t epoch_before);

  Cache& remote_;
  MemoryCache local_;
  Keep keep_;
  InvalidationBus bus_;
  std::atomic<std::uint64_t> local_hits_{0};
};

}  // namespace oms::cache
