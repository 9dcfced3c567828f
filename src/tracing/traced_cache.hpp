#pragma once
// The cache port, traced: a Cache decorator that records, under the current span (context.hpp),
// one "remote" subsegment per command, named after the cache (e.g. "Redis"), with the operation
// and the key's family as annotations (never the value). Errors are recorded as faults and passed
// on (GuardedCache above it turns them into misses). Work outside a traced coroutine passes
// straight through.
#include <string>

#include "cache/cache.hpp"

namespace oms::tracing {

class TracedCache final : public cache::Cache {
 public:
  TracedCache(cache::Cache& inner, std::string name) : inner_(inner), name_(std::move(name)) {}

  cache::awaitable<std::optional<std::string>> get(std::string key) override;
  cache::awaitable<void> set(std::string key, std::string value, cache::Ttl ttl) override;
  cache::awaitable<bool> compare_and_set(std::string key, std::string expected, std::string value,
                                         cache::Ttl ttl) override;
  cache::awaitable<void> del(std::string key) override;
  // One subsegment for the batch: operation "GET_MANY", the first key's family, the hit count.
  cache::awaitable<std::vector<std::optional<std::string>>> get_many(std::vector<std::string> keys) override;

 private:
  cache::Cache& inner_;
  std::string name_;
};

}  // namespace oms::tracing
