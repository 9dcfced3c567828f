#pragma once
// GET /api/v1/opportunities (filters, search, sort, paging) and GET /api/v1/opportunities/{id}
// (story: read).
#include "app/services.hpp"
#include "http/router.hpp"

namespace oms::http::handlers {

void register_opportunity_read_routes(Router& router, app::Services& services);

}  // namespace oms::http::handlers
