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
  mi_option_enable(mi_option_page_reset);
#endif
}

}  // namespace oms::cli
