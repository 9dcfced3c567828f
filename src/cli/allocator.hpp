#pragma once
// The allocator behind malloc in this process, named for `oms version` and the start-up log, and
// what it does with memory a connection storm leaves behind.
#include <string>

namespace oms::cli {

// "mimalloc 2.0.9" when the build linked mimalloc (CMake's OMS_ALLOCATOR), else "system malloc".
std::string allocator_name();
// Called first in main: notes whether MIMALLOC_PAGE_RESET is in the environment (it then decides
// for the whole run and on_connection_storm leaves it alone).
void configure_allocator();
// http::ServerOptions::on_connection_storm. mimalloc keeps the pages it frees: after a storm of
// 5,000 connections oms's RSS stayed 9-12 MB up (tests/api/test_http_edge.py). With its page reset
// on, each page that empties is handed back with madvise(MADV_FREE) — the kernel takes those pages
// when it needs memory; until then RSS counts them as LazyFree — but in steady traffic that is an
// madvise each time a page empties and refills: ~2 a durable SQLite create (its savepoint
// journal's chunks, freed at each RELEASE), 18-51 µs of its CPU in two measurements
// (docs/performance.md). So page reset is on only from a storm's start until it has passed.
// Decommitting at once (MIMALLOC_DECOMMIT_DELAY=0) would return memory always but cost ~27 page
// faults a create. With the system allocator the storm's end trims glibc's heap (malloc_trim).
void on_connection_storm(bool storm);

}  // namespace oms::cli
