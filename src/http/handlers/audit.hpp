#pragma once
// /api/v1/admin/audit: query the audit log and verify its hash chain; admin only.
#include "app/services.hpp"
#include "http/router.hpp"

namespace oms::http::handlers {

void register_audit_routes(Router& router, app::Services& services);

}  // namespace oms::http::handlers
