#pragma once
// POST /api/v1/opportunities/{id}/submit: DRAFT -> SUBMITTED (story: submit).
#include "app/services.hpp"
#include "http/router.hpp"

namespace oms::http::handlers {

void register_opportunity_submit_routes(Router& router, app::Services& services);

}  // namespace oms::http::handlers
