#pragma once
// POST /api/v1/opportunities: create an opportunity (story: create).
#include "app/services.hpp"
#include "http/router.hpp"

namespace oms::http::handlers {

void register_opportunity_create_routes(Router& router, app::Services& services);

}  // namespace oms::http::handlers
