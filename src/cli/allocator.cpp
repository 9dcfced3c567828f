#include "cli/allocator.hpp"

#include <cstdlib>

#ifdef OMS_WITH_MIMALLOC
#include <mimalloc.h>
#else
#include <malloc.h>
#endif

namespace oms::cli {

namespace {

bool g_page_reset_from_environment = false;

}  // namespace

std::string allocator_name() {
#ifdef OMS_WITH_MIMALLOC
  // Also a call into mimalloc's own API: the executable needs the library, so no linker drops
  // it, and it replaces malloc for every library of the process (it precedes libc in their lookup).
  const int v = mi_version();  // 209 for 2.0.9
  return "mimalloc " + std::to_string(v / 100) + "." + std::to_string(v / 10 % 10) + "." + std::to_string(v % 10);
#else
  return "system malloc";
#endif
}

void configure_allocator() { g_page_reset_from_environment = std::getenv("MIMALLOC_PAGE_RESET") != nullptr; }

void on_connection_storm(bool storm) {
#ifdef OMS_WITH_MIMALLOC
  // mimalloc reads the option each time it clears a page; the store is one aligned word, so its
  // threads see the old setting or the new one.
  if (!g_page_reset_from_environment) mi_option_set_enabled(mi_option_page_reset, storm);
#else
  if (!storm) ::malloc_trim(0);  // glibc keeps the heap of closed connections otherwise
#endif
}

}  // namespace oms::cli
