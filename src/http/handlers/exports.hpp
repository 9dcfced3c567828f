#pragma once
// Export routes (api.md): POST /api/v1/exports (202, the worker does the rest) and
// GET /api/v1/exports/{id} (status, progress and, once completed, a signed download URL).
#include "app/services.hpp"
#include "http/router.hpp"

namespace oms::http::handlers {

void register_export_routes(Router& router, app::Services& services);

}  // namespace oms::http::handlers
