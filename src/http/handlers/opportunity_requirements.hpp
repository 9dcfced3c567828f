#pragma once
// /api/v1/opportunities/{id}/skill-requirements: add, change, remove (story: require skills).
#include "app/services.hpp"
#include "http/router.hpp"

namespace oms::http::handlers {

void register_opportunity_requirements_routes(Router& router, app::Services& services);

}  // namespace oms::http::handlers
