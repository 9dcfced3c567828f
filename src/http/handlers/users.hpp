#pragma once
// /api/v1/users: list users and (de)activate them; admin only.
#include "app/services.hpp"
#include "http/router.hpp"

namespace oms::http::handlers {

void register_user_routes(Router& router, app::Services& services);

}  // namespace oms::http::handlers
