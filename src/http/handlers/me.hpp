#pragma once
// /api/v1/me: the caller's own user record.
#include "app/services.hpp"
#include "http/router.hpp"

namespace oms::http::handlers {

void register_me_routes(Router& router, app::Services& services);

}  // namespace oms::http::handlers
