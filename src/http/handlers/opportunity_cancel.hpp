#pragma once
// POST /api/v1/opportunities/{id}/cancel and .../reactivate (story: cancel and reactivate).
#include "app/services.hpp"
#include "http/router.hpp"

namespace oms::http::handlers {

void register_opportunity_cancel_routes(Router& router, app::Services& services);

}  // namespace oms::http::handlers
