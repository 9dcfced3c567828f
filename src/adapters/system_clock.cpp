#include "adapters/system_clock.hpp"

#include <chrono>

namespace oms::adapters {

domain::Timestamp SystemClock::now() const {
  return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

}  // namespace oms::adapters
