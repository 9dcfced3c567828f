#pragma once
// The composed parts of an opportunity: problem statement, skill requirements, timeline.
#include "app/services.hpp"
#include "http/router.hpp"

namespace oms::http::handlers {

void register_opportunity_part_routes(Router& router, app::Services& services);

}  // namespace oms::http::handlers
