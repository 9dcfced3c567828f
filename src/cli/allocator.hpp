#pragma once
// The allocator behind malloc in this process, named for `oms version` and the start-up log.
#include <string>

namespace oms::cli {

// "mimalloc 2.0.9" when the build linked mimalloc (CMake's OMS_ALLOCATOR), else "system malloc".
std::string allocator_name();
// Called first in main. mimalloc keeps the pages it frees by default: after a storm of 5,000
// connections oms's RSS stayed 9-12 MB up (tests/api/test_http_edge.py). With page reset on, each
// page that empties is handed back with madvise(MADV_FREE) (about 2 calls a durable create, 20-40 a
// second on a list-page load): the kernel takes those pages whenever it needs memory, and until it
// does they count in RSS as LazyFree (/proc/PID/smaps_rollup). mimalloc decommits them for good
// (MADV_DONTNEED) only 25 ms after the fact and only when that segment is next touched, so RSS
// itself falls after a storm in some runs and not in others. Decommitting at once instead
// (MIMALLOC_DECOMMIT_DELAY=0) made RSS fall every time but cost ~25 page faults a durable create.
void configure_allocator();

}  // namespace oms::cli
