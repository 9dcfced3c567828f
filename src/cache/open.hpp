#pragma once
// The cache named by --cache-url, guarded (guarded_cache.hpp): memory:// or redis[s]://.
#include <boost/asio/any_io_executor.hpp>
#include <memory>

#include "cache/cache_aside.hpp"
#include "cache/guarded_cache.hpp"

namespace oms::cache {

struct OpenedCache {
  std::unique_ptr<Cache> backend;
  std::unique_ptr<GuardedCache> guarded;
  std::unique_ptr<CacheAside> aside;
};

// "none" gives no cache (all null). Throws std::invalid_argument on a URL it cannot use; connects
// lazily (never fails on a down Redis).
OpenedCache open_cache(boost::asio::any_io_executor ex, const std::string& url,
                       const std::optional<std::string>& auth_token, GuardedCache::Log on_down,
                       GuardedCache::Log on_up);

}  // namespace oms::cache
