#pragma once
// /api/v1/opportunities and /api/v1/opportunities/{id}: list, create, read, change fields.
#include "app/services.hpp"
#include "http/router.hpp"

namespace oms::http::handlers {

void register_opportunity_routes(Router& router, app::Services& services);

}  // namespace oms::http::handlers
