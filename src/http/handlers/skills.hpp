#pragma once
// /api/v1/skills: the skills catalog (read by all, managed by admins).
#include "app/services.hpp"
#include "http/router.hpp"

namespace oms::http::handlers {

void register_skill_routes(Router& router, app::Services& services);

}  // namespace oms::http::handlers
