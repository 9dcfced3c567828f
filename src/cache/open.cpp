#include "cache/open.hpp"

#include <stdexcept>

#include "cache/memory_cache.hpp"
#include "cache/redis_cluster_cache.hpp"

namespace oms::cache {

OpenedCache open_cache(boost::asio::any_io_executor ex, const std::string& url,
                       const std::optional<std::string>& auth_token, GuardedCache::Log on_down, GuardedCache::Log on_up,
                       const Wrap& wrap) {
  OpenedCache c;
  std::string name = "memory";
  if (url == "none") return c;  // no cache: every read goes to the database
  if (url == "memory://" || url.empty()) {
    c.backend = std::make_unique<MemoryCache>();
  } else {
    RedisOptions options = parse_redis_url(url, auth_token);
    name = std::string(options.tls ? "rediss " : "redis ") + options.host + ":" + options.port;
    c.backend = std::make_unique<RedisClusterCache>(std::move(ex), std::move(options));
    if (wrap) c.wrapped = wrap(*c.backend);
  }
  Cache& used = c.wrapped ? *c.wrapped : *c.backend;
  c.guarded = std::make_unique<GuardedCache>(used, name, std::move(on_down), std::move(on_up));
  c.aside = std::make_unique<CacheAside>(*c.guarded);
  return c;
}

}  // namespace oms::cache
