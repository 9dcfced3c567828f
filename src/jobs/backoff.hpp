#pragma once
// Retry delays: exponential in the number of attempts made, capped, with jitter so jobs that
// failed together (a sink that was down) do not all come back at the same moment.
#include <chrono>
#include <cstdint>

namespace oms::jobs {

struct BackoffPolicy {
  std::chrono::milliseconds base{1000};
  std::chrono::milliseconds cap{std::chrono::minutes(5)};
};

// The delay before the next attempt after `attempts` failed ones (>= 1): base * 2^(attempts-1),
// at most cap, then scaled into [d/2, d] by `unit_random` in [0, 1) ("equal jitter").
std::chrono::milliseconds backoff_delay(const BackoffPolicy& policy, std::int64_t attempts, double unit_random);

// A uniformly distributed number in [0, 1) from a thread-local generator.
double unit_random();

}  // namespace oms::jobs
