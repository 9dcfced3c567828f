#include <iostream>

#include "cli/commands.hpp"

namespace oms::cli {

// The job worker (outbox delivery, exports, data-subject requests) is a later milestone. Say so
// plainly and fail, rather than pretend to run.
int run_worker(const std::vector<std::string>&) {
  std::cerr << "oms worker: not available in this build yet (see issue tracker)\n";
  return 2;
}

}  // namespace oms::cli
