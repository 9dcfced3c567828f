#pragma once
// redis:// and rediss:// as the service uses them: the URL names one node (ElastiCache's
// configuration endpoint). CLUSTER SLOTS tells whether it is a cluster; if so, every key goes to
// the master of its slot (key_slot.hpp), each node with its own small pool (RedisCache).
// MOVED updates the slot and refreshes the topology; ASK sends ASKING + the command to the
// target once; a failed node or CLUSTERDOWN marks the topology stale, refreshed on the next call
// (from any known node, so a failover is followed without a restart). A standalone server (cluster
// support disabled) is used as one node for every slot.
#include <array>
#include <atomic>
#include <map>
#include <memory>
#include <mutex>

#include "cache/redis_cache.hpp"

namespace oms::cache {

class RedisClusterCache final : public Cache {
 public:
  RedisClusterCache(boost::asio::any_io_executor ex, RedisOptions seed);

  awaitable<std::optional<std::string>> get(std::string key) override;
  awaitable<void> set(std::string key, std::string value, Ttl ttl) override;
  awaitable<bool> compare_and_set(std::string key, std::string expected, std::string value, Ttl ttl) override;
  awaitable<void> del(std::string key) override;
  // The GETs for one node go together, the nodes asked at once; a key answered with a redirect is
  // asked again alone.
  awaitable<std::vector<std::optional<std::string>>> get_many(std::vector<std::string> keys) override;
  // Every node's pool, summed.
  std::optional<util::PoolStats> connections() const override;

  // "cluster", "standalone", or "unknown" before the first call.
  std::string mode() const;
  // Redirects followed since construction (MOVED and ASK).
  std::uint64_t redirects() const { return redirects_.load(); }

 private:
  awaitable<Reply> route(std::string key, std::vector<std::string> argv);
  awaitable<void> refresh();
  RedisCache& node(const std::string& host, const std::string& port);  // under mu_

  boost::asio::any_io_executor executor_;
  RedisOptions seed_;
  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<RedisCache>> nodes_;  // by "host:port"; never removed
  std::array<RedisCache*, 16384> slots_{};
  int mode_ = 0;  // 0 unknown, 1 standalone, 2 cluster
  std::atomic<bool> stale_{true};
  std::atomic<std::uint64_t> redirects_{0};
};

}  // namespace oms::cache
