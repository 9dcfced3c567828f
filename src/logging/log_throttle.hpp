#pragma once
// A warning that may repeat many times a second (accept failures under EMFILE, a worker that
// cannot reach its database): logged at most once per interval, with how many times it happened
// since the last line. Thread-safe.
#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>

namespace oms::logging {

class LogThrottle {
 public:
  explicit LogThrottle(std::chrono::seconds interval = std::chrono::seconds(10)) : interval_(interval) {}
  void warn(const std::string& message);

 private:
  std::chrono::seconds interval_;
  std::mutex mutex_;
  std::size_t count_ = 0;
  std::chrono::steady_clock::time_point last_{};
  bool logged_ = false;
};

}  // namespace oms::logging
