#pragma once
// The storage options a configuration asks for.
#include "cli/config.hpp"
#include "storage/open.hpp"

namespace oms::cli {

storage::DatabaseOptions database_options(const Config& c);

}  // namespace oms::cli
