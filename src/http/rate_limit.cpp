#include "http/rate_limit.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace oms::http {

RateLimiter::RateLimiter(double rate_per_second, double burst, std::size_t max_keys)
    : rate_(std::max(0.0, rate_per_second)),
      burst_(std::max(1.0, burst)),
      max_keys_(std::max<std::size_t>(1, max_keys)) {}

RateLimitDecision RateLimiter::take(const std::string& key, Clock::time_point now) {
  RateLimitDecision d;
  d.limit = static_cast<long>(burst_);
  if (!enabled()) {
    d.remaining = d.limit;
    return d;
  }
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_keys_) prune_locked(now);
    it = buckets_.emplace(key, Bucket{burst_, now}).first;
  }
  Bucket& b = it->second;
  const double elapsed = std::chrono::duration<double>(now - b.updated).count();
  if (elapsed > 0) {
    b.tokens = std::min(burst_, b.tokens + elapsed * rate_);
    b.updated = now;
  }
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    d.allowed = true;
  } else {
    d.allowed = false;
    d.retry_after = std::max(1L, static_cast<long>(std::ceil((1.0 - b.tokens) / rate_)));
  }
  d.remaining = static_cast<long>(std::floor(b.tokens));
  d.reset = static_cast<long>(std::ceil((burst_ - b.tokens) / rate_));
  return d;
}

std::size_t RateLimiter::tracked_keys() const {
  std::lock_guard lock(mutex_);
  return buckets_.size();
}

void RateLimiter::prune_locked(Clock::time_point now) {
  // Buckets that have refilled completely carry no state worth keeping.
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    const double elapsed = std::chrono::duration<double>(now - it->second.updated).count();
    if (it->second.tokens + elapsed * rate_ >= burst_) {
      it = buckets_.erase(it);
    } else {
      ++it;
    }
  }
  // Still full of active callers: forget the oldest half rather than grow without bound.
  if (buckets_.size() >= max_keys_) {
    std::vector<std::pair<Clock::time_point, std::string>> ages;
    for (const auto& [k, b] : buckets_) ages.emplace_back(b.updated, k);
    std::sort(ages.begin(), ages.end());
    for (std::size_t i = 0; i < ages.size() / 2 + 1 && i < ages.size(); ++i) buckets_.erase(ages[i].second);
  }
}

}  // namespace oms::http
