#pragma once
// Time and identity sources, injectable so tests can travel in time and predict ids.
#include <memory>
#include <string>

#include "domain/types.hpp"

namespace oms::domain {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Timestamp now() const override;
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

// Random (version 4) UUIDs from the OS's CSPRNG.
class RandomIdGenerator final : public IdGenerator {
 public:
  std::string next() override;
};

}  // namespace oms::domain
