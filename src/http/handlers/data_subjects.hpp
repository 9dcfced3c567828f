#pragma once
// Routes of data-subject requests (admin): POST /api/v1/admin/data-subjects/{user_id}/export and
// .../erase -> 202 {id, status}, tracked at GET /api/v1/exports/{id}.
#include "app/services.hpp"
#include "http/router.hpp"

namespace oms::http::handlers {

void register_data_subject_routes(Router& router, app::Services& services);

}  // namespace oms::http::handlers
