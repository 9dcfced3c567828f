#pragma once
// A connection pool's occupancy, for /metrics and readiness (util/connection_pool.hpp).
#include <cstddef>

namespace oms::util {

struct PoolStats {
  std::size_t size = 0;
  std::size_t in_use = 0;
  std::size_t waiting = 0;
};

}  // namespace oms::util
