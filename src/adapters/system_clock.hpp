#pragma once
// The process's real clock, behind the domain's Clock port.
#include "domain/clock.hpp"

namespace oms::adapters {

class SystemClock final : public domain::Clock {
 public:
  domain::Timestamp now() const override;
};

}  // namespace oms::adapters
