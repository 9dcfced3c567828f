#include "cache/open.hpp"

#include <stdexcept>

#include "cache/memory_cache.hpp"
#include "cache/redis_cluster_cache.hpp"

namespace oms::cache {

OpenedCache open_cache(boost::asio::any_io_executor ex, const std::string& url,
                       const std::optional<std::string>& auth_token, GuardedCache::Log on_down, GuardedCache::Log on_up,
                       const Wrap& wrap, std::size_t local_tier_bytes) {
  OpenedCache c;
  std::string name = "memory";
  std::optional<RedisOptions> redis;
  if (url == "none") return c;  // no cache: every read goes to the database
  if (url == "memory://" || url.empty()) {
    c.backend = std::make_unique<MemoryCache>();
  } else {
    RedisOptions options = parse_redis_url(url, auth_token);
    name = std::string(options.tls ? "rediss " : "redis ") + options.host + ":" + options.port;
    redis = options;
    c.backend = std::make_unique<RedisClusterCache>(ex, std::move(options));
    if (wrap) c.wrapped = wrap(*c.backend);
  }
  Cache& used = c.wrapped ? *c.wrapped : *c.backend;
  c.guarded = std::make_unique<GuardedCache>(used, name, std::move(on_down), std::move(on_up));
  if (redis && local_tier_bytes > 0) {
    // Outside the guard: an invalidation during an outage still waits out the other processes'
    // trust in their tiers (invalidation_bus.hpp).
    c.tier = std::make_unique<TieredCache>(ex, *c.guarded, *redis, local_tier_bytes, CacheAside::is_value);
    c.aside = std::make_unique<CacheAside>(*c.tier);
    return c;
  }
  c.aside = std::make_unique<CacheAside>(*c.guarded);
  return c;
}

}  // namespace oms::cache
