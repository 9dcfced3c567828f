#include "logging/log_throttle.hpp"

#include "logging/logging.hpp"

namespace oms::logging {

void LogThrottle::warn(const std::string& message) {
  std::lock_guard lock(mutex_);
  ++count_;
  const auto now = std::chrono::steady_clock::now();
  if (logged_ && now - last_ < interval_) return;
  std::string line = message;
  line += " (";
  line += std::to_string(count_);
  line += " time(s) since the last report; reported at most every ";
  line += std::to_string(interval_.count());
  line += " s)";
  log_warn(line);
  count_ = 0;
  last_ = now;
  logged_ = true;
}

}  // namespace oms::logging
