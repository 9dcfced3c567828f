#include "cache/redis_commands.hpp"

#include <algorithm>
#include <cstdint>

namespace oms::cache::detail {

std::string px_millis(Ttl ttl) { return std::to_string(std::max<std::int64_t>(1, ttl.count())); }

void throw_if_error(const Reply& r) {
  if (r.is_error()) throw CacheError("redis: " + r.text);
}

}  // namespace oms::cache::detail
