#pragma once
// The allocator behind malloc in this process, named for `oms version` and the start-up log.
#include <string>

namespace oms::cli {

// "mimalloc 2.0.9" when the build linked mimalloc (CMake's OMS_ALLOCATOR), else "system malloc".
std::string allocator_name();
// Called first in main. mimalloc keeps the pages it frees by default: after a storm of 5,000
// connections oms's RSS stayed 9-12 MB up (tests/api/test_http_edge.py); with page reset on, the
// pages go back to the system as they empty (20-40 madvise calls a second on a list-page load).
void configure_allocator();

}  // namespace oms::cli
