#include "identity/token_cache.hpp"

namespace oms::identity {

std::optional<domain::Principal> TokenCache::get(const std::string& token, std::chrono::sys_seconds now) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(token);
  if (it == entries_.end() || it->second.expires_at <= now) return std::nullopt;
  return it->second.principal;
}

void TokenCache::put(const std::string& token, domain::Principal principal, std::chrono::sys_seconds expires_at,
                     std::chrono::sys_seconds now) {
  if (capacity_ == 0 || expires_at <= now) return;
  std::lock_guard lock(mutex_);
  if (entries_.contains(token)) return;
  if (entries_.size() >= capacity_) evict_locked(now);
  const auto placed = entries_.emplace(token, Entry{std::move(principal), expires_at}).first;
  by_expiry_.emplace(expires_at, &placed->first);
}

std::size_t TokenCache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

void TokenCache::evict_locked(std::chrono::sys_seconds now) {
  // Everything expired goes; if nothing had, the entry that would expire first makes room.
  auto end = by_expiry_.upper_bound(now);
  if (end == by_expiry_.begin()) end = std::next(by_expiry_.begin());
  for (auto it = by_expiry_.begin(); it != end; ++it) entries_.erase(entries_.find(*it->second));
  by_expiry_.erase(by_expiry_.begin(), end);
}

}  // namespace oms::identity
