#pragma once
// Token buckets per caller (the principal, or the client address when anonymous): a bucket holds
// up to `burst` tokens and refills at `rate` per second; each request takes one. Time is passed
// in, so the arithmetic is testable. Thread-safe.
#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace oms::http {

struct RateLimitDecision {
  bool allowed = true;
  long limit = 0;        // X-RateLimit-Limit: the burst size
  long remaining = 0;    // X-RateLimit-Remaining: whole tokens left after this request
  long reset = 0;        // X-RateLimit-Reset: seconds until the bucket is full again
  long retry_after = 0;  // Retry-After (when refused): seconds until one token is available
};

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  // rate_per_second 0 disables the limiter (every request allowed, no headers).
  RateLimiter(double rate_per_second, double burst, std::size_t max_keys = 100000);

  bool enabled() const noexcept { return rate_ > 0; }
  RateLimitDecision take(const std::string& key, Clock::time_point now);
  std::size_t tracked_keys() const;

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point updated;
  };
  void prune_locked(Clock::time_point now);

  double rate_;
  double burst_;
  std::size_t max_keys_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace oms::http
