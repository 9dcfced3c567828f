#pragma once
// The worker's options from the configuration; shared by `oms worker` and `oms serve`.
#include "cli/config.hpp"
#include "jobs/worker.hpp"

namespace oms::cli {

jobs::WorkerOptions worker_options(const Config& config);

}  // namespace oms::cli
