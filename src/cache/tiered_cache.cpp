#include "cache/tiered_cache.hpp"

namespace oms::cache {

TieredCache::TieredCache(boost::asio::any_io_executor ex, Cache& remote, const RedisOptions& redis,
                         std::size_t local_bytes, Keep keep, InvalidationBus::Options bus_options)
    : remote_(remote),
      local_(local_bytes),
      keep_(std::move(keep)),
      bus_(
          std::move(ex), redis, [this](const std::string& key) { local_.remove(key); }, [this] { local_.clear(); },
          std::move(bus_options)) {
  bus_.start();
}

void TieredCache::keep_locally(std::string key, std::string value, Ttl ttl, std::uint64_t epoch_before) {
  // An invalidation that arrived meanwhile may be for this key: the value may be older than it.
  if (!bus_.trusted() || bus_.epoch() != epoch_before || !keep_(value)) return;
  local_.put(key, std::move(value), std::min(ttl, k_local_ttl));
  // One may arrive on another thread between that check and the put: the bus moves the epoch
  // before it drops the key, so either its drop comes after the put or the epoch has moved now.
  if (bus_.epoch() != epoch_before) local_.remove(key);
}

awaitable<std::optional<std::string>> TieredCache::get(std::string key) {
  if (bus_.trusted()) {
    if (auto hit = local_.peek(key)) {
      ++local_hits_;
      co_return hit;
    }
  }
  const auto epoch = bus_.epoch();
  auto value = co_await remote_.get(key);
  if (value) keep_locally(std::move(key), *value, k_local_ttl, epoch);
  co_return value;
}

awaitable<std::vector<std::optional<std::string>>> TieredCache::get_many(std::vector<std::string> keys) {
  std::vector<std::optional<std::string>> values(keys.size());
  std::vector<std::size_t> remote_positions;
  std::vector<std::string> remote_keys;
  const bool trusted = bus_.trusted();
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (trusted) {
      if (auto hit = local_.peek(keys[i])) {
        ++local_hits_;
        values[i] = std::move(hit);
        continue;
      }
    }
    remote_positions.push_back(i);
    remote_keys.push_back(keys[i]);
  }
  if (remote_keys.empty()) co_return values;
  const auto epoch = bus_.epoch();
  auto found = co_await remote_.get_many(std::move(remote_keys));
  for (std::size_t j = 0; j < remote_positions.size() && j < found.size(); ++j) {
    const std::size_t i = remote_positions[j];
    if (found[j]) keep_locally(keys[i], *found[j], k_local_ttl, epoch);
    values[i] = std::move(found[j]);
  }
  co_return values;
}

awaitable<void> TieredCache::set(std::string key, std::string value, Ttl ttl) {
  local_.remove(key);
  co_await remote_.set(std::move(key), std::move(value), ttl);
}

awaitable<bool> TieredCache::compare_and_set(std::string key, std::string expected, std::string value, Ttl ttl) {
  const auto epoch = bus_.epoch();
  const bool stored = co_await remote_.compare_and_set(key, std::move(expected), value, ttl);
  if (stored) keep_locally(std::move(key), std::move(value), ttl, epoch);
  co_return stored;
}

awaitable<void> TieredCache::del(std::string key) {
  local_.remove(key);
  std::exception_ptr failed;  // the other processes are told even when Redis's delete failed
  try {
    co_await remote_.del(key);
  } catch (...) {
    failed = std::current_exception();
  }
  co_await bus_.publish(std::move(key));
  if (failed) std::rethrow_exception(failed);
}

}  // namespace oms::cache
