#pragma once
// The cache named by --cache-url, guarded (guarded_cache.hpp): memory:// or redis[s]://.
#include <boost/asio/any_io_executor.hpp>
#include <functional>
#include <memory>

#include "cache/cache_aside.hpp"
#include "cache/guarded_cache.hpp"
#include "cache/tiered_cache.hpp"

namespace oms::cache {

struct OpenedCache {
  std::unique_ptr<Cache> backend;
  std::unique_ptr<Cache> wrapped;  // the backend in a decorator (tracing); null when none
  std::unique_ptr<GuardedCache> guarded;
  std::unique_ptr<TieredCache> tier;  // redis[s]:// with a local tier; null otherwise
  std::unique_ptr<CacheAside> aside;
};

// Puts a remote backend (redis[s]://, not memory://) in a decorator, e.g. tracing::TracedCache.
using Wrap = std::function<std::unique_ptr<Cache>(Cache& backend)>;

// "none" gives no cache (all null). With `local_tier_bytes` > 0, Redis gets an in-process tier of
// that size in front of it (tiered_cache.hpp), invalidated across processes by pub/sub. Throws std::invalid_argument on
// a URL it cannot use; connects lazily (never fails on a down Redis).
OpenedCache open_cache(boost::asio::any_io_executor ex, const std::string& url,
                       const std::optional<std::string>& auth_token, GuardedCache::Log on_down, GuardedCache::Log on_up,
                       const Wrap& wrap = {}, std::size_t local_tier_bytes = 0);

}  // namespace oms::cache
