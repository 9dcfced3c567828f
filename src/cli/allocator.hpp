#pragma once
// The allocator behind malloc in this process, named for `oms version` and the start-up log.
#include <string>

namespace oms::cli {

// "mimalloc 2.0.9" when the build linked mimalloc (CMake's OMS_ALLOCATOR), else "system malloc".
std::string allocator_name();

}  // namespace oms::cli
