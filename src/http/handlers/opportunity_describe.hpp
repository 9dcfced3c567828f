#pragma once
// PUT /api/v1/opportunities/{id}/problem-statement (story: describe the problem).
#include "app/services.hpp"
#include "http/router.hpp"

namespace oms::http::handlers {

void register_opportunity_describe_routes(Router& router, app::Services& services);

}  // namespace oms::http::handlers
