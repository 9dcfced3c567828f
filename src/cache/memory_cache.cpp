#include "cache/memory_cache.hpp"

namespace oms::cache {

MemoryCache::List::iterator MemoryCache::find_live(const std::string& key, Clock::time_point now) {
  auto found = index_.find(key);
  if (found == index_.end()) return lru_.end();
  auto it = found->second;
  if (it->expires_at <= now) {
    erase(it);
    return lru_.end();
  }
  lru_.splice(lru_.begin(), lru_, it);
  return it;
}

void MemoryCache::erase(List::iterator it) {
  bytes_ -= cost(*it);
  index_.erase(it->key);
  lru_.erase(it);
}

void MemoryCache::store(std::string key, std::string value, Ttl ttl, Clock::time_point now) {
  if (auto found = index_.find(key); found != index_.end()) erase(found->second);
  Entry e{std::move(key), std::move(value), now + ttl};
  const std::size_t c = cost(e);
  if (c > max_bytes_) return;  // larger than the whole cache: not cached
  while (bytes_ + c > max_bytes_ && !lru_.empty()) erase(std::prev(lru_.end()));
  lru_.push_front(std::move(e));
  index_.emplace(lru_.front().key, lru_.begin());
  bytes_ += c;
}

awaitable<std::optional<std::string>> MemoryCache::get(std::string key) {
  std::lock_guard lock(mu_);
  auto it = find_live(key, Clock::now());
  if (it == lru_.end()) co_return std::nullopt;
  co_return it->value;
}

awaitable<void> MemoryCache::set(std::string key, std::string value, Ttl ttl) {
  std::lock_guard lock(mu_);
  store(std::move(key), std::move(value), ttl, Clock::now());
  co_return;
}

awaitable<bool> MemoryCache::compare_and_set(std::string key, std::string expected, std::string value, Ttl ttl) {
  std::lock_guard lock(mu_);
  const auto now = Clock::now();
  auto it = find_live(key, now);
  if (it == lru_.end() || it->value != expected) co_return false;
  store(std::move(key), std::move(value), ttl, now);
  co_return true;
}

awaitable<void> MemoryCache::del(std::string key) {
  std::lock_guard lock(mu_);
  if (auto found = index_.find(key); found != index_.end()) erase(found->second);
  co_return;
}

std::optional<std::string> MemoryCache::peek(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = find_live(key, Clock::now());
  if (it == lru_.end()) return std::nullopt;
  return it->value;
}

void MemoryCache::put(std::string key, std::string value, Ttl ttl) {
  std::lock_guard lock(mu_);
  store(std::move(key), std::move(value), ttl, Clock::now());
}

void MemoryCache::remove(const std::string& key) {
  std::lock_guard lock(mu_);
  if (auto found = index_.find(key); found != index_.end()) erase(found->second);
}

void MemoryCache::clear() {
  std::lock_guard lock(mu_);
  lru_.clear();
  index_.clear();
  bytes_ = 0;
}

std::size_t MemoryCache::bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

std::size_t MemoryCache::size() const {
  std::lock_guard lock(mu_);
  return index_.size();
}

}  // namespace oms::cache
