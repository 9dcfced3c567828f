#pragma once
// PUT /api/v1/opportunities/{id}/timeline (story: set the timeline).
#include "app/services.hpp"
#include "http/router.hpp"

namespace oms::http::handlers {

void register_opportunity_timeline_routes(Router& router, app::Services& services);

}  // namespace oms::http::handlers
