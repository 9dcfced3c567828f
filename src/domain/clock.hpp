#pragma once
// Time and identity sources (ports), injectable so tests can travel in time and predict ids. The
// real ones are adapters: adapters/system_clock.hpp and adapters/time_ordered_ids.hpp.
#include <memory>
#include <string>

#include "domain/types.hpp"

namespace oms::domain {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now() const = 0;
};

// A clock that stays where it is put; for tests.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp t) : now_(t) {}
  Timestamp now() const override { return now_; }
  void set(Timestamp t) { now_ = t; }
  void advance(std::chrono::microseconds d) { now_ += d; }

 private:
  Timestamp now_;
};

class IdGenerator {
 public:
  virtual ~IdGenerator() = default;
  virtual std::string next() = 0;  // a lower-case canonical UUID
};

}  // namespace oms::domain
