#pragma once
// Random (version 4) UUIDs from the OS's CSPRNG, behind the domain's IdGenerator port.
#include <string>

#include "domain/clock.hpp"

namespace oms::adapters {

class RandomIdGenerator final : public domain::IdGenerator {
 public:
  std::string next() override;
};

}  // namespace oms::adapters
