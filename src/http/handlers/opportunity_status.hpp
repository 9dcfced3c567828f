#pragma once
// POST /api/v1/opportunities/{id}/status (system transitions) and .../status-history (story: track).
#include "app/services.hpp"
#include "http/router.hpp"

namespace oms::http::handlers {

void register_opportunity_status_routes(Router& router, app::Services& services);

}  // namespace oms::http::handlers
