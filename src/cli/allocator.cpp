#include "cli/allocator.hpp"

#ifdef OMS_WITH_MIMALLOC
#include <mimalloc.h>
#endif

namespace oms::cli {

std::string allocator_name() {
#ifdef OMS_WITH_MIMALLOC
  // Also the one call into mimalloc's own API: the executable needs the library, so no linker drops
  // it, and it replaces malloc for every library of the process (it precedes libc in their lookup).
  const int v = mi_version();  // 209 for 2.0.9
  return "mimalloc " + std::to_string(v / 100) + "." + std::to_string(v / 10 % 10) + "." + std::to_string(v % 10);
#else
  return "system malloc";
#endif
}

void configure_allocator() {
#ifdef OMS_WITH_MIMALLOC
  // A default, not a setting: MIMALLOC_PAGE_RESET (and mimalloc's other MIMALLOC_* variables) in the
  // environment still decide.
  mi_option_set_enabled_default(mi_option_page_reset, true);
#endif
}

}  // namespace oms::cli
