#pragma once
// PATCH /api/v1/opportunities/{id} and its change history (story: modify).
#include "app/services.hpp"
#include "http/router.hpp"

namespace oms::http::handlers {

void register_opportunity_modify_routes(Router& router, app::Services& services);

}  // namespace oms::http::handlers
