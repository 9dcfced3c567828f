#include "jobs/backoff.hpp"

#include <algorithm>
#include <random>

namespace oms::jobs {

std::chrono::milliseconds backoff_delay(const BackoffPolicy& policy, std::int64_t attempts, double unit_random) {
  const auto base = std::max<std::int64_t>(1, policy.base.count());
  const auto cap = std::max<std::int64_t>(base, policy.cap.count());
  std::int64_t d = base;
  for (std::int64_t i = 1; i < attempts && d < cap; ++i) d = std::min(cap, d * 2);
  const double r = std::clamp(unit_random, 0.0, 1.0);
  const auto half = d / 2;
  return std::chrono::milliseconds(half + static_cast<std::int64_t>(static_cast<double>(d - half) * r));
}

double unit_random() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

}  // namespace oms::jobs
